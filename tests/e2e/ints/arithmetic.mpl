fn main() do
  let a = 17
  let b = 5
  println("#{a + b}")
  println("#{a - b}")
  println("#{b - a}")
  println("#{a * b}")
  println("#{a / b}")
  println("#{a % b}")
  println("#{1_000 * 1_000 * 1_000}")
  println("#{a - a}")
end

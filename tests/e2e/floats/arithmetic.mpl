# Float arithmetic is IEEE-754 double; % is the truncated remainder (sign of the dividend).
fn main() do
  let a = 7.5
  let b = 2.0
  println("#{a + b}")
  println("#{a - b}")
  println("#{a * b}")
  println("#{a / b}")
  println("#{a % b}")
  println("#{-a % b}")
  println("#{0.1 + 0.2}")
  println("#{1.0 / 3.0}")
  println("#{10.0 / 3.0}")
  println("#{2.5 * 4.0}")
  println("#{-a}")
  println("#{1.5 + 2.25 * 2.0}")
  println("#{100.0 * 1.1}")
end

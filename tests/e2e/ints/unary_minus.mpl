fn negate(x :: Int) -> Int do
  -x
end

fn main() do
  let x = 5
  println("#{-x}")
  println("#{-(-x)}")
  println("#{negate(3)}")
  println("#{negate(-3)}")
  println("#{-x + 10}")
  println("#{10 - -x}")
  println("#{-0}")
  println("#{-9223372036854775807}")
end

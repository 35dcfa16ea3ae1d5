# spec: language §4.10 — interpolation converts each type with Display.
fn square(x :: Int) -> Int = x * x

fn main() do
  let n = 42
  let f = 2.5
  let b = true
  let s = "text"
  println("int: #{n}")
  println("float: #{f}")
  println("bool: #{b}")
  println("string: #{s}")
  println("expr: #{n + 1} and #{f * 2.0}")
  println("call: #{square(12)}")
  println("#{n}#{n}")
  println("#{s}")
  println("before #{n} middle #{s} after")
  println("compare: #{n > 40}")
  println("price: $5, tag #1, # alone, $ alone")
end

# spec: language §3.1 — `fn f(x) = expr` bodies, and one-line `do` bodies.
fn double(x) = x * 2

fn square(x :: Int) -> Int = x * x

fn half(x :: Float) -> Float = x / 2.0

fn greeting(name :: String) -> String = "Hi, " <> name

fn is_big(n :: Int) -> Bool = n > 100

fn one() -> Int do 1 end

fn main() do
  println("#{double(21)}")
  println("#{square(9)}")
  println("#{half(5.0)}")
  println(greeting("Ada"))
  println("#{is_big(square(11))}")
  println("#{double(square(3))}")
  println("#{one()}")
end

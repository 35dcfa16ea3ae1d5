# test: exit=101
# spec: language §5.3 — integer division by zero panics; main's panic ends the program with
# status 101 after the output printed so far.
fn divide(a :: Int, b :: Int) -> Int do
  a / b
end

fn main() do
  println("before")
  println("#{divide(10, 2)}")
  println("#{divide(1, 0)}")
  println("after")
end

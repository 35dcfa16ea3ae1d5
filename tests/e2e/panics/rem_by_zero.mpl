# test: exit=101
# spec: language §5.3 — integer remainder by zero panics like division by zero.
fn remainder(a :: Int, b :: Int) -> Int do
  a % b
end

fn main() do
  println("#{remainder(7, 4)}")
  println("#{remainder(7, 0)}")
  println("after")
end

# Benchmark: naive doubly recursive Fibonacci.
fn fib(n :: Int) -> Int do
  if n < 2 do n else fib(n - 1) + fib(n - 2) end
end

fn main() do
  println("#{fib(40)}")
end

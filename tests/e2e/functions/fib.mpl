fn fib(n :: Int) -> Int do
  if n < 2 do
    n
  else
    fib(n - 1) + fib(n - 2)
  end
end

fn main() do
  println("fib(0) = #{fib(0)}")
  println("fib(1) = #{fib(1)}")
  println("fib(10) = #{fib(10)}")
  println("fib(20) = #{fib(20)}")
end

# Higher-order functions: composition, currying by closures, closures returning closures.
fn compose(f, g) = fn x -> g(f(x)) end

fn times(n :: Int) = fn x -> x * n end

fn repeat(f, n :: Int, x :: Int) -> Int do
  if n == 0 do x else repeat(f, n - 1, f(x)) end
end

fn main() do
  let inc = fn x -> x + 1 end
  let inc_then_double = compose(inc, times(2))
  println("#{inc_then_double(4)}")
  println("#{repeat(inc, 100000, 0)}")
  println("#{repeat(times(3), 3, 1)}")
  let counter = fn start -> fn step -> start + step end end
  println("#{counter(10)(5)}")
end

# An `if` without `else` is a statement of type ().
fn report(n :: Int) do
  if n > 10 do
    println("#{n} is big")
  end
  if n % 2 == 0 do
    println("#{n} is even")
  end
  println("done with #{n}")
end

fn main() do
  report(12)
  report(7)
  report(15)
end

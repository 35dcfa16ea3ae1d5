# spec: language §7 — self tail calls (last expression of a body or of an if/else branch)
# run in constant stack space; a million iterations must not overflow the stack.
fn count_down(n :: Int) -> Int do
  if n == 0 do
    0
  else
    count_down(n - 1)
  end
end

fn sum_to(n :: Int, acc :: Int) -> Int do
  if n == 0 do
    acc
  else
    sum_to(n - 1, acc + n)
  end
end

fn multiples_of_three(n :: Int, found :: Int) -> Int do
  if n == 0 do
    found
  else if n % 3 == 0 do
    multiples_of_three(n - 1, found + 1)
  else
    multiples_of_three(n - 1, found)
  end
end

fn collatz_steps(n :: Int, steps :: Int) -> Int do
  if n == 1 do
    steps
  else if n % 2 == 0 do
    collatz_steps(n / 2, steps + 1)
  else
    collatz_steps(3 * n + 1, steps + 1)
  end
end

fn main() do
  println("#{count_down(1_000_000)}")
  println("#{sum_to(1_000_000, 0)}")
  println("#{multiples_of_three(1_000_000, 0)}")
  println("#{collatz_steps(27, 0)}")
end

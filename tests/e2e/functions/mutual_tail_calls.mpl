# Mutual recursion in tail position runs in constant stack (tailcc + guaranteed tail calls):
# three million calls deep.
fn is_even(0) = true
fn is_even(n) = is_odd(n - 1)

fn is_odd(0) = false
fn is_odd(n) = is_even(n - 1)

fn ping(n :: Int, acc :: Int) -> Int do
  if n == 0 do acc else pong(n - 1, acc + 1) end
end

fn pong(n :: Int, acc :: Int) -> Int do
  case n do
    0 -> acc
    _ -> ping(n - 1, acc + 2)
  end
end

fn main() do
  println("#{is_even(3000000)} #{is_odd(3000001)} #{ping(3000000, 0)}")
end

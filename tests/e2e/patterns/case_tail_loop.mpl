# A self call in a case arm in tail position runs in constant stack.
fn count(n, acc) do
  case n do
    0 -> acc
    _ -> count(n - 1, acc + 1)
  end
end

fn main() do
  println("#{count(2000000, 0)}")
end

# expect: E0003 at 7:11 (expected 2 argument(s), found 1), on the call add(1)
fn add(a :: Int, b :: Int) -> Int do
  a + b
end

fn main() do
  let x = add(1)
  println("#{x}")
end

# expect: E0001 at 3:11 (expected String, found Int)
fn main() do
  println(42)
end

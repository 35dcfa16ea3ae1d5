# expect: E0006 at 3:11 (String does not implement Add), on "a" + "b"
fn main() do
  let s = "a" + "b"
  println(s)
end

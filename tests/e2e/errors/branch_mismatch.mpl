# expect: E0001 the else branch is a String where the then branch is an Int
fn main() do
  let x = if true do 1 else "one" end
  println("#{x}")
end

# expect: P0001 at 6:6 (just after the last token): expected `end` to close `do` block
# The `if` is closed but the body of main is not.
fn main() do
  if true do
    println("yes")
  end

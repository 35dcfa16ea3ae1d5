# expect: P0001 at 7:1 (end of input): expected `end` to close `do` block
# The `if` is closed but the body of main is not.
fn main() do
  if true do
    println("yes")
  end

# A comment before any code.

# Comments stand on their own lines,

fn main() do
  # inside a body,
  println("first") # after a statement,


  println("second")   # and after blank lines.
  # println("commented out")
  let s = "a # inside a string is text"
  println(s)
end
# A comment after the last item.

# Each println writes its text and one newline, in program order.
fn main() do
  println("one")
  println("two")
  println("")
  println("three")
end

# test: exit=101
# spec: stdlib §4 — Math.abs/min/max take an Int or a Float; any other type is a programmer
# error reported as a panic naming the operation.
fn main() do
  println("#{Math.abs(-1)}")
  println(Math.abs("text"))
  println("not reached")
end

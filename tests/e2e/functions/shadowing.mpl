# spec: language §4.1 — bindings are immutable; a new `let` of the same name shadows the old.
fn main() do
  let x = 1
  let y = x + 1
  let x = x * 10
  println("#{x} #{y}")
  let x = "now a String"
  println(x)
end

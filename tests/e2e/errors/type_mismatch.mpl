# expect: E0001 at 4:15 (expected Int, found String), on the "a" operand
# Int + String: the operands of + must unify (spec: language §5.3).
fn main() do
  let x = 1 + "a"
  println("#{x}")
end

# expect: E0006 Bool does not implement Add; E0001 Int compared with Float
fn main() do
  let a = true + false
  let b = 1 < 2.0
  println("x")
end

# `and` binds tighter than `or`; both short-circuit (spec: language §4.2, §7).
fn noisy(label :: String) -> Bool do
  println("evaluated #{label}")
  true
end

fn main() do
  println("#{true}")
  println("#{false}")
  println("#{true and false}")
  println("#{true or false}")
  println("#{not true}")
  println("#{not false and true}")
  println("#{false or true and false}")
  println("#{true or true and false}")
  let skipped = false and noisy("and")
  println("#{skipped}")
  let taken = true or noisy("or")
  println("#{taken}")
  let both = true and noisy("right side")
  println("#{both}")
  let t :: Bool = not (1 > 2)
  println("#{t}")
end

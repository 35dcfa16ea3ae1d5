# expect: E0045 type alias `Id` references undefined type `Missing`
type Id = Missing

fn main() do
  let x :: Id = 1
  println("x")
end

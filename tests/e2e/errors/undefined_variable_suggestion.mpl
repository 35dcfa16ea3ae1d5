# expect: E0004 at 4:17 (undefined variable: cont), Help: did you mean `count`?
fn main() do
  let count = 3
  let doubled = cont * 2
  println("#{doubled}")
end

# expect: E0001 on the second arm's body
fn main() do
  let r = case 1 do
    1 -> "one"
    _ -> 2
  end
  println(r)
end

# expect: E0025 guard expression must return `Bool`, found `Int`
fn main() do
  let r = case 3 do
    x when x + 1 -> "a"
    _ -> "b"
  end
  println(r)
end

# expect: E0013 for a closure call in a case-arm guard (fn-clause guards are unrestricted)
fn main() do
  let check = fn x -> x > 1 end
  let r = case 3 do
    n when (fn -> true end)() -> "a"
    _ -> "b"
  end
  println(r)
end

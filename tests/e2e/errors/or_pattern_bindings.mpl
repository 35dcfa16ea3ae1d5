# expect: E0011 or-pattern binding mismatch: expected [a], found [b]
fn main() do
  let r = case (1, 2) do
    (a, 0) | (0, b) -> "x"
    _ -> "y"
  end
  println(r)
end

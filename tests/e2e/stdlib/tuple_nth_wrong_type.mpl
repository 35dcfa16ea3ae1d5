# test: exit=101
# spec: stdlib §9 — the type of Tuple.nth's result comes from context; when a run-time index
# picks an element of another type the call panics instead of misreading the value.
fn main() do
  let t = (1, "two")
  let i = List.length([1])
  let s :: String = Tuple.nth(t, i)
  println(s)
  let n :: String = Tuple.nth(t, i - 1)
  println(n)
end

# test: exit=101
# spec: stdlib §9 — Tuple.nth is zero-based; an index out of range panics.
fn main() do
  let t = (1, 2, 3)
  let n = List.length([1, 2, 3])
  println("#{Tuple.nth(t, n - 1)}")
  println("#{Tuple.nth(t, n)}")
end

# spec: stdlib §9 — the Tuple functions take tuples; the checker rejects anything else.
fn main() do
  println("#{Tuple.first(5)}")
  println("#{Tuple.size([1, 2])}")
  let r :: String = Tuple.second((1, 2))
  println(r)
end

# test: exit=101
# spec: stdlib §9 — Tuple functions passed as values work on tuples; applied to something else
# they panic naming the function (the checker cannot see through the function value).
fn main() do
  let firsts :: List<Int> = List.map([(1, "a"), (2, "b")], Tuple.first)
  println("#{firsts}")
  println("#{List.map([(1, 2, 3)], Tuple.size)}")
  println("#{List.map([1, 2], Tuple.size)}")
end

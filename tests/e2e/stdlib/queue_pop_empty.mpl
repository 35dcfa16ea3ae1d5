# test: exit=101
# spec: stdlib §9 — Queue.pop of an empty queue panics `Queue.pop: empty queue`.
fn main() do
  let q = Queue.push(Queue.new(), "only")
  let (x, rest) = Queue.pop(q)
  println(x)
  let (y, _) = Queue.pop(rest)
  println(y)
end

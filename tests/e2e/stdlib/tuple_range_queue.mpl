# spec: stdlib §9 — Tuple.first/second/nth/size on any tuple; Range.new (≡ a..b) with length,
# to_list, map and filter (empty when end <= start); Queue as a persistent FIFO.
fn main() do
  let pair = (1, "one")
  let triple = ("a", 2.5, true)
  println("#{Tuple.first(pair)} #{Tuple.second(pair)}")
  println("#{Tuple.first(triple)} #{Tuple.second(triple)} #{Tuple.nth(triple, 2)}")
  println("#{Tuple.size(pair)} #{Tuple.size(triple)} #{Tuple.size((1, 2, 3, 4, 5))}")
  let nums = (10, 20, 30)
  let i = List.length([1, 2])
  println("#{Tuple.nth(nums, i)} #{Tuple.nth(nums, 0) + 1}")
  println("#{List.map([(1, 2), (3, 4)], fn p -> Tuple.first(p) * Tuple.second(p) end)}")

  let r = Range.new(2, 6)
  println("#{Range.length(r)} #{Range.to_list(r)}")
  println("#{Range.map(r, fn x -> x * x end)}")
  println("#{Range.filter(r, fn x -> x % 2 == 1 end)}")
  println("#{Range.length(Range.new(5, 5))} #{Range.to_list(Range.new(5, 1))} #{Range.length(Range.new(5, 1))}")
  println("#{Range.to_list(-2..1)} #{Range.length(0..10)}")
  let lit = 1..4
  println("#{lit == Range.new(1, 4)} #{lit == 1..5}")
  println("#{for x in lit do x * 10 end}")
  println("#{lit.length()} #{range_to_list(3..5)}")
  println("#{Range.length(Range.new(-9223372036854775807, 9223372036854775807))}")

  let q = Queue.new() |> Queue.push(1) |> Queue.push(2) |> Queue.push(3)
  println("#{Queue.size(q)} #{Queue.peek(q)} #{Queue.is_empty(q)} #{Queue.is_empty(Queue.new())}")
  let (front, rest) = Queue.pop(q)
  println("#{front} #{Queue.size(rest)} #{Queue.peek(rest)} #{Queue.size(q)}")
  let (second, rest2) = Queue.pop(Queue.push(rest, 4))
  println("#{second} #{rest2} #{q}")
  let words = Queue.push(Queue.new(), "héllo")
  println("#{Queue.peek(words)} #{words.size()}")
end

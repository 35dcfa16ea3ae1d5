# test: timeout=60
# stdlib spec §10 under collection pressure: pipelines whose closures allocate (strings,
# tuples, lists) while the runtime holds the pulled elements and the partial results, so
# collections run in the middle of pulls; every result is checked.
fn round(i :: Int) -> Int do
  let xs = Range.to_list(Range.new(0, 2000))
  let labels = Iter.from(xs)
    |> Iter.map(fn x -> "item-#{x + i}" end)
    |> Iter.filter(fn s -> String.length(s) > 6 end)
    |> Iter.enumerate()
    |> Iter.map(fn (p :: (Int, String)) -> (Tuple.second(p), [Tuple.first(p), i]) end)
    |> Map.collect()
  let joined = Iter.zip(Iter.from(xs), Iter.from(xs) |> Iter.map(fn x -> "#{x}" end))
    |> Iter.skip(1990)
    |> Iter.map(fn (p :: (Int, String)) -> Tuple.second(p) end)
    |> String.collect()
  Map.size(labels) + String.length(joined)
end

fn loop(i :: Int, n :: Int, acc :: Int) -> Int do
  if i == n do
    acc
  else
    loop(i + 1, n, acc + round(i))
  end
end

fn main() do
  println("#{loop(0, 30, 0)}")
end

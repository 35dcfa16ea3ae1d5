# stdlib spec §10 collectors: List.collect, Map.collect (pairs from enumerate or zip; string
# keys compare by content; a later duplicate key overwrites and keeps the first position),
# Set.collect (first occurrences in order), String.collect (concatenation; empty is "").
fn main() do
  let words = ["red", "green", "blue", "green"]
  let empty :: List<String> = []
  println("#{Iter.from(words) |> List.collect()} #{Iter.from(empty) |> List.collect()}")
  let by_index = Iter.from(words) |> Iter.enumerate() |> Map.collect()
  println("#{by_index} #{Map.get(by_index, 3)}")
  let lengths = Iter.zip(Iter.from(words), Iter.from(words) |> Iter.map(fn w -> String.length(w) end)) |> Map.collect()
  println("#{lengths} #{Map.size(lengths)}")
  # Keys built at run time are found by content.
  let key = "gr" <> "een"
  println("#{Map.get(lengths, key)} #{Map.has_key(lengths, String.to_upper("red"))}")
  let counts = Iter.zip(Iter.from(["a", "b", "a"]), Iter.from([1, 2, 3])) |> Map.collect()
  println("#{counts}")
  println("#{Iter.from(words) |> Set.collect()} #{Iter.from([3, 1, 3, 2, 1]) |> Set.collect()} #{Set.size(Iter.from(empty) |> Set.collect())}")
  println("[#{Iter.from(words) |> String.collect()}] [#{Iter.from(empty) |> String.collect()}]")
  println("#{Iter.from(words) |> Iter.map(fn w -> String.slice(w, 0, 1) end) |> String.collect()}")
  let csv = Iter.from([1, 2, 3]) |> Iter.enumerate() |> Iter.map(fn (p :: (Int, Int)) do
    if Tuple.first(p) == 0 do "#{Tuple.second(p)}" else ",#{Tuple.second(p)}" end
  end) |> String.collect()
  println(csv)
  let tuples = Iter.from([1, 2]) |> Iter.map(fn x -> (x, x * x) end) |> List.collect()
  println("#{tuples}")
  let squares = Iter.from([1, 2]) |> Iter.map(fn x -> (x, x * x) end) |> Map.collect()
  println("#{squares}")
end

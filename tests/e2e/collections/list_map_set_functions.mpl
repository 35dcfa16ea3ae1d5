# List, Map and Set module functions (closures into the runtime, Option results, tuples),
# bare map/filter/reduce, pipes and method syntax on lists.
fn main() do
  let xs = [3, 1, 2]
  let doubled = List.map(xs, fn x -> x * 2 end)
  let evens = List.filter(doubled, fn x -> x % 4 == 0 end)
  let total = List.reduce(xs, 0, fn acc, x -> acc + x end)
  println("#{doubled} #{evens} #{total} #{List.length(xs)} #{List.get(xs, 1)} #{List.head(xs)} #{List.last(xs)}")
  let sorted = List.sort(xs, fn a, b -> a - b end)
  println("#{sorted} #{List.reverse(xs)} #{List.contains(xs, 2)} #{List.find(xs, fn x -> x > 1 end)}")
  println("#{List.zip(xs, ["a", "b", "c"])} #{List.enumerate(["x", "y"])} #{List.take(xs, 2)} #{List.drop(xs, 2)}")
  println("#{xs |> List.append(4) |> List.map(fn x -> x + 1 end)} #{map(xs, fn x -> x * 10 end)}")
  let m = Map.new() |> Map.put("a", 1) |> Map.put("b", 2)
  println("#{Map.get(m, "b")} #{Map.has_key(m, "z")} #{Map.size(m)} #{Map.keys(m)} #{Map.values(m)} #{Map.to_list(m)}")
  let s = Set.new() |> Set.add(1) |> Set.add(2) |> Set.add(1)
  println("#{s} #{Set.size(s)} #{Set.contains(s, 2)} #{Set.to_list(s)}")
  println("#{xs.length()} #{[[1, 2], [3]] |> List.flatten()}")
end

# stdlib spec §10: every adapter over Int, String, struct and tuple elements, through pipes,
# qualified calls and method syntax; the edge cases (empty source, take 0 and negative counts,
# skip past the end, zip of unequal lengths).
struct User do
  name :: String
  age :: Int
end deriving(Display)

fn adults(it :: Iter<User>) -> Iter<String> do
  it |> Iter.filter(fn (u :: User) -> u.age >= 18 end) |> Iter.map(fn (u :: User) -> u.name end)
end

fn main() do
  let xs = [1, 2, 3, 4, 5]
  println("#{Iter.from(xs) |> Iter.filter(fn x -> x > 2 end) |> Iter.map(fn x -> x * 10 end) |> List.collect()}")
  println("#{Iter.from(xs) |> Iter.skip(1) |> Iter.take(3) |> List.collect()}")
  println("#{Iter.from(xs) |> Iter.take(2) |> Iter.skip(1) |> List.collect()}")
  println("#{Iter.from(xs) |> Iter.take(0) |> List.collect()} #{Iter.from(xs) |> Iter.take(-3) |> List.collect()}")
  println("#{Iter.from(xs) |> Iter.take(99) |> List.collect()} #{Iter.from(xs) |> Iter.skip(99) |> List.collect()}")
  println("#{Iter.from(xs) |> Iter.skip(0) |> List.collect()} #{Iter.from(xs) |> Iter.skip(-1) |> List.collect()}")
  let empty :: List<Int> = []
  println("#{Iter.from(empty) |> Iter.map(fn x -> x + 1 end) |> List.collect()}")
  # Strings, and a map to another element type.
  let words = ["apple", "kiwi", "banana"]
  println("#{Iter.from(words) |> Iter.map(fn w -> String.length(w) end) |> List.collect()}")
  println("#{Iter.from(words) |> Iter.filter(fn w -> String.length(w) > 4 end) |> Iter.map(fn w -> String.to_upper(w) end) |> List.collect()}")
  # enumerate: index first, from 0, counting what reaches it.
  println("#{Iter.from(words) |> Iter.enumerate() |> List.collect()}")
  println("#{Iter.from(words) |> Iter.skip(1) |> Iter.enumerate() |> List.collect()}")
  # zip ends when either side ends, whichever is shorter.
  println("#{Iter.zip(Iter.from(xs), Iter.from(words)) |> List.collect()}")
  println("#{Iter.zip(Iter.from(["x"]), Iter.from(xs)) |> List.collect()}")
  println("#{Iter.zip(Iter.from(empty), Iter.from(words)) |> List.collect()}")
  # Structs and tuples as elements; an Iter in a function signature.
  let users = [User { name: "Ann", age: 31 }, User { name: "Bob", age: 12 }, User { name: "Cy", age: 18 }]
  println("#{Iter.from(users) |> adults() |> List.collect()}")
  println("#{Iter.from(users) |> Iter.filter(fn (u :: User) -> u.age < 20 end) |> List.collect()}")
  let pairs = [(1, "one"), (2, "two"), (3, "three")]
  println("#{Iter.from(pairs) |> Iter.map(fn (p :: (Int, String)) -> Tuple.second(p) end) |> List.collect()}")
  println("#{Iter.from(pairs) |> Iter.filter(fn p -> Tuple.first(p) != 2 end) |> Iter.enumerate() |> List.collect()}")
  # Method syntax on an iterator.
  let it = Iter.from(xs).map(fn x -> x + 100 end).take(2)
  println("#{List.collect(it)}")
  # Closures capture variables.
  let factor = 7
  println("#{Iter.from(xs) |> Iter.map(fn x -> x * factor end) |> List.collect()}")
  # An iterator of lists, and nested pipelines inside a closure.
  let rows = [[1, 2], [3], []]
  println("#{Iter.from(rows) |> Iter.map(fn r -> Iter.from(r) |> Iter.sum() end) |> List.collect()}")
end

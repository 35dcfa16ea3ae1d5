# stdlib spec §10 terminals: count, sum (wrapping; empty is 0), any/all (empty is false/true),
# find (Option), reduce (left fold, accumulator of the element type; empty gives init).
struct Point do
  x :: Int
  y :: Int
end

fn main() do
  let xs = [4, 8, 15, 16, 23, 42]
  let empty :: List<Int> = []
  println("count #{Iter.from(xs) |> Iter.count()} #{Iter.from(empty) |> Iter.count()} #{Iter.from(xs) |> Iter.filter(fn x -> x % 2 == 1 end) |> Iter.count()}")
  println("sum #{Iter.from(xs) |> Iter.sum()} #{Iter.from(empty) |> Iter.sum()} #{Iter.from([9223372036854775807, 1]) |> Iter.sum()}")
  println("any #{Iter.from(xs) |> Iter.any(fn x -> x > 40 end)} #{Iter.from(xs) |> Iter.any(fn x -> x > 50 end)} #{Iter.from(empty) |> Iter.any(fn x -> x > 0 end)}")
  println("all #{Iter.from(xs) |> Iter.all(fn x -> x > 3 end)} #{Iter.from(xs) |> Iter.all(fn x -> x < 42 end)} #{Iter.from(empty) |> Iter.all(fn x -> x > 0 end)}")
  println("find #{Iter.from(xs) |> Iter.find(fn x -> x > 10 end)} #{Iter.from(xs) |> Iter.find(fn x -> x > 100 end)}")
  let found = Iter.from(["ab", "cde", "f"]) |> Iter.find(fn s -> String.length(s) == 3 end)
  case found do
    Some(s) -> println("found #{s}")
    None -> println("not found")
  end
  println("reduce #{Iter.from(xs) |> Iter.reduce(0, fn acc, x -> acc + x end)} #{Iter.from(empty) |> Iter.reduce(7, fn acc, x -> acc * x end)} #{Iter.from([1, 2, 3]) |> Iter.reduce(100, fn acc, x -> acc - x end)}")
  println("reduce strings #{Iter.from(["a", "b", "c"]) |> Iter.reduce("", fn acc, s -> acc <> s <> "." end)}")
  # A fold over structs: the accumulator has the element type.
  let points = [Point { x: 1, y: 2 }, Point { x: 10, y: 20 }]
  let total = Iter.from(points) |> Iter.reduce(Point { x: 0, y: 0 }, fn (a :: Point, b :: Point) -> Point { x: a.x + b.x, y: a.y + b.y } end)
  println("points #{total.x} #{total.y}")
  # Terminals after adapters of other element types.
  println("sum of lengths #{Iter.from(["one", "three"]) |> Iter.map(fn s -> String.length(s) end) |> Iter.sum()}")
  println("zip count #{Iter.zip(Iter.from(xs), Iter.from([1, 2])) |> Iter.count()}")
  println("enumerate find #{Iter.from(["a", "b"]) |> Iter.enumerate() |> Iter.find(fn p -> Tuple.first(p) == 1 end)}")
end

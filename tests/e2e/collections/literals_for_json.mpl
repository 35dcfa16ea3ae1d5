# List and map literals, ++, h :: t patterns, for over lists/ranges/maps with filters, break
# and continue, Display/Eq/Ord of collections, Json of lists and maps.
struct Todo do
  id :: Int
  tags :: List<String>
end deriving(Json, Display)

fn sum(xs) do
  case xs do
    h :: t -> h + sum(t)
    _ -> 0
  end
end

fn main() do
  let xs = [1, 2, 3]
  let ys = xs ++ [4, 5]
  println("#{xs} #{ys} #{sum(ys)}")
  let sq = for x in xs do x * x end
  println("#{sq}")
  let big = for x in ys when x > 2 do x end
  println("#{big}")
  for i in 0..3 do println("i=#{i}") end
  let m = %{"a" => 1, "b" => 2}
  println("#{m}")
  let pairs = for {k, v} in m do "#{k}=#{v}" end
  println("#{pairs}")
  let words = ["hello", "world"]
  println("#{words} #{words == ["hello", "world"]} #{[1, 2] < [1, 3]}")
  let t = Todo { id: 1, tags: ["a", "b"] }
  println(Json.encode(t))
  println("#{t}")
  println(json { xs: xs, m: m, empty: [] })
  let stop = for x in [1, 2, 3, 4] do
    if x == 3 do break end
    x * 10
  end
  println("#{stop}")
  let skip = for x in [1, 2, 3, 4] do
    if x == 2 do continue end
    x
  end
  println("#{skip} #{[[1], [2, 3]]} #{[Some(1), None]}")
end

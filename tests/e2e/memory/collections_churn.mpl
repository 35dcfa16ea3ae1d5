# test: timeout=60
# issue 5: maps and lists built and dropped over and over (structure-sharing nodes become
# garbage at every step) while one map stays alive and keeps its entries.
fn fill(m :: Map<String, Int>, i :: Int, n :: Int) -> Map<String, Int> do
  if i == n do
    m
  else
    fill(Map.put(m, "key-#{i}", i * i), i + 1, n)
  end
end

fn grow(xs :: List<Int>, i :: Int, n :: Int) -> List<Int> do
  if i == n do
    xs
  else
    grow(List.append(xs, i), i + 1, n)
  end
end

fn rounds(r :: Int, acc :: Int) -> Int do
  if r == 0 do
    acc
  else
    let m = fill(Map.new(), 0, 300)
    let xs = grow([], 0, 300) |> List.map(fn x -> x * 2 end) |> List.filter(fn x -> x % 3 == 0 end)
    let m2 = Map.delete(m, "key-7")
    rounds(r - 1, acc + Map.size(m2) + Map.get(m, "key-17") + List.length(xs) + List.last(xs))
  end
end

fn main() do
  let kept = fill(Map.new(), 0, 5000)
  println("#{rounds(3000, 0)}")
  println("#{Map.size(kept)} #{Map.get(kept, "key-4321")} #{Map.has_key(kept, "key-5000")}")
end

# Benchmark: map and list churn: each round builds a map of 1,000 string keys and a list of
# 1,000 elements, maps and filters it, reads a few entries and drops everything.
fn fill(m :: Map<String, Int>, i :: Int, n :: Int) -> Map<String, Int> do
  if i == n do m else fill(Map.put(m, "key-#{i}", i * i), i + 1, n) end
end

fn grow(xs :: List<Int>, i :: Int, n :: Int) -> List<Int> do
  if i == n do xs else grow(List.append(xs, i), i + 1, n) end
end

fn rounds(r :: Int, acc :: Int) -> Int do
  if r == 0 do
    acc
  else
    let m = fill(Map.new(), 0, 1000)
    let xs = grow([], 0, 1000)
      |> List.map(fn x -> x * 2 end)
      |> List.filter(fn x -> x % 3 == 0 end)
    let m2 = Map.delete(m, "key-7")
    rounds(r - 1, acc + Map.size(m2) + Map.get(m, "key-17") + List.length(xs) + List.last(xs))
  end
end

fn main() do
  println("#{rounds(2000, 0)}")
end

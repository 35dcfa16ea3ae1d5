# `for x in it` over a stdlib `Iter` (language spec §4.8, stdlib spec §10): the loop pulls one
# element per step, so a chain's closures run only for what the loop reaches (`break` stops
# pulling); filters, `continue`, nested loops and single use behave as for lists.
fn main() do
  let xs = Range.to_list(Range.new(1, 1000000))
  let evens = Iter.from(xs) |> Iter.filter(fn x -> x % 2 == 0 end) |> Iter.map(fn x -> x * x end)
  let firsts = for x in evens do
    if x > 100 do break end
    x
  end
  println("#{firsts}")
  # The loop pulled 144, broke, and pulled no further: the iterator continues after it.
  println("#{List.collect(Iter.take(evens, 2))}")

  let noisy = Iter.from([1, 2, 3, 4, 5, 6]) |> Iter.map(fn x do
    println("pull #{x}")
    x
  end)
  let small = for x in noisy when x % 2 == 1 do
    if x == 5 do break end
    x * 10
  end
  println("#{small}")

  let pairs = for (i, w) in Iter.from(["a", "b", "c"]) |> Iter.enumerate() do "#{i}:#{w}" end
  println("#{pairs}")
  let zipped = for p in Iter.zip(Iter.from([1, 2, 3]), Iter.from(["x", "y"])) do p end
  println("#{zipped}")
  let skipped = for x in Iter.from([1, 2, 3, 4, 5]) |> Iter.skip(1) |> Iter.take(3) do
    if x == 3 do continue end
    x
  end
  println("#{skipped}")

  let table = for row in Iter.from([1, 2, 3]) do
    for col in Iter.from([10, 20]) |> Iter.map(fn c -> c * row end) do col + row end
  end
  println("#{table}")

  let once = Iter.from([7, 8])
  let first = for x in once do x end
  let again = for x in once do x end
  println("#{first} #{again} #{List.length(for _ in Iter.from([]) do 1 end)}")
end

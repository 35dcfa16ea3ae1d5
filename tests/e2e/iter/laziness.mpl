# stdlib spec §10: adapters do no work until a terminal pulls; `take` stops pulling from its
# source after n items, so a pipeline over a long list only runs its closures for what it
# needs. Side-effecting closures show when each one runs.
fn main() do
  let xs = Range.to_list(Range.new(0, 1000000))
  let pipeline = Iter.from(xs)
    |> Iter.map(fn x do
      println("map #{x}")
      x * 10
    end)
    |> Iter.filter(fn x do
      println("filter #{x}")
      x % 20 == 0
    end)
    |> Iter.take(3)
  println("built, nothing ran yet")
  let firsts = List.collect(pipeline)
  println("collected #{firsts}")
  # A skip is applied on the first pull, not when the adapter is built.
  let skipped = Iter.from([1, 2, 3, 4]) |> Iter.map(fn x do
    println("pull #{x}")
    x
  end) |> Iter.skip(2)
  println("skip built")
  println("count #{Iter.count(skipped)}")
  # Terminals short-circuit: `any`, `all` and `find` stop at the deciding element.
  let noisy = fn x do
    println("check #{x}")
    x > 1
  end
  println("any #{Iter.from(xs) |> Iter.any(noisy)}")
  println("all #{Iter.from([5, 0, 7]) |> Iter.all(noisy)}")
  println("find #{Iter.from(xs) |> Iter.find(fn x -> x * x > 10 end)}")
  # take(0) never pulls at all.
  let none = Iter.from([1, 2]) |> Iter.map(fn x do
    println("never #{x}")
    x
  end) |> Iter.take(0)
  println("take 0: #{List.collect(none)}")
end

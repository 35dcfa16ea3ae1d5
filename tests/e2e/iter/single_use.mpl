# stdlib spec §10: an iterator is single-use; after a terminal it is exhausted. A terminal
# that stops early (find, any, all, take) leaves the rest of its source for later pulls.
# `ListIterator` (spec §0.6) and `Iter<T>` work in annotations.
fn evens(it :: Iter<Int>) -> Iter<Int> do
  Iter.filter(it, fn x -> x % 2 == 0 end)
end

fn main() do
  let it :: ListIterator = Iter.from([1, 2, 3, 4, 5, 6])
  println("first count #{Iter.count(it)}, again #{Iter.count(it)}, collect #{List.collect(it)}")
  let source = Iter.from([1, 2, 3, 4, 5, 6])
  println("find #{Iter.find(source, fn x -> x > 2 end)}, rest #{List.collect(source)}")
  let source = Iter.from([1, 2, 3, 4, 5, 6])
  let firsts = Iter.take(source, 2)
  println("take #{List.collect(firsts)}, again #{List.collect(firsts)}, rest #{List.collect(source)}")
  let source = Iter.from([1, 2, 3, 4, 5, 6])
  println("any #{Iter.any(source, fn x -> x == 3 end)}, rest #{Iter.sum(source)}")
  let source :: Iter<Int> = Iter.from([1, 2, 3, 4, 5, 6])
  let adapted = evens(source)
  println("evens #{List.collect(adapted)}, source after #{List.collect(source)}")
  # Zip pulling both sides from one iterator pairs consecutive elements.
  let shared = Iter.from([1, 2, 3, 4, 5])
  println("pairs #{Iter.zip(shared, shared) |> List.collect()}")
  # The list itself is untouched: a new iterator starts from the beginning.
  let xs = [10, 20]
  let a = Iter.from(xs)
  let _ = Iter.count(a)
  println("fresh #{Iter.from(xs) |> List.collect()} #{xs}")
end

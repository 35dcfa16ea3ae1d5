# stdlib spec §10 signatures are checked: Iter.sum needs Int elements, Iter.from takes lists
# only, Map.collect needs pairs, String.collect needs strings, and iterators have no Display
# or equality.
fn main() do
  let words = Iter.from(["a", "b"])
  let n = Iter.sum(words)
  let m = Iter.from(%{"a" => 1})
  let pairs = Map.collect(Iter.from([1, 2]))
  let s = String.collect(Iter.from([1, 2]))
  println("#{Iter.from([1])}")
  let same = Iter.from([1]) == Iter.from([1])
end

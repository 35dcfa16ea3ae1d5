# A user `impl Ord` that reverses the natural order is respected by `<`, `compare`, derived
# ordering of enclosing types, and the runtime's ordering of lists, options, tuples, maps
# and sets holding such values at any depth; `==` stays the derived equality.
struct Rev do
  n :: Int
end

impl Ord for Rev do
  fn compare(self, other :: Rev) -> Ordering do
    compare(other.n, self.n)
  end
end

impl Display for Rev do
  fn to_string(self) -> String do "r#{self.n}" end
end

struct Ranked do
  rank :: Rev
end deriving(Eq, Ord, Display)

fn order(o :: Ordering) -> Int do
  case o do
    Less -> -1
    Equal -> 0
    Greater -> 1
  end
end

fn main() do
  let one = Rev { n: 1 }
  let two = Rev { n: 2 }
  println("#{one < two} #{one > two} #{compare(one, two)} #{compare(one, one)} #{one == Rev { n: 1 }}")
  println("#{Ranked { rank: one } < Ranked { rank: two }} #{Some(one) < Some(two)} #{(one, 0) > (two, 0)}")
  println("#{[one] < [two]} #{[[Some(one)]] > [[Some(two)]]} #{compare([one, two], [one, one])}")
  println("#{compare(%{1 => one}, %{1 => two})} #{compare(%{one => 0}, %{two => 0})}")
  println("#{compare(Set.from_list([one]), Set.from_list([two]))}")

  let xs = [Rev { n: 3 }, one, Rev { n: 5 }, two]
  println("#{List.sort(xs, fn a, b -> order(compare(a, b)) end)}")
  let opts = [Some(one), None, Some(Rev { n: 4 }), Some(two)]
  println("#{List.sort(opts, fn a, b -> order(compare(a, b)) end)}")
  let lists = [[one], [Rev { n: 9 }], [two, one], [two]]
  println("#{List.sort(lists, fn a, b -> order(compare(a, b)) end)}")
  let best = List.reduce(xs, one, fn acc, x -> if x > acc do x else acc end end)
  println("#{best}")
end

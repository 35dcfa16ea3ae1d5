# `for` over user types (language spec §3.6, §4.8): an `Iterator` steps with
# `next(self) -> Option<(Item, Self)>` (values are immutable, so it returns the element and
# the advanced iterator); an `Iterable` hands out a source with `iter(self)`: a user
# iterator, a stdlib `Iter` or a collection (a map with `{k, v}`).
struct Countdown do
  start :: Int
end

impl Iterator for Countdown do
  type Item = Int
  fn next(self) -> Option<(Int, Countdown)> do
    if self.start <= 0 do None else Some((self.start, Countdown { start: self.start - 1 })) end
  end
end

# Infinite: only `break` ends a loop over it.
struct Naturals do
  n :: Int
end

impl Iterator for Naturals do
  type Item = Int
  fn next(self) -> Option<(Int, Naturals)> do
    Some((self.n, Naturals { n: self.n + 1 }))
  end
end

struct Pair<T> do
  left :: T
  right :: T
end

struct PairIter<T> do
  rest :: List<T>
end

impl Iterator for PairIter do
  type Item = T
  fn next(self) do
    case self.rest do
      h :: t -> Some((h, PairIter { rest: t }))
      _ -> None
    end
  end
end

impl Iterable for Pair do
  type Item = T
  type Iter = PairIter<T>
  fn iter(self) do PairIter { rest: [self.left, self.right] } end
end

struct Deck do
  cards :: List<String>
end

impl Iterable for Deck do
  type Item = String
  type Iter = Iter<String>
  fn iter(self) -> Iter<String> do
    Iter.from(self.cards) |> Iter.map(fn c -> String.to_upper(c) end)
  end
end

struct Bag do
  items :: Set<Int>
end

impl Iterable for Bag do
  type Item = Int
  type Iter = Set<Int>
  fn iter(self) -> Set<Int> do self.items end
end

fn main() do
  println("#{for n in Countdown { start: 3 } do n * 100 end}")
  let squares = for n in Naturals { n: 1 } when n % 2 == 1 do
    if n > 9 do break end
    n * n
  end
  println("#{squares}")
  println("#{for x in Pair { left: "l", right: "r" } do x end} #{for x in Pair { left: 1, right: 2 } do x + 1 end}")
  println("#{for c in Deck { cards: ["a", "k"] } do c end}")
  println("#{for x in Bag { items: Set.from_list([3, 1, 3]) } do x end}")
  let grid = for a in Countdown { start: 2 } do
    for b in Naturals { n: 0 } do
      if b == a do break end
      "#{a}#{b}"
    end
  end
  println("#{grid}")
  println("#{for {k, v} in Table { m: %{"a" => 1, "b" => 2} } do "#{k}=#{v}" end}")
end

# Declared after its use in `main`: the checker orders functions by what they use.
struct Table do
  m :: Map<String, Int>
end

impl Iterable for Table do
  type Item = (String, Int)
  type Iter = Map<String, Int>
  fn iter(self) do self.m end
end

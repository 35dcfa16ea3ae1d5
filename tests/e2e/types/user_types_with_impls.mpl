# Issue 12: impls are keyed by the type's identity. A program's own Set, Iter and Json get their
# impls (Display, Iterator, operators, From) although stdlib types of those names exist.
struct Set do
  items :: List<Int>
end

impl Display for Set do
  fn to_string(self) -> String = "set of #{List.length(self.items)}"
end

impl Add for Set do
  fn add(self, other :: Set) -> Set = Set { items: List.concat(self.items, other.items) }
end

struct Iter do
  next_value :: Int
  stop :: Int
end

impl Iterator for Iter do
  type Item = Int
  fn next(self) -> Option<(Int, Iter)> do
    if self.next_value >= self.stop do
      None
    else
      Some((self.next_value, %{self | next_value: self.next_value + 1}))
    end
  end
end

type Json do
  Text(String)
  Number(Int)
end deriving(Eq)

impl From<Int> for Json do
  fn from(n :: Int) -> Json = Number(n)
end

impl From<String> for Json do
  fn from(s :: String) -> Json = Text(s)
end

fn main() do
  let s = Set { items: [1, 2] } + Set { items: [3] }
  println("#{s} #{s.to_string()}")
  let squares = for x in Iter { next_value: 1, stop: 4 } do x * x end
  println("#{squares}")
  let a = Json.from(5)
  let b = Json.from("five")
  let shown = case a do
    Number(n) -> "number #{n}"
    Text(t) -> t
  end
  println("#{shown} #{a == Number(5)} #{b == Text("five")}")
  # The stdlib Set and Json beside them.
  println("#{Set.size(Set.from_list([4, 4, 5]))} #{Json.encode([1, 2])}")
end

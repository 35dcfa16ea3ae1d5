# A user `impl Eq` + `impl Hash` (a name compared case-insensitively) is respected by `==`,
# by derived equality of enclosing types, and by the runtime's collections: Map keys, Set
# elements, List.contains, and `==` on lists, maps, tuples and options of such values.
struct Name do
  text :: String
end

impl Eq for Name do
  fn eq(self, other :: Name) -> Bool do
    String.to_lower(self.text) == String.to_lower(other.text)
  end
end

impl Hash for Name do
  fn hash(self) -> Int do
    String.length(self.text)
  end
end

impl Display for Name do
  fn to_string(self) -> String do self.text end
end

# A user Eq without a user Hash: such values hash alike, so collections stay correct.
type Parity do
  Num(Int)
end

impl Eq for Parity do
  fn eq(self, other :: Parity) -> Bool do
    case (self, other) do
      (Num(a), Num(b)) -> a % 2 == b % 2
    end
  end
end

struct Account do
  owner :: Name
  balance :: Int
end deriving(Eq, Display)

fn main() do
  let a = Name { text: "Ada" }
  let b = Name { text: "ADA" }
  let c = Name { text: "Bob" }
  println("#{a == b} #{a != b} #{a == c}")
  println("#{Account { owner: a, balance: 1 } == Account { owner: b, balance: 1 }}")
  println("#{[a, c] == [b, Name { text: "bob" }]} #{[a] == [c]}")
  println("#{Some(a) == Some(b)} #{(a, 1) == (b, 1)} #{[Some((a, [b]))] == [Some((b, [a]))]}")

  let ages = %{a => 36} |> Map.put(c, 40) |> Map.put(b, 37)
  println("#{Map.size(ages)} #{Map.get(ages, Name { text: "aDa" })} #{Map.has_key(ages, Name { text: "BOB" })}")
  println("#{ages}")
  println("#{%{a => 1} == %{b => 1}}")

  let names = Set.new() |> Set.add(a) |> Set.add(b) |> Set.add(c) |> Set.add(Name { text: "bOB" })
  println("#{Set.size(names)} #{Set.contains(names, Name { text: "ada" })} #{names}")
  println("#{List.contains([a, c], Name { text: "BOB" })} #{List.contains([a], c)}")

  let nested = Set.from_list([[Some(a)], [Some(b)], [None], [Some(c)]])
  println("#{Set.size(nested)}")
  let by_pair = Map.from_list([((a, 1), "x"), ((b, 1), "y")])
  println("#{Map.size(by_pair)} #{Map.get(by_pair, (Name { text: "ada" }, 1))}")
  let parities = Set.from_list([Num(1), Num(2), Num(3), Num(4)])
  println("#{Set.size(parities)} #{Map.get(%{Num(7) => "odd"}, Num(1))} #{[Num(2)] == [Num(0)]}")
  println(a.inspect())
end

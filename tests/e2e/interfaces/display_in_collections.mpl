# A user `impl Display` is used wherever the value is printed: directly, and as an element
# of lists, maps, sets, tuples and other structs' derived Display; `inspect` stays
# structural.
struct Money do
  cents :: Int
end

impl Display for Money do
  fn to_string(self) -> String do
    "$#{self.cents / 100}.#{self.cents % 100}"
  end
end

type Shape do
  Dot
  Square(Int)
end

impl Display for Shape do
  fn to_string(self) -> String do
    case self do
      Dot -> "a dot"
      Square(n) -> "a square of #{n}"
    end
  end
end

struct Order do
  total :: Money
end deriving(Display)

fn main() do
  let m = Money { cents: 1234 }
  println("#{m}")
  println("#{[m, Money { cents: 5 }]}")
  println("#{%{"price" => m}}")
  println("#{[Dot, Square(3)]}")
  println("#{Order { total: m }}")
  println(m.inspect())
end

# Requirements of a generalised `let`'s value are checked per use: arithmetic at Int, Float
# and a user type with an `impl Add`, Display, comparison, JSON encoding, and the `where`
# bound of a generic function it calls; an operand no use fixes defaults to Int (as in
# `List.map([], sq)`).
interface Show do
  fn show(self) -> String
end

struct Money do
  cents :: Int
end deriving(Display)

impl Add for Money do
  fn add(self, other :: Money) -> Money = Money { cents: self.cents + other.cents }
end

impl Show for Int do
  fn show(self) -> String do "int #{self}" end
end

impl Show for Money do
  fn show(self) -> String do "#{self.cents}c" end
end

fn describe<T>(x :: T) -> String where T: Show do
  x.show()
end

fn main() do
  let double = fn x -> x + x end
  println("#{double(2)} #{double(1.5)} #{double(Money { cents: 7 })}")
  let quad = fn x -> double(double(x)) end
  println("#{quad(1)} #{quad(0.25)}")
  let sq = fn x -> x * x end
  println("#{List.map([1, 2, 3], sq)} #{List.map([0.5], sq)} #{List.map([], sq)}")

  let show = fn x -> "<#{x}>" end
  println("#{show(1)} #{show("s")} #{show([Some(true)])} #{show(Money { cents: 1 })}")

  let smaller = fn a, b -> if a < b do a else b end end
  println("#{smaller(3, 2)} #{smaller("pear", "apple")} #{smaller(1.5, 2.5)}")

  let encode = fn x -> Json.encode(x) end
  println("#{encode(1)} #{encode(["a", "b"])} #{encode(%{"k" => 2})}")

  let d = fn x -> describe(x) end
  println("#{d(1)} #{d(Money { cents: 3 })}")
end

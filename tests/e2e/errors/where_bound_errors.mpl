# expect: E0006 when a type argument lacks the bound's impl (checked at the call, spec §5.4),
# E0027 when two bounds give the method, E0030 on an unbounded type parameter
interface Show do
  fn show(self) -> String
end

interface Label do
  fn show(self) -> String
end

impl Show for Int do
  fn show(self) -> String do "#{self}" end
end

fn show_one<T>(x :: T) -> String where T: Show do
  x.show()
end

fn both<T>(x :: T) -> String where T: Show, T: Label do
  x.show()
end

fn unbounded<T>(x :: T) -> String do
  x.show()
end

fn main() do
  println(show_one(1))
  println(show_one("text"))
  println(show_one([1]))
end

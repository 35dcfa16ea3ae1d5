# expect: E0040 (Out missing), E0041 (Extra not declared), E0042 (Self.Out outside an impl)
interface Describe do
  type Out
  fn describe(self) -> String
end

impl Describe for Int do
  type Extra = Int
  fn describe(self) -> String do "int" end
end

fn f(x :: Self.Out) -> Int = 1

fn main() do
  println(3.describe())
end

# deriving(Eq, Ord, Display) on structs and sum types, a hand-written Display impl, generic
# types, and the built-in Option/Result/tuple forms.
struct Point do
  x :: Int
  y :: Int
end deriving(Eq, Ord, Display)

type Shape do
  Dot
  Circle(Float)
  Rect(w :: Float, h :: Float)
end deriving(Eq, Ord, Display)

struct Temp do
  c :: Float
end

impl Display for Temp do
  fn to_string(self) -> String do "#{self.c}°C" end
end

struct Box<T> do
  value :: T
end deriving(Display)

fn main() do
  let p = Point { x: 1, y: 2 }
  println("#{p} #{p == Point { x: 1, y: 2 }} #{p != Point { x: 1, y: 3 }} #{p < Point { x: 1, y: 3 }}")
  println("#{Dot} #{Circle(1.5)} #{Rect(2.0, 3.0)}")
  println("#{Circle(1.0) == Circle(1.0)} #{Circle(1.0) == Circle(2.0)} #{Dot < Circle(0.0)} #{Rect(1.0, 2.0) > Rect(1.0, 1.0)}")
  println("#{Temp { c: 21.5 }} #{Box { value: Temp { c: 3.0 } }} #{Box { value: "s" }}")
  println("#{Some(3)} #{None == Some(1)} #{Ok(1) == Ok(1)} #{(1, "a") == (1, "a")} #{(1, 2) < (1, 3)}")
  let o :: Int? = None
  println("#{o} #{Some(Point { x: 0, y: 0 })}")
end

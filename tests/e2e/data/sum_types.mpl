# User sum types with nullary, positional and named payloads, matched with case.
type Shape do
  Dot
  Circle(Float)
  Rect(w :: Float, h :: Float)
end

fn area(s :: Shape) -> Float do
  case s do
    Dot -> 0.0
    Circle(r) -> 3.0 * r * r
    Rect(w, h) -> w * h
  end
end

fn name(s) do
  case s do
    Shape.Dot -> "dot"
    Shape.Circle(_) -> "circle"
    Shape.Rect(_, _) -> "rect"
  end
end

fn main() do
  println("#{area(Circle(2.0))} #{area(Rect(2.0, 3.5))} #{area(Dot)}")
  println("#{name(Dot)} #{name(Shape.Circle(1.0))} #{name(Rect(1.0, 1.0))}")
end

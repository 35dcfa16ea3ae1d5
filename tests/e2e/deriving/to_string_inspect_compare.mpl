# x.to_string() (Display), x.inspect() (Debug: quoted strings, named fields) and compare(a, b)
# returning an Ordering.
struct Point do
  x :: Int
  name :: String
end deriving(Eq, Ord, Display, Debug)

type Shape do
  Dot
  Circle(Float)
end

fn show(o) do
  case o do
    Less -> "less"
    Equal -> "equal"
    Greater -> "greater"
  end
end

fn main() do
  let p = Point { x: 1, name: "a\"b" }
  println(p.to_string())
  println(p.inspect())
  println(Circle(2.0).inspect() <> " " <> Dot.inspect() <> " " <> (1, "x").inspect())
  println(5.to_string() <> " " <> 2.5.to_string() <> " " <> true.to_string() <> " " <> "s".inspect())
  println("#{show(compare(1, 2))} #{show(compare("b", "a"))} #{show(compare(p, p))}")
end

# expect: E0010 unknown variant: Shape.Square
type Shape do
  Dot
end

fn main() do
  let s = Shape.Square
  println("x")
end

# Clause parameters may be tuples and constructors; the first matching clause runs.
type Shape do
  Circle(Float)
  Square(Float)
end

fn area(Circle(r)) = 3.0 * r * r
fn area(Square(s)) = s * s

fn swap((a, b)) = (b, a)

fn describe(0, _) = "zero first"
fn describe(_, 0) = "zero second"
fn describe(a, b) when a == b = "same"
fn describe(_, _) = "different"

fn main() do
  println("#{area(Circle(1.0))} #{area(Square(3.0))}")
  let (x, y) = swap((1, "one"))
  println("#{x} #{y}")
  println("#{describe(0, 5)}, #{describe(5, 0)}, #{describe(2, 2)}, #{describe(1, 2)}")
end

# test: exit=101
# Multi-clause closures with guards, pattern parameters, `as` patterns; an unmatched closure
# call panics.
type Shape do
  Dot
  Circle(Float)
end

fn apply(f, x) = f(x)

fn main() do
  let sign = fn 0 -> "zero" | n when n > 0 -> "pos" | _ -> "neg" end
  println("#{sign(0)} #{sign(5)} #{sign(-2)}")
  let swap = fn ((a, b)) -> (b, a) end
  let (x, y) = swap((1, "one"))
  println("#{x} #{y}")
  let name = fn Circle(_) -> "circle" | Dot -> "dot" end
  println("#{apply(name, Circle(1.0))} #{apply(name, Dot)}")
  let r = case Circle(2.0) do
    Circle(_) as c -> "#{c == Circle(2.0)}"
    Dot -> "dot"
  end
  println(r)
  let bad = fn 1 -> "one" end
  println(bad(2))
end

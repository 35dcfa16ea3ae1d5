# Or-patterns with bindings: every alternative binds the same names, the first matching
# alternative gives their values, and a guard after an or-pattern sees those values (a failing
# guard goes on with the next arm, not with the next alternative).
type Shape do
  Circle(Int)
  Square(Int)
  Rect(Int, Int)
  Dot
end

fn side(s) do
  case s do
    Circle(n) | Square(n) -> "one number #{n}"
    Rect(a, _) | Rect(_, a) when a > 100 -> "huge side #{a}"
    Rect(a, b) -> "two numbers #{a} #{b}"
    Dot -> "no numbers"
  end
end

fn pick(pair) do
  case pair do
    (x, 0) | (0, x) -> "one zero, other #{x}"
    (x, y) | (y, x) when x > y -> "first wins #{x} #{y}"
    (x, y) -> "second wins or tie #{x} #{y}"
  end
end

fn nested(v) do
  case v do
    Some(Circle(r) | Square(r)) when r > 1 -> "round or square #{r}"
    Some(Rect(1, r) | Rect(r, 1)) -> "thin #{r}"
    Some(_) -> "other shape"
    None -> "no shape"
  end
end

fn maybe_small(v) do
  case v do
    Some(1 | 2 | 3) -> "small"
    Some(n) -> "other #{n}"
    None -> "none"
  end
end

fn main() do
  for s in [Circle(3), Square(4), Rect(200, 5), Rect(5, 200), Rect(1, 2), Dot] do
    println(side(s))
  end
  for p in [(5, 0), (0, 6), (0, 0), (9, 2), (2, 9), (4, 4)] do
    println(pick(p))
  end
  for v in [Some(2), Some(3), Some(4), None] do
    println(maybe_small(v))
  end
  for v in [Some(Circle(2)), Some(Square(1)), Some(Rect(1, 7)), Some(Rect(8, 1)), Some(Dot), None] do
    println(nested(v))
  end
end

# A failing guard falls through to the later arms, including arms of the same constructor;
# each guard runs at most once, only when its pattern matched and every earlier arm failed,
# and in arm order (the checks below print when they run).
type Shape do
  Circle(Int)
  Rect(Int, Int)
  Dot
end

fn check(name :: String, b :: Bool) -> Bool do
  println("  check #{name}")
  b
end

fn size(s) do
  case s do
    Circle(r) when check("big circle", r > 10) -> "big circle"
    Rect(w, h) when check("square", w == h) -> "square"
    Circle(r) when check("small circle", r > 0) -> "small circle"
    Rect(w, _) when check("wide", w > 5) -> "wide rect"
    Circle(_) -> "empty circle"
    Rect(_, _) -> "narrow rect"
    Dot -> "dot"
  end
end

# Every arm guarded: nothing matches the last values, so the wildcard's arm runs.
fn bucket(n) do
  case n do
    x when check("negative", x < 0) -> "negative"
    0 -> "zero"
    x when check("small", x < 10) -> "small"
    x when check("medium", x < 100) -> "medium"
    _ -> "large"
  end
end

fn main() do
  for s in [Circle(20), Circle(3), Circle(0), Rect(2, 2), Rect(9, 1), Rect(1, 9), Dot] do
    println(size(s))
  end
  for n in [-5, 0, 7, 50, 500] do
    println(bucket(n))
  end
end

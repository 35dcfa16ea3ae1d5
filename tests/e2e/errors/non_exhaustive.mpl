# expect: E0012 on each case, listing the missing patterns; W0001 for the unreachable arm
type Shape do
  Dot
  Circle(Float)
  Rect(w :: Float, h :: Float)
end

fn name(s) do
  case s do
    Dot -> "dot"
  end
end

fn flags(p) do
  case p do
    (true, _) -> 1
    (_, false) -> 2
  end
end

fn maybe(o) do
  case o do
    Some(1) -> 1
    None -> 2
  end
end

fn any(n :: Int) -> Int do
  case n do
    x when x > 0 -> 1
    _ -> 0
    3 -> 2
  end
end

fn main() do
  println("#{name(Dot)} #{flags((true, true))} #{maybe(None)} #{any(3)}")
end

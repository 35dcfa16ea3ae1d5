# spec: language §4.4, §5.8 — calling a field that does not hold a function is E0005.
struct Point do
  x :: Int
end

fn main() do
  let p = Point { x: 1 }
  println("#{p.x(2)}")
end

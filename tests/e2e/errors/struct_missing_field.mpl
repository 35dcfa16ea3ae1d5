# expect: E0009 missing field y in struct Point
struct Point do
  x :: Int
  y :: Int
end

fn main() do
  let p = Point { x: 1 }
  println("#{p.x}")
end

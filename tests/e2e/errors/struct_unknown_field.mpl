# expect: E0009 unknown field z in struct Point
struct Point do
  x :: Int
end

fn main() do
  let p = Point { x: 1, z: 2 }
  println("#{p.x}")
end

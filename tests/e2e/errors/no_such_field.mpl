# expect: E0009 type Point has no field z
struct Point do
  x :: Int
end

fn main() do
  let p = Point { x: 1 }
  println("#{p.z}")
end

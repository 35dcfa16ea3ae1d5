# expect: E0006 Point does not implement Json (Json.encode needs deriving(Json), spec §11.1)
struct Point do
  x :: Int
end

fn main() do
  println(Json.encode(Point { x: 1 }))
end

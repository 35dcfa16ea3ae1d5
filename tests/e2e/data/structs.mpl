# Struct literals (any field order), field access, and update with %{ | }.
struct Point do
  x :: Int
  y :: Int
end

struct Labeled do
  name :: String
  at :: Point
end

fn shift(p :: Point, dx :: Int) -> Point = %{p | x: p.x + dx}

fn main() do
  let p = Point { y: 2, x: 1 }
  let q = shift(p, 10)
  println("p = (#{p.x}, #{p.y})")
  println("q = (#{q.x}, #{q.y})")
  let l = Labeled { name: "origin", at: Point { x: 0, y: 0 } }
  println("#{l.name} at #{l.at.x},#{l.at.y}")
  let moved = %{l | at: q}
  println("#{moved.name} at #{moved.at.x},#{moved.at.y}; old still #{l.at.x}")
end

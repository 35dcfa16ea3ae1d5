# Arithmetic operators on a user type come from its Add/Mul impls.
struct Vec2 do
  x :: Float
  y :: Float
end

impl Add for Vec2 do
  fn add(self, other :: Vec2) -> Vec2 do Vec2 { x: self.x + other.x, y: self.y + other.y } end
end

impl Mul for Vec2 do
  fn mul(self, other :: Vec2) -> Vec2 do Vec2 { x: self.x * other.x, y: self.y * other.y } end
end

fn main() do
  let a = Vec2 { x: 1.0, y: 2.0 }
  let b = Vec2 { x: 0.5, y: 4.0 }
  let c = a + b * b
  println("#{c.x} #{c.y}")
end

pub struct Point do
  x :: Int
  y :: Int
end

pub type Kind do
  Near
  Far(Int)
end

pub fn origin() -> Point = Point { x: 0, y: 0 }

pub fn distance2(p :: Point) -> Int = square(p.x) + square(p.y)

pub fn classify(p :: Point) -> Kind do
  let d = distance2(p)
  if d < 10 do Near else Far(d) end
end

fn square(n :: Int) -> Int = n * n

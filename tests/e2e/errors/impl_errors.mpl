# expect: E0007 (missing method) and E0026 (second impl)
interface Describe do
  fn describe(self) -> String
end

interface Label do
  fn describe(self) -> String
end

struct Point do
  x :: Int
end

impl Describe for Point do
end

impl Label for Point do
  fn describe(self) -> String do "label" end
end

impl Label for Point do
  fn describe(self) -> String do "again" end
end

fn main() do
  let p = Point { x: 1 }
  println("#{p.x}")
end

# expect: E0027 (two interfaces give `describe`) and E0030 (no method `shout`)
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
  fn describe(self) -> String do "point" end
end

impl Label for Point do
  fn describe(self) -> String do "label" end
end

fn main() do
  let p = Point { x: 1 }
  println(p.describe())
  println(p.shout())
end

# spec: language §3.6, §5.3 — `-x` calls a user type's Neg impl; `- / %` their Sub/Div/Mod impls.
struct V2 do
  x :: Int
  y :: Int
end deriving(Display)

impl Neg for V2 do
  type Output = V2
  fn neg(self) -> V2 do V2 { x: 0 - self.x, y: 0 - self.y } end
end

impl Sub for V2 do
  type Output = V2
  fn sub(self, o :: V2) -> V2 do V2 { x: self.x - o.x, y: self.y - o.y } end
end

impl Div for V2 do
  type Output = V2
  fn div(self, o :: V2) -> V2 do V2 { x: self.x / o.x, y: self.y / o.y } end
end

impl Mod for V2 do
  type Output = V2
  fn rem(self, o :: V2) -> V2 do V2 { x: self.x % o.x, y: self.y % o.y } end
end

fn flip(v :: V2) -> V2 = -v

fn main() do
  let a = V2 { x: 7, y: -9 }
  let b = V2 { x: 2, y: 4 }
  println("#{-a} #{flip(b)} #{- -a}")
  println("#{a - b} #{a / b} #{a % b} #{-(a - b)}")
end

# expect: E0008 when an impl method's signature differs from the interface's (return type,
# parameter type, parameter count), with Self the impl's target type
interface Shape do
  fn area(self) -> Float
  fn scale(self, by :: Float) -> Self
  fn name(self) -> String
end

struct Square do
  side :: Float
end

impl Shape for Square do
  fn area(self) -> Int do 1 end
  fn scale(self, by :: Int) -> Square do self end
  fn name(self, extra :: String) -> String do extra end
end

fn main() do
  println("#{Square { side: 1.0 }.side}")
end

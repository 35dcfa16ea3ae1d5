# Interfaces: impl methods called with dot syntax, default methods, static methods
# (Wrapper.from), and impls for built-in types.
struct Reading do
  sensor :: String
  value :: Int
end

interface Describe do
  fn describe(self) -> String
  fn tag(self) -> String do "item" end
end

impl Describe for Reading do
  fn describe(self) -> String do "#{self.sensor}=#{self.value}" end
end

struct Wrapper do
  n :: Int
end

impl From<Int> for Wrapper do
  fn from(n :: Int) -> Wrapper do Wrapper { n: n * 10 } end
end

impl Describe for Int do
  fn describe(self) -> String do "int #{self}" end
  fn tag(self) -> String do "number" end
end

fn main() do
  let r = Reading { sensor: "temp", value: 21 }
  println(r.describe())
  println(r.tag())
  let w = Wrapper.from(3)
  println("#{w.n}")
  println(5.describe() <> " " <> 5.tag())
end

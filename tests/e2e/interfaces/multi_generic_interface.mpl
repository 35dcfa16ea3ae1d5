# spec: language §3.6 — two impls of a declared generic interface for one type: `x.m(arg)`
# picks the impl whose method takes the argument's type.
interface Combine<T> do
  fn combine(self, other :: T) -> String
end
struct Tag do
  name :: String
end
impl Combine<Int> for Tag do
  fn combine(self, other :: Int) -> String do "#{self.name}##{other}" end
end
impl Combine<String> for Tag do
  fn combine(self, other :: String) -> String do "#{self.name}/#{other}" end
end
fn main() do
  let t = Tag { name: "a" }
  println(t.combine(3))
  println(t.combine("b"))
end

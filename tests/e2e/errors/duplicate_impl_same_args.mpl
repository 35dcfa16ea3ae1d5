# expect: E0026 only for an impl whose interface arguments repeat an earlier one's;
# `From<Int>` beside `From<String>` is fine
struct W do
  text :: String
end

impl From<Int> for W do
  fn from(n :: Int) -> W do W { text: "int" } end
end

impl From<String> for W do
  fn from(s :: String) -> W do W { text: "string" } end
end

impl From<Int> for W do
  fn from(n :: Int) -> W do W { text: "again" } end
end

fn main() do
  println(W.from(1).text)
end

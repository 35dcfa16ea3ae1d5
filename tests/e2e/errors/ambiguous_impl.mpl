# expect: E0027 when the argument type leaves several `From` impls open at the end of the
# component (`W.from(x)`, `x.into()`), E0006 when no impl takes the argument's type
struct W do
  text :: String
end

impl From<Int> for W do
  fn from(n :: Int) -> W do W { text: "int" } end
end

impl From<String> for W do
  fn from(s :: String) -> W do W { text: "string" } end
end

fn wrap(x) do
  W.from(x)
end

fn convert(x) -> W do
  x.into()
end

fn main() do
  println(wrap(1).text)
  println(W.from(1.5).text)
  let w :: W = 2.5.into()
  println(w.text)
  println(convert(3).text)
end

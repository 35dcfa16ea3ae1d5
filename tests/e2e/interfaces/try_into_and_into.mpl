# spec: language §3.6, §5.2 — `v.try_into()` / `v.into()` use the TryFrom / From impl of the expected type.
struct Pos do
  n :: Int
end
impl TryFrom<Int> for Pos do
  fn try_from(n :: Int) -> Result<Pos, String> do
    if n > 0 do Ok(Pos { n: n }) else Err("not positive") end
  end
end
struct Wrapper do
  v :: Int
end
impl From<Int> for Wrapper do
  fn from(n :: Int) -> Wrapper do Wrapper { v: n } end
end
fn show(r :: Result<Pos, String>) -> String do
  case r do
    Ok(p) -> "pos #{p.n}"
    Err(e) -> e
  end
end
fn wrap(n :: Int) -> Wrapper do
  n.into()
end
fn main() do
  let r :: Result<Pos, String> = 5.try_into()
  println(show(r))
  println(show((-2).try_into()))
  let w :: Wrapper = 7.into()
  println("#{w.v} #{wrap(8).v}")
end

# spec: language §3.6, §5.2 — `try_into()`/`into()` need a known target type with the impl.
struct Pos do
  n :: Int
end
fn main() do
  let a = 5.try_into()
  let b :: Result<Pos, String> = 5.try_into()
  let c :: Pos = "x".into()
end

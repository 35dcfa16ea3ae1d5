# expect: E0037 on `5?` and E0036 in a function returning Int
fn f() -> Int ! String do
  let x = 5?
  Ok(x)
end

fn g(r :: Int ! String) -> Int do
  let v = r?
  v
end

fn main() do
  println("x")
end

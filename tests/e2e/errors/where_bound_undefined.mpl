# expect: E0058 for a where bound on an undeclared type parameter or an unknown interface
fn f<T>(x :: T) -> String where U: Show do
  "a"
end
fn g<T>(x :: T) -> String where T: Nope do
  "a"
end
fn main() do
  println(f(1))
end

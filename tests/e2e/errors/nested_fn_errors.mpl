# expect: E0004 at 6:39 (nested functions see only those declared before them), E0053 at 8:9,
# E0024 at 10:6, E0022 at 12:6.
fn main() do
  fn helper(x) = x
  println("#{helper(1)}")
  fn even(n) = if n == 0 do true else odd(n - 1) end
  fn odd(n) = if n == 0 do false else even(n - 1) end
  fn id<T>(x :: T) -> T = x
  fn two(0) = 0
  fn two(a, b) = a
  fn any(x) = x
  fn any(0) = 1
end

# expect: E0002 a function applied to itself
fn self_apply(f) = f(f)

fn main() do
  println("x")
end

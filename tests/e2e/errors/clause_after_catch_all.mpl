# expect: E0022 on the clause after the catch-all
fn f(n) = n
fn f(0) = 1

fn main() do
  println("#{f(1)}")
end

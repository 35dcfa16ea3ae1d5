# expect: E0024 and W0002 (a return type on a later clause)
fn f(0) = 1
fn f(n, m) = n + m

fn h(0) = 1
fn h(n) -> Int = n

fn main() do
  println("#{f(1)} #{h(2)}")
end

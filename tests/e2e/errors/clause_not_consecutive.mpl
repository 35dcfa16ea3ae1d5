# expect: E0023 f/1 defined again after another item
fn f(0) = 1

fn g() = 2

fn f(n) = n

fn main() do
  println("#{f(1)}")
end

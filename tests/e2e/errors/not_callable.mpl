# expect: E0005 type Int is not callable
fn main() do
  let n = 3
  println("#{n(1)}")
end

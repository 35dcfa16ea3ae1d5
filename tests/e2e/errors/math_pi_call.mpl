# expect: E0005 when Math.pi (a constant) is called like a function
fn main() do
  println("#{Math.pi()}")
end

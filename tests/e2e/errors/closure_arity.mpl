# expect: E0003 the closure takes one argument
fn main() do
  let f = fn x -> x + 1 end
  println("#{f(1, 2)}")
end

# expect: E0001 expected Float, found String (the Circle payload)
type Shape do
  Circle(Float)
end

fn main() do
  let s = Circle("big")
  println("x")
end

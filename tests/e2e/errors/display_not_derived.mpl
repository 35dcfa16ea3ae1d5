# expect: E0006 Point does not implement Display (Display is never implicit, spec §3.5)
struct Point do
  x :: Int
end

fn main() do
  let p = Point { x: 1 }
  println("#{p}")
end

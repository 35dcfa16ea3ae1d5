# expect: E0001 at 3:18 (expected Int, found String), on "five"
fn main() do
  let n :: Int = "five"
  println("#{n}")
end

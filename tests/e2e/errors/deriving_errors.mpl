# expect: E0028 (Show is not derivable), E0029 (Ord without Eq)
struct A do
  x :: Int
end deriving(Show)

struct B do
  x :: Int
end deriving(Ord)

fn main() do
  println("x")
end

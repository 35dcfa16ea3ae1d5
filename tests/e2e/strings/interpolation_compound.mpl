# Interpolation of expressions of every Display type, nested calls and tuples of them.
struct P do
  x :: Int
end deriving(Display)

fn label(n :: Int) -> String = "n#{n}"

fn main() do
  let t = (1, "two", 3.5, false)
  println("t=#{t} p=#{P { x: 7 }} call=#{label(3)} nested=#{"in #{label(4)}"}")
  println("opt=#{Some(P { x: 1 })} none=#{None == Some(1)} ok=#{Ok(2.0) == Ok(2.0)}")
end

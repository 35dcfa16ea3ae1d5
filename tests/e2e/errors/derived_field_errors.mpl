# expect: E0038 (a function field in a Json struct), E0039 (a tuple field in a Row struct)
struct Handler do
  name :: String
  run :: Fun(Int) -> Int
end deriving(Json)

struct Record do
  id :: Int
  pair :: (Int, Int)
end deriving(Row)

fn main() do
  println("x")
end

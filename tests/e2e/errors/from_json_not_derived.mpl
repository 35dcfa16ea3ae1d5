# expect: E0006 for T.from_json on types without deriving(Json) (spec §3.5)
struct Point do
  x :: Int
end

type Mood do
  Calm
end deriving(Eq)

fn main() do
  let p = Point.from_json("{\"x\": 1}")
  let m = Mood.from_json("{}")
  println("unreachable")
end

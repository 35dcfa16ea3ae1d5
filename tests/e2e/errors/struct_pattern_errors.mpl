# expect: struct patterns are only the built-in `Down { … }` / `Exit { … }` (E0005 for others,
# the language has none), with their own fields (E0009 unknown, E0009 missing without `..`)
struct Point do
  x :: Int
  y :: Int
end

fn main() do
  let p = Point { x: 1, y: 2 }
  case p do
    Point { x, .. } -> println("#{x}")
  end
  receive do
    Down { reason, cause } -> println(reason)
  end
end

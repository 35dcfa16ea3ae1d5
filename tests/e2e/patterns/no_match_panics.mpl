# test: exit=101
# A guard can leave a value unmatched at run time: the program panics.
fn pick(n :: Int) -> String do
  case n do
    x when x > 0 -> "positive"
    x when x <= 0 and x > -5 -> "small"
  end
end

fn main() do
  println(pick(3))
  println(pick(-10))
end

# spec: language §4.7 — an `else if` chain shares one final `end`.
fn classify(n :: Int) -> String do
  if n < 0 do
    "negative"
  else if n == 0 do
    "zero"
  else if n < 10 do
    "small"
  else if n < 100 do
    "medium"
  else
    "large"
  end
end

fn main() do
  println(classify(-3))
  println(classify(0))
  println(classify(7))
  println(classify(42))
  println(classify(1000))
end

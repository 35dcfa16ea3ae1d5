# Nested `if`s are expressions whose values flow into lets, returns and operators.
fn sign_name(a :: Int, b :: Int) -> String do
  let label = if a > 0 do
    if b > 0 do
      "both positive"
    else
      "only a positive"
    end
  else
    if b > 0 do
      "only b positive"
    else
      "neither positive"
    end
  end
  label
end

fn max3(a :: Int, b :: Int, c :: Int) -> Int do
  if a >= b do
    if a >= c do a else c end
  else
    if b >= c do b else c end
  end
end

fn main() do
  println(sign_name(1, 2))
  println(sign_name(1, -2))
  println(sign_name(-1, 2))
  println(sign_name(-1, -2))
  println("#{max3(1, 2, 3)} #{max3(3, 2, 1)} #{max3(2, 3, 1)} #{max3(5, 5, 5)}")
  let n = 4
  let next = if n % 2 == 0 do n / 2 else 3 * n + 1 end
  println("#{next}")
  let total = 1 + (if n > 3 do 10 else 20 end)
  println("#{total}")
end

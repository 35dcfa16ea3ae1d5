fn describe(n :: Int) -> String do
  if n > 0 do
    "positive"
  else
    "not positive"
  end
end

fn main() do
  println(describe(5))
  println(describe(-5))
  let x = if 1 < 2 do "yes" else "no" end
  println(x)
  if true do
    println("then branch")
  else
    println("else branch")
  end
  if 1 > 2 do
    println("then branch")
  else
    println("else branch")
  end
end

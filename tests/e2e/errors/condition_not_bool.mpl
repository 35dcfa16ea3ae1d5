# expect: E0001 an if condition must be Bool
fn main() do
  if 1 do
    println("x")
  end
end

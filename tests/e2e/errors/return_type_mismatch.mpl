# expect: E0001 on the returned value (declared Int, found String)
fn f(n :: Int) -> Int do
  if n > 0 do
    return "positive"
  end
  n
end

fn main() do
  println("#{f(1)}")
end

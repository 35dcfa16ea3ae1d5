# 20! is the largest factorial that fits in an Int; 21! wraps (two's complement).
fn fact(n :: Int) -> Int = if n <= 1 do 1 else n * fact(n - 1) end

fn main() do
  println("#{fact(0)} #{fact(1)} #{fact(5)}")
  println("#{fact(20)}")
  println("#{fact(21)}")
end

# spec: language §5.3 — Int + - * wrap on overflow (two's complement).
fn add(a :: Int, b :: Int) -> Int = a + b

fn main() do
  let max = 9223372036854775807
  let min = -9223372036854775807 - 1
  println("#{max}")
  println("#{min}")
  println("#{max + 1}")
  println("#{min - 1}")
  println("#{add(max, max)}")
  println("#{max * 2}")
  println("#{4611686018427387904 * 2}")
  println("#{-min}")
  println("#{1_000_000_007 * 1_000_000_009 * 1_000_000_021}")
end

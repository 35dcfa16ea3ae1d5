# Benchmark: building a string by repeated concatenation and interpolation.
fn build(i :: Int, n :: Int, acc :: String) -> String do
  if i == n do acc else build(i + 1, n, acc <> "#{i % 10}") end
end

fn count(i :: Int, n :: Int, total :: Int) -> Int do
  if i == n do total else count(i + 1, n, total + String.length(build(0, 100, ""))) end
end

fn main() do
  println("#{count(0, 20000, 0)}")
end

# Parameter and return annotations are optional; `let` may be annotated too.
fn add(a :: Int, b :: Int) -> Int do
  a + b
end

fn scale(x :: Float, factor :: Float) -> Float do
  x * factor
end

fn join(a :: String, b) do
  a <> ", " <> b
end

fn inc(n) do
  n + 1
end

fn pick(flag :: Bool, a :: Int, b :: Int) -> Int do
  if flag do a else b end
end

fn three() -> Int do
  3
end

fn main() do
  let x :: Int = add(2, 3)
  let y :: Float = scale(1.5, 4.0)
  let z :: String = join("left", "right")
  println("#{x}")
  println("#{y}")
  println(z)
  println("#{inc(41)}")
  println("#{pick(true, 1, 2)} #{pick(false, 1, 2)}")
  println("#{three() * add(1, 1)}")
  println("#{add(add(1, 2), add(3, 4))}")
end

# spec: language §2.3 — top-level functions are visible before their definition, so main
# comes first and is_even/is_odd call each other.
fn main() do
  println("#{is_even(10)}")
  println("#{is_odd(10)}")
  println("#{is_even(7)}")
  println("#{is_odd(7)}")
  println("#{is_even(0)}")
  println("#{is_odd(99)}")
end

fn is_even(n :: Int) -> Bool do
  if n == 0 do
    true
  else
    is_odd(n - 1)
  end
end

fn is_odd(n :: Int) -> Bool do
  if n == 0 do
    false
  else
    is_even(n - 1)
  end
end

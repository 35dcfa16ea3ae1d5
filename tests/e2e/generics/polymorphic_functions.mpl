# Unannotated functions are generalised: one definition used at several types, including
# through other generic functions and with closures.
fn pair(a, b) = (a, b)
fn first(p) do
  let (a, _) = p
  a
end
fn apply_twice(f, x) = f(f(x))
fn choose(c :: Bool, a, b) = if c do a else b end

fn main() do
  println("#{first(pair(1, "x"))} #{first(pair("y", 2.5))}")
  println("#{apply_twice(fn s -> s <> "!" end, "hi")} #{apply_twice(fn n -> n * n end, 3)}")
  println("#{choose(true, 1, 2)} #{choose(false, "a", "b")} #{choose(true, Some(1), None)}")
end

# spec: language §4.2 — * / % bind tighter than + -, both left-associative;
# prefix minus binds tighter than every binary operator.
fn main() do
  println("#{1 + 2 * 3}")
  println("#{(1 + 2) * 3}")
  println("#{10 - 4 - 3}")
  println("#{100 / 10 / 5}")
  println("#{2 * 3 + 4 * 5}")
  println("#{20 % 6 * 2}")
  println("#{1 + 10 % 4}")
  println("#{-2 * 3}")
  println("#{(7 - 10) * (2 + 3)}")
end

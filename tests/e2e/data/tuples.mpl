# Tuples: construction, destructuring let, and tuple patterns.
fn divmod(a :: Int, b :: Int) -> (Int, Int) = (a / b, a % b)

fn classify(pair) do
  case pair do
    (0, 0) -> "origin"
    (0, _) -> "on y axis"
    (_, 0) -> "on x axis"
    (x, y) -> "at #{x},#{y}"
  end
end

fn main() do
  let (q, r) = divmod(17, 5)
  println("17 = 5 * #{q} + #{r}")
  let (name, (a, b)) = ("nested", (1.5, true))
  println("#{name} #{a} #{b}")
  println(classify((0, 0)))
  println(classify((0, 3)))
  println(classify((2, 0)))
  println(classify((2, 3)))
end

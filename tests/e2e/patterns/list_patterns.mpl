# List patterns: `h :: t` against the empty list (reached through `_`), nested cons patterns
# with literal heads, and sum types inside list elements.
fn describe(l) do
  case l do
    0 :: _ -> "starts with zero"
    a :: b :: c :: _ when a + b == c -> "sum #{a} + #{b} = #{c}"
    a :: _ when a < 0 -> "negative head"
    _ -> "other"
  end
end

fn shape(l) do
  case l do
    _ :: _ :: _ :: _ -> "three or more"
    a :: b :: _ -> "two: #{a} #{b}"
    a :: _ -> "one: #{a}"
    _ -> "empty"
  end
end

fn sum_somes(l, acc) do
  case l do
    Some(n) :: rest -> sum_somes(rest, acc + n)
    None :: rest -> sum_somes(rest, acc)
    _ -> acc
  end
end

fn firsts(l) do
  case l do
    (1, x) :: (2, y) :: _ -> "one then two: #{x} #{y}"
    (k, _) :: _ -> "starts at #{k}"
    _ -> "empty"
  end
end

fn main() do
  for l in [[0, 5], [1, 2, 3], [1, 2, 4], [-3], [], [4]] do
    println(describe(l))
  end
  println(shape([]))
  println(shape([1]))
  println(shape([1, 2]))
  println(shape([1, 2, 3]))
  println(shape([1, 2, 3, 4]))
  println("#{sum_somes([Some(1), None, Some(5), Some(10)], 0)}")
  println(firsts([(1, "a"), (2, "b")]))
  println(firsts([(1, "a"), (3, "b")]))
  println(firsts([(4, "a")]))
  println(firsts([]))
end

# Nested functions (spec §4.1) are generalised like `let`s of closures: recursive and
# multi-clause ones too (a self call in tail position still runs in constant stack at every
# type), one nested function used by another at several types, nested functions capturing a
# monomorphic local, and nested functions inside a generic function.
fn pairs_with(a) do
  fn pair(b) = (a, b)
  (pair(1), pair(a), pair("p"))
end

fn main() do
  fn count(xs, acc) do
    case xs do
      _ :: t -> count(t, acc + 1)
      _ -> acc
    end
  end
  let long = for i in 0..300000 do i end
  println("#{count(long, 0)} #{count(["a", "b"], 0)} #{count([[1], [2]], 0)}")

  fn repeat(0, _, acc) = acc
  fn repeat(n, x, acc) = repeat(n - 1, x, [x] ++ acc)
  println("#{repeat(3, "a", [])} #{repeat(2, 1.5, [])} #{count(repeat(300000, true, []), 0)}")

  fn or_else(Some(v), _) = v
  fn or_else(None, d) = d
  println("#{or_else(Some(1), 0)} #{or_else(None, "none")}")

  fn len(xs) do
    case xs do
      _ :: t -> 1 + len(t)
      _ -> 0
    end
  end
  fn twice(x) = [x, x]
  fn both(x) = (len(twice(x)), twice(x))
  println("#{both(1)} #{both("s")} #{List.map([[1], [2, 3]], len)} #{List.map(["ab"], twice)}")

  let sep = ", "
  fn join(xs) do
    case xs do
      h :: t -> if List.length(t) == 0 do "#{h}" else "#{h}#{sep}#{join(t)}" end
      _ -> ""
    end
  end
  println("#{join([1, 2, 3])} / #{join(["a", "b"])} / #{join([true])}")

  println("#{pairs_with("s")} #{pairs_with(2.5)}")
end

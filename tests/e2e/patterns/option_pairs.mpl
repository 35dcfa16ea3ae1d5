# Tuples of sum types, the classic matrix: each component is tested once per path, whether
# the tuple is written in the `case` (matched part by part), held in a variable, or bound whole.
fn merge(a, b) do
  case (a, b) do
    (Some(x), None) -> "left #{x}"
    (None, Some(y)) -> "right #{y}"
    (Some(x), Some(y)) when x == y -> "same #{x}"
    (Some(x), Some(y)) -> "both #{x} #{y}"
    (None, None) -> "neither"
  end
end

fn merge_value(pair) do
  case pair do
    (Some(x), _) when x > 100 -> "big left #{x}"
    (_, Some(y)) when y > 100 -> "big right #{y}"
    (Some(_), Some(_)) -> "two small"
    (None, None) -> "nothing"
    _ -> "one small"
  end
end

fn results(a, b) do
  case (a, b) do
    (Ok(x), Ok(y)) -> "ok #{x + y}"
    (Err(e), Ok(_)) | (Ok(_), Err(e)) -> "one error: #{e}"
    (Err(e1), Err(e2)) -> "two errors: #{e1}, #{e2}"
  end
end

fn count_somes(a, b, c) do
  case (a, b, c) do
    (None, None, None) -> 0
    (Some(_), None, None) | (None, Some(_), None) | (None, None, Some(_)) -> 1
    (Some(_), Some(_), Some(_)) -> 3
    whole -> two(whole)
  end
end

fn or_zero(o) do
  case o do
    Some(n) -> n
    None -> 0
  end
end

# The tuple bound whole is built from its parts: its fields are the values passed in.
fn two(t) do
  let (a, b, c) = t
  println("  two of #{or_zero(a)} #{or_zero(b)} #{or_zero(c)}")
  2
end

fn main() do
  println(merge(Some(1), None))
  println(merge(None, Some(2)))
  println(merge(Some(3), Some(3)))
  println(merge(Some(3), Some(4)))
  println(merge(None, None))
  for p in [(Some(500), None), (Some(1), Some(200)), (Some(1), Some(2)), (None, None), (None, Some(5))] do
    println(merge_value(p))
  end
  println(results(Ok(1), Ok(2)))
  println(results(Err("a"), Ok(2)))
  println(results(Ok(1), Err("b")))
  println(results(Err("a"), Err("b")))
  println("#{count_somes(None, None, None)} #{count_somes(None, Some(1), None)} #{count_somes(Some(1), Some(2), Some(3))}")
  println("#{count_somes(Some(4), None, Some(6))}")
end

# if/else as values, blocks as values, early return from nested blocks.
fn classify(n :: Int) -> String do
  if n < 0 do
    return "negative"
  end
  let kind = if n == 0 do "zero" else if n < 10 do "small" else "large" end
  let suffix = do_suffix(n)
  kind <> suffix
end

fn do_suffix(n :: Int) -> String = if n % 2 == 0 do " even" else " odd" end

fn main() do
  println(classify(-3))
  println(classify(0))
  println(classify(7))
  println(classify(42))
end

# `?` converts the error through `impl From<E> for E2` (spec §4.9, §5.5).
struct ParseFailure do
  reason :: String
end

impl From<String> for ParseFailure do
  fn from(text :: String) -> ParseFailure do ParseFailure { reason: text } end
end

fn read_count(raw :: String) -> Int ! String do
  if raw == "two" do Ok(2) else Err("cannot read #{raw}") end
end

fn doubled(raw :: String) -> Int ! ParseFailure do
  let n = read_count(raw)?
  Ok(n * 2)
end

fn show(r :: Int ! ParseFailure) -> String do
  case r do
    Ok(v) -> "ok #{v}"
    Err(e) -> "failed: #{e.reason}"
  end
end

fn main() do
  println(show(doubled("two")))
  println(show(doubled("three")))
end

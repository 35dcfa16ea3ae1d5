# spec: stdlib §15 — an invalid regex literal is a compile-time error naming the problem.
fn main() do
  let ok = ~r/a+/i
  let bad = ~r/(a|b/
  println("#{Regex.is_match(ok, "A")} #{Regex.is_match(bad, "a")}")
end

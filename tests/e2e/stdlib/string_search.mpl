# spec: stdlib §3 — String.contains (empty needle → true), starts_with and ends_with.
fn main() do
  println("#{String.contains("hello world", "o w")} #{String.contains("hello", "xyz")}")
  println("#{String.contains("hello", "")} #{String.contains("", "")} #{String.contains("", "a")}")
  println("#{String.contains("naïve café", "é")} #{String.contains("abc", "abcd")}")
  println("#{String.starts_with("hello", "he")} #{String.starts_with("hello", "lo")}")
  println("#{String.starts_with("hello", "")} #{String.starts_with("", "a")}")
  println("#{String.starts_with("été", "é")} #{String.starts_with("hello", "hello!")}")
  println("#{String.ends_with("hello", "lo")} #{String.ends_with("hello", "he")}")
  println("#{String.ends_with("hello", "")} #{String.ends_with("", "")}")
  println("#{String.ends_with("café", "fé")} #{String.ends_with("lo", "hello")}")
end

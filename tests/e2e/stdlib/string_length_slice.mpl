# spec: stdlib §3, §0.4 — String.length and String.slice count code points; slice clamps both
# bounds to [0, length] and never panics.
fn main() do
  println("#{String.length("")}")
  println("#{String.length("hello")}")
  println("#{String.length("héllo")}")
  println("#{String.length("日本語")}")
  println("#{String.length("👋🏽!")}")
  println("#{String.length("a\nb\tc")}")
  println("[#{String.slice("héllo", 1, 3)}]")
  println("[#{String.slice("héllo", 0, 5)}]")
  println("[#{String.slice("héllo", 0, 0)}]")
  println("[#{String.slice("héllo", -3, 2)}]")
  println("[#{String.slice("héllo", 3, 100)}]")
  println("[#{String.slice("héllo", 4, 2)}]")
  println("[#{String.slice("héllo", 9, 12)}]")
  println("[#{String.slice("héllo", -9, -2)}]")
  println("[#{String.slice("", 0, 1)}]")
  println("[#{String.slice("日本語テキスト", 2, 5)}]")
  println("[#{String.slice("{\"value\":\"x\"}", 9, 12)}]")
  let s = "abcdef"
  println("[#{String.slice(s, 1, String.length(s) - 1)}]")
end

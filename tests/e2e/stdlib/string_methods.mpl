# spec: language §5.2 — `x.f(args)` on a String, Int or Float calls the stdlib function of the
# receiver's module (`s.length()` ≡ `String.length(s)`).
fn main() do
  let s = "  Héllo, wörld  "
  println("[#{s.trim()}] #{s.trim().length()} #{s.length()}")
  println("#{s.trim().to_upper()} #{s.to_lower().trim()}")
  println("#{s.contains("wö")} #{s.trim().starts_with("Hé")} #{s.trim().ends_with("d")}")
  println(s.trim().slice(0, 5).replace("é", "e"))
  println("#{"42".to_int()} #{"4.5".to_float()} #{"no".to_int()}")
  let n = -42
  println(n.to_string() <> " #{n.to_float() / 4.0} #{2.7.to_int()}")
end

# spec: language §1.7 — escapes \n \t \" \\ inside string literals.
fn main() do
  println("tab:\tend")
  println("quote: \"hi\"")
  println("backslash: \\")
  println("two\nlines")
  println("\\n is not a newline here")
  println("mixed: \"a\\tb\"\t|")
end

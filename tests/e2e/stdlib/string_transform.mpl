# spec: stdlib §3 — trim (Unicode white space), full Unicode case mapping, replace (every
# non-overlapping occurrence; an empty pattern inserts before every code point and at the end).
# The third trim case pads with U+3000 (ideographic space), U+00A0 (no-break space) and
# U+2003 (em space).
fn main() do
  println("[#{String.trim("  padded  ")}]")
  println("[#{String.trim("\t\n line \r\n")}]")
  println("[#{String.trim("　 wide ")}]")
  println("[#{String.trim("   ")}]")
  println("[#{String.trim("")}]")
  println("[#{String.trim("in  side")}]")
  println(String.to_upper("hello, World 42"))
  println(String.to_upper("straße"))
  println(String.to_upper("ǆemal ﬁ"))
  println(String.to_lower("HELLO, World 42"))
  println(String.to_lower("ÀÉÎ ΣΑΣ"))
  println(String.to_lower("İ") <> "|" <> String.to_upper(""))
  println(String.replace("a.b.c", ".", "::"))
  println(String.replace("aaaa", "aa", "b"))
  println(String.replace("aaa", "aa", "b"))
  println(String.replace("ab", "", "-"))
  println("[#{String.replace("", "", "-")}]")
  println(String.replace("héllo héllo", "é", "e"))
  println(String.replace("unchanged", "x", "y"))
  println("[#{String.replace("remove me", " me", "")}]")
end

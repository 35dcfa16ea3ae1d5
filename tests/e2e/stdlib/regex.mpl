# spec: stdlib §15 — Regex.compile, ~r/…/flags literals (i, m, s), is_match, captures (groups
# that did not take part are ""), replace with $1 / ${name} / $$, and split keeping empty
# pieces; matching is Unicode-aware.
fn show_caps(c :: List<String>?) -> String do
  case c do
    Some(groups) -> "Some(#{String.join(List.map(groups, fn g -> "<#{g}>" end), " ")})"
    None -> "None"
  end
end

fn compiled(pattern :: String) -> String do
  case Regex.compile(pattern) do
    Ok(rx) -> "Ok(#{Regex.is_match(rx, "abc")})"
    Err(e) -> "Err(#{e})"
  end
end

fn main() do
  let word = ~r/(\w+)@(\w+)\.com/
  println("#{Regex.is_match(word, "mail me@example.com now")}")
  println("#{Regex.is_match(word, "no address")}")
  println(show_caps(Regex.captures(word, "mail me@example.com or you@test.com")))
  println(show_caps(Regex.captures(word, "nothing")))
  println(show_caps(Regex.captures(~r/(a)|(b)/, "b")))
  println("#{Regex.is_match(~r/HELLO/i, "say hello")} #{Regex.is_match(~r/HELLO/, "say hello")}")
  println("#{Regex.is_match(~r/^b$/m, "a\nb\nc")} #{Regex.is_match(~r/^b$/, "a\nb\nc")}")
  println("#{Regex.is_match(~r/a.b/s, "a\nb")} #{Regex.is_match(~r/a.b/, "a\nb")}")
  println("#{Regex.is_match(~r/a\/b/, "x a/b y")}")
  println(Regex.replace(~r/(\d+)-(\d+)/, "1-2 and 30-40", "$2:$1"))
  println(Regex.replace(~r/(?P<year>\d{4})/, "in 2024 and 1999", "[\${year}]"))
  println(Regex.replace(~r/o/, "foo", "$$"))
  println(Regex.replace(~r/x/, "", "y"))
  println(String.join(Regex.split(~r/,\s*/, "a, b,,c ,d"), "|"))
  println(String.join(Regex.split(~r/,/, ""), "|"))
  println("#{List.length(Regex.split(~r/,/, ",a,"))}")
  println(String.join(Regex.split(~r/\s+/, "héllo   wörld  ünïcode"), "|"))
  println("#{Regex.is_match(~r/^\p{Greek}+$/, "αβγ")} #{Regex.is_match(~r/^.{3}$/, "日本語")}")
  println(compiled("b+"))
  println(compiled("(unclosed"))
  println(compiled("a{2,1}"))
  println(compiled("[z-a]"))
  println(compiled(""))
  case Regex.compile("(?i)ABC") do
    Ok(rx) -> println(Regex.replace(rx, "xabcx", "-"))
    Err(e) -> println(e)
  end
  let rx = ~r/\d/
  println("#{rx.is_match("a1")} #{regex_is_match(rx, "a")}")
end

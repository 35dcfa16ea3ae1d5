# spec: language §1.7 — the interpolated expression is fully lexed (string literals and calls
# inside it), and `\#` / `\$` suppress interpolation.
fn shout(s :: String) -> String = s <> "!"

fn main() do
  let name = "Mesh"
  println("say #{name <> "?"}")
  println("#{shout("hey")} #{shout(name)}")
  println("literal: \#{name} and \${name}")
end

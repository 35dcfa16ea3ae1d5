# spec: language §1.7 — `${expr}` is equivalent to `#{expr}`.
fn main() do
  let name = "World"
  println("Hello, ${name}!")
  println("${1 + 2} and #{3 + 4}")
  println("mixed ${name} #{name}")
  println("${name}${name}")
end

fn greet(name :: String) -> String do
  "Hello, " <> name <> "!"
end

fn main() do
  let a = "foo"
  let b = "bar"
  println(a <> b)
  println(a <> " " <> b)
  println(greet("Mesh"))
  println("" <> a <> "")
  let c = a <> b
  println(c <> c)
end

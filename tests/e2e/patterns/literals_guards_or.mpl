# Literal patterns (ints, negative ints, strings, bools), guards, or-patterns and wildcards.
fn sign(n :: Int) -> String do
  case n do
    0 -> "zero"
    -1 -> "minus one"
    x when x > 0 -> "positive"
    _ -> "negative"
  end
end

fn greet(s :: String) -> String do
  case s do
    "hello" | "hi" -> "greeting"
    "bye" -> "farewell"
    _ -> "unknown"
  end
end

fn flag(b :: Bool) -> Int do
  case b do
    true -> 1
    false -> 0
  end
end

fn main() do
  println("#{sign(0)} #{sign(-1)} #{sign(5)} #{sign(-9)}")
  println("#{greet("hi")} #{greet("hello")} #{greet("bye")} #{greet("yo")}")
  println("#{flag(true)}#{flag(false)}")
end

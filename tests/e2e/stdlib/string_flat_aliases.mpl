# spec: stdlib §0.7, §0.2 — flat legacy aliases (`string_trim`, …) and pipes call the same
# functions as the qualified names.
fn main() do
  println("#{string_length("héllo")} #{string_contains("abc", "b")}")
  println("[#{string_trim("  x  ")}] #{string_to_upper("up")} #{string_to_lower("DOWN")}")
  println(string_replace("a-b-c", "-", "+"))
  println("#{string_starts_with("abc", "a")} #{string_ends_with("abc", "c")}")
  println(string_slice("abcdef", 2, 4))
  let shout = "  quiet words  " |> String.trim() |> String.to_upper() |> String.replace(" ", "_")
  println(shout)
  println("#{"héllo" |> String.length()}")
  println("#{"12" |> String.to_int()}")
  io_eprintln("to stderr")
end

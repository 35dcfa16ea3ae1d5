# spec: stdlib §3, §4, §0.5 — String.from gives the Display form of an Int, Float, Bool or
# String; Int.to_string that of an Int.
fn main() do
  println(String.from(42) <> "|" <> String.from(-7) <> "|" <> String.from(0))
  println(String.from(3.14) <> "|" <> String.from(7.0) <> "|" <> String.from(0.0000001))
  println(String.from(1e21) <> "|" <> String.from(-0.5))
  let zero = 0.0
  println(String.from(1.0 / zero) <> "|" <> String.from(-1.0 / zero) <> "|" <> String.from(zero / zero))
  println(String.from(true) <> "|" <> String.from(false) <> "|" <> String.from(1 < 2))
  println(String.from("text") <> "|" <> String.from("") <> "|" <> String.from("héllo"))
  println(Int.to_string(123) <> "|" <> Int.to_string(-9223372036854775807 - 1))
  println(int_to_string(5) <> "|" <> string_from(2.5))
  println("#{String.length(String.from(12345))}")
  let n = 99
  println(n |> Int.to_string())
end

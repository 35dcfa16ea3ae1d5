# spec: stdlib §3 — String.to_int trims, takes an optional sign and decimal digits, and gives
# None for anything else or on overflow; String.to_float accepts decimal and scientific forms,
# ".5", "5.", "inf" and "NaN".
fn int_text(o :: Int?) -> String do
  case o do
    Some(n) -> "Some(#{n})"
    None -> "None"
  end
end

fn float_text(o :: Float?) -> String do
  case o do
    Some(x) -> "Some(#{x})"
    None -> "None"
  end
end

fn main() do
  println(int_text(String.to_int("42")))
  println(int_text(String.to_int("  -17\n")))
  println(int_text(String.to_int("+8")))
  println(int_text(String.to_int("007")))
  println(int_text(String.to_int("9223372036854775807")))
  println(int_text(String.to_int("-9223372036854775808")))
  println(int_text(String.to_int("9223372036854775808")))
  println(int_text(String.to_int("")))
  println(int_text(String.to_int("   ")))
  println(int_text(String.to_int("-")))
  println(int_text(String.to_int("12abc")))
  println(int_text(String.to_int("1.5")))
  println(int_text(String.to_int("1 000")))
  println(int_text(String.to_int("--3")))
  println(int_text(String.to_int("0x1F")))
  println(float_text(String.to_float("3.14")))
  println(float_text(String.to_float("-2e3")))
  println(float_text(String.to_float(".5")))
  println(float_text(String.to_float("5.")))
  println(float_text(String.to_float(" 1.5E-3 ")))
  println(float_text(String.to_float("42")))
  println(float_text(String.to_float("inf")))
  println(float_text(String.to_float("-inf")))
  println(float_text(String.to_float("NaN")))
  println(float_text(String.to_float("")))
  println(float_text(String.to_float(".")))
  println(float_text(String.to_float("1.2.3")))
  println(float_text(String.to_float("abc")))
  println(float_text(String.to_float("1e")))
  println("#{String.to_int("5") == Some(5)} #{String.to_int("x") == None}")
  println("#{String.to_float("2.5")} #{String.to_int("oops")}")
end

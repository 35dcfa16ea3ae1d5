# spec: stdlib §4 — Int.to_float / Float.from (nearest Float), Float.to_int (truncates toward
# zero, saturates out of range, NaN → 0), Int.to_string.
fn main() do
  println("#{Float.from(42)} #{Int.to_float(-3)} #{Float.from(0)}")
  println("#{Float.from(42) / 8.0}")
  println("#{Int.to_float(9007199254740993)}")
  println("#{Float.to_int(2.9)} #{Float.to_int(-2.9)} #{Float.to_int(0.5)} #{Float.to_int(-0.0)}")
  println("#{Float.to_int(1e300)} #{Float.to_int(-1e300)}")
  let zero = 0.0
  println("#{Float.to_int(1.0 / zero)} #{Float.to_int(-1.0 / zero)} #{Float.to_int(zero / zero)}")
  println("#{Float.to_int(Float.from(123456789))}")
  println(Int.to_string(-45) <> Int.to_string(67))
  println("#{float_from(7)} #{float_to_int(7.99)} #{int_to_float(1)}")
end

# spec: stdlib §4 — Math.abs/min/max on Int and Float (Int minimum wraps; a NaN argument
# yields the other one), pow, sqrt (negative → NaN), floor/ceil/round (half away from zero)
# converting as Float.to_int.
fn main() do
  println("#{Math.abs(-5)} #{Math.abs(5)} #{Math.abs(0)} #{Math.abs(-2.5)} #{Math.abs(2.5)}")
  let min_int = -9223372036854775807 - 1
  println("#{Math.abs(min_int)}")
  println("#{Math.min(3, -4)} #{Math.max(3, -4)} #{Math.min(7, 7)}")
  println("#{Math.min(-1.0, -2.0)} #{Math.max(-1.0, -2.0)} #{Math.min(0.5, 1.5)} #{Math.max(0.5, 1.5)}")
  let zero = 0.0
  let nan = zero / zero
  println("#{Math.min(nan, 1.5)} #{Math.min(1.5, nan)} #{Math.max(nan, -3.0)} #{Math.max(-3.0, nan)}")
  println("#{Math.min(min_int, 0)} #{Math.max(min_int, 9223372036854775807)}")
  println("#{Math.pow(2.0, 10.0)} #{Math.pow(2.0, 0.5)} #{Math.pow(2.0, -1.0)} #{Math.pow(0.0, 0.0)}")
  println("#{Math.pow(-8.0, 1.0 / 3.0)} #{Math.pow(10.0, 400.0)}")
  println("#{Math.sqrt(16.0)} #{Math.sqrt(2.0)} #{Math.sqrt(-1.0)} #{Math.sqrt(0.0)}")
  println("#{Math.floor(2.7)} #{Math.floor(-2.2)} #{Math.floor(3.0)}")
  println("#{Math.ceil(2.1)} #{Math.ceil(-2.7)} #{Math.ceil(3.0)}")
  println("#{Math.round(2.5)} #{Math.round(-2.5)} #{Math.round(2.4)} #{Math.round(-0.4)}")
  println("#{Math.round(1e300)} #{Math.floor(nan)} #{Math.ceil(-1.0 / zero)}")
  println("#{math_abs(-1)} #{math_max(1.5, 2.5)} #{math_sqrt(9.0)}")
  let x = -7
  println("#{x |> Math.abs() |> Math.min(5)}")
end

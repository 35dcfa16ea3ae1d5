# spec: language §4.10 — Float displays as the shortest round-trip text, never in exponent
# notation, and integral values print without a trailing `.0`.
fn main() do
  println("#{42.0}")
  println("#{-3.5}")
  println("#{0.5}")
  println("#{3.14}")
  println("#{0.0}")
  println("#{1e-7}")
  println("#{-0.000001}")
  println("#{2.5e-3}")
  println("#{1e6}")
  println("#{1.5E3}")
  println("#{1e+2}")
  println("#{1e21}")
  println("#{-1e21}")
  println("#{1.0e15}")
  println("#{123456789.125}")
  println("#{9007199254740993.0}")
  println("#{1.7976931348623157e308 / 1e300}")
end

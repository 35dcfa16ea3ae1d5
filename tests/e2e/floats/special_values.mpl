# Float Display: no trailing .0, no exponents, inf/-inf/NaN from IEEE arithmetic.
fn main() do
  let zero = 0.0
  println("#{1.0 / zero} #{-1.0 / zero} #{zero / zero} #{1e21} #{1e-7} #{0.1 * 3.0} #{-0.0}")
  println("#{2.5 % 1.0} #{10.0 / 4.0} #{1.0e3} #{123456789.125}")
end

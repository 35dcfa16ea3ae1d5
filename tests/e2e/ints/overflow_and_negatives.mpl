# Int arithmetic wraps; / truncates toward zero; % takes the dividend's sign; MIN / -1 wraps.
fn main() do
  let min = -9223372036854775807 - 1
  println("#{min} #{min - 1} #{-min} #{min / -1} #{min % -1}")
  println("#{9223372036854775807 * 2} #{7 / -2} #{-7 / -2} #{7 % -2} #{-7 % -2}")
end

# test: exit=101
# spec: stdlib §13 — a unit atom other than :ms, :second, :minute, :hour, :day or :week is a
# programmer error: DateTime.add panics `DateTime.add: unknown unit`.
fn main() do
  let t = DateTime.utc_now()
  println("#{DateTime.diff(t, t, :ms)}")
  println(DateTime.to_iso8601(DateTime.add(t, 1, :fortnight)))
  println("not reached")
end

# test: exit=101
# spec: stdlib §13 — every DateTime lies in years 0000–9999 (the range to_iso8601 can write);
# DateTime.add past it panics instead of wrapping.
fn main() do
  case DateTime.from_iso8601("9999-12-31T00:00:00Z") do
    Ok(t) -> println(DateTime.to_iso8601(DateTime.add(t, 2, :day)))
    Err(e) -> println(e)
  end
end

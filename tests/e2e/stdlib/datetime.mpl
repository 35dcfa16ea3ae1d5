# spec: stdlib §13 — DateTime is a UTC instant in milliseconds: ISO 8601 text with three
# fraction digits and Z, RFC 3339 parsing normalised to UTC, Unix conversions with range
# errors, arithmetic in unit atoms, and strict comparisons.
fn show(r :: DateTime ! String) -> String do
  case r do
    Ok(dt) -> "Ok(#{DateTime.to_iso8601(dt)})"
    Err(e) -> "Err(#{e})"
  end
end

fn parse(s :: String) -> DateTime do
  case DateTime.from_iso8601(s) do
    Ok(dt) -> dt
    Err(_) -> DateTime.utc_now()
  end
end

fn main() do
  println(show(DateTime.from_iso8601("2024-03-01T10:30:00Z")))
  println(show(DateTime.from_iso8601("2024-03-01T10:30:00+05:30")))
  println(show(DateTime.from_iso8601("2024-03-01T10:30:00.123987-01:00")))
  println(show(DateTime.from_iso8601("2024-02-29T23:59:59.5Z")))
  println(show(DateTime.from_iso8601("2024-03-01T10:30:00")))
  println(show(DateTime.from_iso8601("2023-02-29T00:00:00Z")))
  println(show(DateTime.from_iso8601("yesterday")))
  println(show(DateTime.from_iso8601("")))
  println(show(DateTime.from_unix_ms(0)))
  println(show(DateTime.from_unix_ms(-1)))
  println(show(DateTime.from_unix_ms(253402300799999)))
  println(show(DateTime.from_unix_ms(253402300800000)))
  println(show(DateTime.from_unix_secs(1700000000)))
  println(show(DateTime.from_unix_secs(9223372036854775807)))
  let t = parse("2024-03-01T10:30:00.250Z")
  println("#{DateTime.to_unix_ms(t)}")
  println("#{DateTime.to_unix_secs(t)}")
  println("#{DateTime.to_unix_secs(parse("1969-12-31T23:59:58.500Z"))}")
  let later = DateTime.add(t, 7, :day)
  println(DateTime.to_iso8601(later))
  println(DateTime.to_iso8601(DateTime.add(t, -90, :minute)))
  println(DateTime.to_iso8601(DateTime.add(t, 1, :week)))
  println(DateTime.to_iso8601(DateTime.add(t, 1500, :ms)))
  println(DateTime.to_iso8601(DateTime.add(t, 3, :hour)))
  println(DateTime.to_iso8601(DateTime.add(t, 30, :second)))
  println("#{DateTime.diff(later, t, :day)}")
  println("#{DateTime.diff(t, later, :hour)}")
  println("#{DateTime.diff(DateTime.add(t, 90, :second), t, :minute)}")
  println("#{DateTime.is_before(t, later)} #{DateTime.is_before(later, t)} #{DateTime.is_before(t, t)}")
  println("#{DateTime.is_after(later, t)} #{DateTime.is_after(t, later)} #{DateTime.is_after(t, t)}")
  println("#{t == parse("2024-03-01T15:30:00.250+05:00")} #{t < later}")
  let now = DateTime.utc_now()
  println("#{DateTime.is_after(now, t)}")
  println("#{String.length(DateTime.to_iso8601(now))}")
  println("#{DateTime.to_unix_ms(parse(DateTime.to_iso8601(now))) == DateTime.to_unix_ms(now)}")
  println("#{now.to_unix_ms() == DateTime.to_unix_ms(now)}")
  println(date_time_to_iso8601(t))
end

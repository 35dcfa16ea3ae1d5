# A module whose own types are named DateTime, Range and Json: inside it they shadow the stdlib
# types, while the stdlib modules of those names keep their functions.
pub struct DateTime do
  year :: Int
  month :: Int
end deriving(Display, Eq, Ord)

pub struct Range do
  first :: DateTime
  last :: DateTime
end deriving(Display, Eq)

pub type Json do
  JNull
  JNum(Int)
  JList(List<Json>)
end deriving(Display, Eq, Json)

pub fn make(year :: Int, month :: Int) -> DateTime = DateTime { year: year, month: month }

pub fn span(a :: DateTime, b :: DateTime) -> Range = Range { first: a, last: b }

pub fn months(r :: Range) -> Int = (r.last.year - r.first.year) * 12 + r.last.month - r.first.month

pub fn describe(j :: Json) -> String do
  case j do
    JNull -> "null"
    JNum(n) -> "num #{n}"
    JList(items) -> "list of #{List.length(items)}"
  end
end

pub fn sample() -> Json = Json.JList([Json.JNum(1), JNull])

# The stdlib DateTime module beside the local type: its values are the stdlib DateTime.
pub fn epoch_text() -> String do
  case DateTime.from_unix_ms(86400000) do
    Ok(t) -> DateTime.to_iso8601(t)
    Err(e) -> e
  end
end

# `Json.from_json` is the own type's (it derives Json); `Json.encode` the stdlib module's.
pub fn json_round_trip() -> String do
  let text = Json.encode(sample())
  "#{text} #{Json.from_json(text)}"
end

pub fn stdlib_range_length() -> Int = Range.length(3..10)

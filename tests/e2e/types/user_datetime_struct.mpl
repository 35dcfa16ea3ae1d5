# Issue 12: a program's own `struct DateTime` is a struct like any other (it used to reach MIR as
# the stdlib DateTime, an Int, and fail verification with "load from a non-pointer").
struct DateTime do
  year :: Int
  month :: Int
end

fn next_month(d :: DateTime) -> DateTime do
  if d.month == 12 do
    DateTime { year: d.year + 1, month: 1 }
  else
    %{d | month: d.month + 1}
  end
end

fn main() do
  let d = DateTime { year: 2024, month: 12 }
  println("#{d.year}-#{d.month}")
  let n = next_month(d)
  println("#{n.year}-#{n.month}")
  println("#{d == n} #{n == DateTime { year: 2025, month: 1 }}")
end

# Issue 12: a program's own `struct Range … deriving(Display)` has the derived Display (it used
# to be rejected with "Range does not implement Display", the stdlib Range having none).
struct Range do
  lo :: Int
  hi :: Int
end deriving(Display, Eq)

fn width(r :: Range) -> Int = r.hi - r.lo

fn main() do
  let r = Range { lo: 1, hi: 3 }
  println("#{r} #{width(r)}")
  println("#{[r, Range { lo: 0, hi: 0 }]}")
  case r.lo do
    1 -> println("from one to #{r.hi}")
    _ -> println("elsewhere")
  end
  # The stdlib range is still there: `a..b` and the Range module.
  let total = for i in 1..4 do i end
  println("#{total} #{Range.length(1..5)} #{r == Range { lo: 1, hi: 3 }}")
end

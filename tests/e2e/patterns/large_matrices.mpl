# Matrices whose decision tree would grow exponentially (wildcards copied into every case,
# products of or-patterns) are split into smaller trees; matching is unchanged.
fn check(i :: Int) -> Bool = i > 5

fn diagonal(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9) do
  case (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9) do
    (_, _, _, _, _, _, _, _, _, 0) when check(0) -> 0
    (_, _, _, _, _, _, _, _, 0, _) when check(1) -> 1
    (_, _, _, _, _, _, _, 0, _, _) when check(2) -> 2
    (_, _, _, _, _, _, 0, _, _, _) when check(3) -> 3
    (_, _, _, _, _, 0, _, _, _, _) when check(4) -> 4
    (_, _, _, _, 0, _, _, _, _, _) when check(5) -> 5
    (_, _, _, 0, _, _, _, _, _, _) when check(6) -> 6
    (_, _, 0, _, _, _, _, _, _, _) when check(7) -> 7
    (_, 0, _, _, _, _, _, _, _, _) when check(8) -> 8
    (0, _, _, _, _, _, _, _, _, _) when check(9) -> 9
    (1, _, _, _, _, _, _, _, _, _) -> 100
    (_, 1, _, _, _, _, _, _, _, _) -> 101
    (_, _, 1, _, _, _, _, _, _, _) -> 102
    (_, _, _, 1, _, _, _, _, _, _) -> 103
    (_, _, _, _, 1, _, _, _, _, _) -> 104
    (_, _, _, _, _, 1, _, _, _, _) -> 105
    (_, _, _, _, _, _, 1, _, _, _) -> 106
    (_, _, _, _, _, _, _, 1, _, _) -> 107
    (_, _, _, _, _, _, _, _, 1, _) -> 108
    (_, _, _, _, _, _, _, _, _, 1) -> 109
    _ -> -1
  end
end

fn small(t) do
  case t do
    (1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2, 1 | 2) -> "all small"
    (x, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _) when x > 2 -> "big first #{x}"
    _ -> "other"
  end
end

fn main() do
  println("#{diagonal(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)}")
  println("#{diagonal(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)}")
  println("#{diagonal(2, 2, 2, 2, 2, 2, 2, 2, 2, 2)}")
  println("#{diagonal(2, 2, 2, 0, 2, 2, 2, 2, 2, 2)}")
  println("#{diagonal(2, 2, 2, 2, 2, 2, 2, 0, 2, 1)}")
  println("#{diagonal(2, 2, 2, 2, 2, 2, 2, 2, 2, 1)}")
  println(small((1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2)))
  println(small((1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 3)))
  println(small((7, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2)))
end

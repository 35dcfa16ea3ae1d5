# while loops with break and continue (values are immutable, so loops end by break).
fn check(n :: Int) -> Bool = n > 0

fn main() do
  while false do
    println("never")
  end
  while true do
    println("once")
    break
  end
  let n = 3
  while check(n) do
    if n == 3 do
      println("three")
      break
    end
    continue
  end
  let r = while false do
    println("never")
  end
  println("done #{r == ()}")
end

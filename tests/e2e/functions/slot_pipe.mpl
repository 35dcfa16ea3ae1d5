# Pipes: |> inserts the value first, |N> as the N-th argument; chains mix both.
fn sub(a :: Int, b :: Int) -> Int = a - b
fn add(a :: Int, b :: Int) -> Int = a + b
fn show(n :: Int) -> String = "n=#{n}"
fn between(lo :: Int, x :: Int, hi :: Int) -> Bool = lo <= x and x <= hi

fn main() do
  println("#{10 |2> sub(100)}")
  println(5 |2> add(10) |> show)
  println("#{5 |> sub(1)} #{7 |2> between(1, 9)} #{70 |3> between(1, 9)}")
  let r = 3
    |> add(4)
    |> show()
  println(r)
end

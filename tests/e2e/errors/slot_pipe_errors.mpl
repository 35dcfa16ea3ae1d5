# expect: E0044 (slot 5 of a 2-parameter function), E0043 (both parameters already given)
fn add(a :: Int, b :: Int) -> Int = a + b

fn main() do
  let x = 1 |5> add(2)
  let y = 1 |2> add(2, 3)
  println("#{x} #{y}")
end

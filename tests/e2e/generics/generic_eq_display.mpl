# Generic functions using ==, Display and identity at collection, Option, tuple and
# function types; empty collections.
fn same(a, b) = a == b
fn show(x) = "#{x}"
fn id(x) = x

fn main() do
  println("#{same([1], [1])} #{same("a", "b")} #{same(Some(1), None)}")
  println(show([Some(1)]) <> show(%{1 => "a"}) <> show((1, 2)))
  let f = id(fn x -> x + 1 end)
  println("#{f(1)}")
  let empty = []
  println("#{List.length(empty)}")
  let nested = [[], [1]]
  println("#{nested}")
  let u = ()
  println("#{u == ()}")
end

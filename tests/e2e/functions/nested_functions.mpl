# Nested `fn` declarations (spec §4.1): local to their block, capturing enclosing bindings,
# recursive (a self call in tail position runs in constant stack), multi-clause, usable as
# values, with their own `return` and `?`; a nested fn of a generic function is instantiated
# with it.
fn parse_doubled(s :: String) -> Int ! String do
  fn digit(text :: String) -> Int ! String do
    case String.to_int(text) do
      Some(n) -> Ok(n)
      None -> Err("not a number: #{text}")
    end
  end
  let n = digit(s)?
  Ok(n * 2)
end

fn dup(x) do
  fn twice(y) = [y, y]
  twice(x)
end

fn main() do
  let base = 10
  fn add_base(x :: Int) -> Int = x + base
  println("#{add_base(5)}")
  println("#{List.map([1, 2, 3], add_base)}")

  fn fact(0) = 1
  fn fact(n) when n > 0 do
    n * fact(n - 1)
  end
  println("#{fact(10)}")

  fn count(n, acc) = if n == 0 do acc else count(n - 1, acc + 1) end
  println("#{count(1000000, 0)}")

  fn sum(xs) do
    case xs do
      h :: t -> h + sum(t)
      _ -> 0
    end
  end
  println("#{sum([1, 2, 3, 4])}")

  fn describe(x) do
    fn bang(y) = "#{y}!"
    let twice = fn s -> bang(s) <> bang(x) end
    twice(base)
  end
  println(describe(3))

  fn first_over(xs, limit) do
    for x in xs do
      if x > limit do
        return x
      end
    end
    -1
  end
  println("#{first_over([1, 5, 3], 2)} #{first_over([1], 2)}")

  let squares = for i in [1, 2, 3] do
    fn times(k) = k * i
    times(i)
  end
  println("#{squares}")

  println("#{dup(1)} #{dup("a")}")

  let add_base = 0
  println("#{add_base} #{parse_doubled("21")} #{parse_doubled("x")}")
end

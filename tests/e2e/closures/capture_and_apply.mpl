# Closures capture enclosing bindings by value; functions are values too.
fn apply(f, x) = f(x)

fn twice(f, x) = f(f(x))

fn double(n :: Int) -> Int = n * 2

fn make_adder(k :: Int) do
  fn x -> x + k end
end

fn main() do
  let k = 5
  let add_k = fn x -> x + k end
  println("#{add_k(1)} #{apply(add_k, 10)}")
  let add3 = make_adder(3)
  println("#{add3(4)} #{twice(add3, 0)}")
  println("#{apply(double, 21)} #{twice(double, 5)}")
  let greet = fn(name :: String) -> "hello #{name}" end
  println(apply(greet, "mesh"))
  let now = fn -> 42 end
  println("#{now()}")
  let work = fn item do
    let y = item * 2
    y + 1
  end
  println("#{work(20)}")
end

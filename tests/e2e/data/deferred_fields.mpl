# Field access and struct update on a value whose type is fixed later in the function (a
# closure parameter, a case arm over a parameter annotated afterwards) are resolved at the end
# of the function, like method calls (language §5.2).
struct Conf do
  batch_size :: Int
  name :: String
end

fn sizes(conf, xs) do
  let scale = fn x -> x * conf.batch_size end
  let c :: Conf = conf
  List.map(xs, scale)
end

fn pick(flag :: Bool) -> Int do
  let get = fn c -> c.batch_size + 1 end
  let bump = fn c -> %{c | batch_size: c.batch_size * 10} end
  let conf = case flag do
    true -> Conf { batch_size: 2, name: "a" }
    false -> Conf { batch_size: 3, name: "b" }
  end
  get(bump(conf))
end

fn describe(x) do
  let text = case x do
    c -> "#{c.name}/#{c.batch_size}"
  end
  let _c :: Conf = x
  text
end

fn main() do
  println("#{sizes(Conf { batch_size: 3, name: "c" }, [1, 2])}")
  println("#{pick(true)} #{pick(false)}")
  println(describe(Conf { batch_size: 4, name: "d" }))
end

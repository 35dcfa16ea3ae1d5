# Generalised bindings inside other generalised bindings (the inner one capturing the outer
# one's parameter), captured by closures two levels deep and used there at several types,
# inside a generic function's instances, and inside an actor.
fn tagged(t) do
  let tag = fn x -> (t, x) end
  (tag(1), tag(t))
end

actor formatter(parent, prefix :: String) do
  let fmt = fn x -> "#{prefix}#{x}" end
  receive do
    n -> send(parent, "#{fmt(n + 1)} #{fmt("!")} #{fmt([n])}")
  end
end

fn main() do
  let outer = fn x do
    let pair = fn y -> (x, y) end
    (pair(1), pair("q"))
  end
  println("#{outer(true)} #{outer(2.5)}")

  let id = fn x -> x end
  let wrap = fn x -> [id(x)] end
  let rows = List.map([1, 2], fn n -> List.map(["a"], fn s -> (wrap(n), wrap(s), id(s)) end) end)
  println("#{rows}")

  let k = 3
  let add_k = fn x -> (x, k) end
  let deep = fn -> fn -> (add_k(1), add_k("d")) end end
  println("#{deep()()}")

  println("#{tagged("t")} #{tagged(0.5)}")

  let p = spawn(formatter, self(), "> ")
  send(p, 41)
  let reply = receive do s -> s end
  println(reply)
end

# spec: language §4.4 — `s.f(args)` calls the function held in field `f` when `f` is a field.
struct Handler<A, B> do
  run :: Fun(A) -> B
  name :: String
end

struct Counter do
  step :: Fun(Int) -> Int
end

interface Describe do
  fn describe(self) -> String
end

impl Describe for Counter do
  fn describe(self) -> String do "step 1 gives #{self.step(1)}" end
end

fn make(n :: Int) -> Counter = Counter { step: fn x -> x + n end }

fn main() do
  let h = Handler { run: fn s -> String.length(s) end, name: "len" }
  println("#{h.name} #{h.run("héllo")}")
  let c = make(10)
  println("#{c.step(5)} #{make(2).step(c.step(0))} #{c.describe()}")
  let hs = [Handler { run: fn x -> x * 2 end, name: "double" }]
  println("#{List.map(hs, fn k -> k.run(21) end)}")
end

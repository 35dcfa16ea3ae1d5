# Local let-polymorphism (spec: language §5.1, HM with let-polymorphism): a `let` of a
# closure, a function, a constructor or a stdlib function is generalised, so one binding is
# used at several types; closures capturing monomorphic locals, bindings built from other
# generalised bindings, pipes, and generalised locals used inside other closures.
fn wrap(x) = [x]

fn main() do
  let id = fn x -> x end
  println("#{id(1)} #{id("a")} #{id([true, false])} #{id(Some(2.5))}")

  let compose = fn f, g -> fn x -> g(f(x)) end end
  let twice = fn f -> compose(f, f) end
  let inc = fn n -> n + 1 end
  let shout = fn s -> s <> "!" end
  println("#{twice(inc)(5)} #{twice(shout)("hey")} #{compose(inc, wrap)(1)}")

  let base = 100
  let label = "n"
  let tag = fn x -> (label, x, base) end
  println("#{tag(1)} #{tag("b")} #{tag([tag(0.5)])}")

  println(5 |> id |> inc |> tag |> id |> fn t -> "#{t}" end)

  let same = id
  let just = Some
  let boxed = wrap
  let size = List.length
  println("#{same(3)} #{same("z")} #{just(1)} #{just("j")} #{boxed(1)} #{boxed("b")}")
  println("#{size([1, 2])} #{size(["a"])}")

  let pairs = List.map([1, 2], fn n -> tag(id(n)) end)
  let names = List.map(["x"], id)
  println("#{pairs} #{names} #{List.map([7], id)}")

  let id = id(id)
  println("#{id(9)}")
end

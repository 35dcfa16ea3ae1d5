# expect: E0001 at 10:16 (a `let` of a call stays monomorphic: `f` is Fun(Int) -> Int after
# `f(1)`), E0001 at 13:16 (an annotated binding has the type written), E0001 at 16:19 (a
# method call on a parameter of unknown type keeps the binding monomorphic: its receiver's
# type must be known by the end of the function).
fn make_id() = fn x -> x end

fn main() do
  let f = make_id()
  println("#{f(1)}")
  println("#{f("a")}")
  let g :: Fun(Int) -> Int = fn x -> x end
  println("#{g(1)}")
  println("#{g("b")}")
  let size = fn x -> x.length() end
  println("#{size("abc")}")
  println("#{size([1])}")
end

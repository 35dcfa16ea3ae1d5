# expect: E0006 at 20:14 (a generalised binding's `+` at String, pointing at the use and at
# the operation), E0006 at 22:11 (Display of a function type), E0006 at 24:14 (the `where`
# bound of the generic function it calls, at a type without the impl).
interface Show do
  fn show(self) -> String
end

impl Show for Int do
  fn show(self) -> String do "int #{self}" end
end

fn describe<T>(x :: T) -> String where T: Show do
  x.show()
end

fn main() do
  let double = fn x -> x + x end
  let show = fn x -> "#{x}" end
  let d = fn x -> describe(x) end
  println("#{double("a")} #{double(1)}")
  println(show(1))
  println(show(fn -> 1 end))
  println(d(1))
  println("#{d("s")}")
end

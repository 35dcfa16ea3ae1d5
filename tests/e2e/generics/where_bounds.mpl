# Interface methods on type parameters through `where` bounds (spec §3.1, §5.4): resolved
# through the bound and dispatched per monomorphic instance (Int, a struct, a generic struct),
# default methods, extra arguments, several bounds, a bounded function calling another, and
# compiler-known bounds (Display); method calls on closure parameters.
interface Show do
  fn show(self) -> String
  fn shout(self) -> String do String.to_upper(self.show()) <> "!" end
end

interface Weigh do
  fn weight(self, factor :: Int) -> Int
end

struct Point do
  x :: Int
  y :: Int
end

struct Box<T> do
  value :: T
end

impl Show for Int do
  fn show(self) -> String do "int #{self}" end
end

impl Show for Point do
  fn show(self) -> String do "(#{self.x}, #{self.y})" end
  fn shout(self) -> String do "POINT" end
end

impl Weigh for Point do
  fn weight(self, factor :: Int) -> Int do (self.x + self.y) * factor end
end

impl Show for Box do
  fn show(self) -> String do "box" end
end

fn show_all<T>(xs :: List<T>) -> String where T: Show do
  String.join(List.map(xs, fn x -> x.show() end), ", ")
end

fn loudest<T>(x :: T) -> String where T: Show do
  x.shout()
end

fn describe<T>(x :: T, factor :: Int) -> String where T: Show, T: Weigh do
  "#{x.show()} weighs #{x.weight(factor)}"
end

fn twice<T>(x :: T) -> String where T: Show do
  show_all([x, x])
end

fn label<T>(x :: T) -> String where T: Display do
  "<" <> x.to_string() <> ">"
end

fn main() do
  println(show_all([1, 2, 3]))
  println(show_all([Point { x: 1, y: 2 }, Point { x: 3, y: 4 }]))
  println(show_all([Box { value: "a" }]))
  println(loudest(7))
  println(loudest(Point { x: 0, y: 0 }))
  println(describe(Point { x: 2, y: 3 }, 10))
  println(twice(5))
  println(label(42) <> label("s"))
  # A closure parameter's method call is resolved once the call it is passed to types it.
  println(String.join(List.map([Point { x: 5, y: 6 }], fn p -> p.show() end), ""))
end

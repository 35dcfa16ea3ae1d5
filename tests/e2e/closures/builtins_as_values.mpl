# Stdlib functions are values too: passed to List.each, bound to a name and called.
fn main() do
  List.each(["a", "b"], println)
  let f = String.length
  println("#{f("abc")}")
end

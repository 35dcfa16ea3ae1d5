# Payload constructors are functions too: passed to List.map and bound to a name.
fn main() do
  let xs = List.map([1, 2], Some)
  println("#{xs} #{List.map(["a"], Ok)}")
  let f = Some
  println("#{f(3)}")
end

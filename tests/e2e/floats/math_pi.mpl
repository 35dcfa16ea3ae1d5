# Math.pi is a Float constant, not a function (stdlib spec §4).
fn area(r :: Float) -> Float = Math.pi * r * r

fn main() do
  println("#{Math.pi}")
  println("#{area(2.0)}")
  println("#{Math.round(Math.pi * 100.0)}")
  let constants = [Math.pi, Math.pi / 2.0]
  println("#{constants}")
end

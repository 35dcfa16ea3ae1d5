# test: exit=2
# A function declared `-> Int` may end in a call that never returns (`Process.exit`,
# `panic`): nothing follows the call, so no Int is needed (it was an LLVM verification
# failure: the call's unit result was returned as the Int).
fn fail(why :: String) -> Int do
  println(why)
  Process.exit(2)
end

fn check(n :: Int) -> Int do
  if n > 0 do
    n
  else
    panic("not positive")
  end
end

fn main() do
  println("#{check(3)}")
  let x = fail("bye")
  println("never #{x}")
end

# expect: E0001 at 4:4 (expected T, found Int) and 6:4 (expected B, found A)
# A declared type parameter stands for any type: the body may not fix it, nor make two
# parameters one.
fn first<T>(x :: T) -> Int = x + 1

fn same<A, B>(x :: A, y :: B) -> A = if true do x else y end

fn main() do
  println("ok")
end

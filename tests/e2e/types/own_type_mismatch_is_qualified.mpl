# Issue 12: a program's own DateTime is not the stdlib DateTime; when a mismatch would print
# both alike, the program's type is shown qualified by its module.
struct DateTime do
  year :: Int
end

fn main() do
  let d :: DateTime = DateTime.utc_now()
  println("#{d.year}")
end

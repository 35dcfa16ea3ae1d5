# `for` needs an iterable source: a user type without `Iterator`/`Iterable` is E0001, and an
# `Iterator.next` must return `Option<(Item, Self)>` (E0008).
struct Plain do
  n :: Int
end

struct Bad do
  n :: Int
end

impl Iterator for Bad do
  type Item = Int
  fn next(self) -> Option<Int> do Some(self.n) end
end

fn main() do
  let a = for x in Plain { n: 1 } do x end
  let b = for {k, v} in Iter.from([1]) do k end
end

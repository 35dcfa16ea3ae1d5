# An impl of an interface that generated code and the runtime call (Display, Eq, Ord, Hash)
# must define its method: E0007.
struct Key do
  id :: Int
end

impl Eq for Key do
  fn same(self, other :: Key) -> Bool do self.id == other.id end
end

fn main() do
  println("#{Key { id: 1 } == Key { id: 1 }}")
end

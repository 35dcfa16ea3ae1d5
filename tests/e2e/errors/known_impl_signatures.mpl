# `Eq.eq`, `Ord.compare`, `Hash.hash` and `Display.to_string` must have the types the
# compiler and the runtime call them at: E0008.
struct Key do
  id :: Int
end

impl Hash for Key do
  fn hash(self) -> String do "#{self.id}" end
end

impl Ord for Key do
  fn compare(self, other :: Key) -> Int do self.id - other.id end
end

impl Eq for Key do
  fn eq(self, other :: Int) -> Bool do self.id == other end
end

fn main() do
  println("#{Key { id: 1 } == Key { id: 1 }}")
end

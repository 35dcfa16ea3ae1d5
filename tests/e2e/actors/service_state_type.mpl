# spec: language §3.8 — a handler's `|state|` has the type `init` declares, in closures and
# struct updates too (the handlers are checked before anything calls `init`).
struct Conf do
  batch_size :: Int
  name :: String
end

service Batcher do
  fn init(n :: Int) -> Conf do Conf { batch_size: n, name: "b" } end
  call Sizes(xs :: List<Int>) :: List<Int> do |state|
    (state, List.map(xs, fn x -> x * state.batch_size end))
  end
  cast Grow() do |state|
    %{state | batch_size: state.batch_size + 1}
  end
end

fn main() do
  let b = Batcher.start(2)
  println("#{Batcher.sizes(b, [1, 2])}")
  Batcher.grow(b)
  println("#{Batcher.sizes(b, [1, 2])}")
end

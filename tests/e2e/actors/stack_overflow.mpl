# Unbounded recursion in an actor crashes that actor cleanly ("stack overflow"); main goes on.
fn depth(n :: Int) -> Int do
  1 + depth(n + 1)
end

actor diver(parent) do
  send(parent, depth(0))
end

fn main() do
  let _ = spawn(diver, self())
  let r = receive do n -> "returned #{n}" after 3000 -> "no reply" end
  println(r)
end

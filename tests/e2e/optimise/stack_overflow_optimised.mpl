# test: opt=2
# The same program as actors/stack_overflow.mpl, built optimised: checks placed before calls and
# on back-edges (mir/src/analysis.rs) still catch the overflow and preempt busy loops.
# Unbounded recursion in an actor crashes that actor cleanly ("stack overflow"); main goes on.
# (`depth(n + 1) * 3 + 1`, not `1 + depth(n + 1)`: LLVM turns the latter into a loop.)
fn depth(n :: Int) -> Int do
  depth(n + 1) * 3 + 1
end

actor diver(parent) do
  send(parent, depth(0))
end

fn main() do
  let _ = spawn(diver, self())
  let r = receive do n -> "returned #{n}" after 3000 -> "no reply" end
  println(r)
end

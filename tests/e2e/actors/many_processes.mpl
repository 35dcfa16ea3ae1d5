# test: timeout=60
# 100,000 processes alive at once, each waiting in receive, then each answering once.
actor waiter(parent) do
  receive do
    n -> send(parent, n + 1)
  end
end

fn spawn_all(me, i :: Int, n :: Int, acc :: List<Pid>) -> List<Pid> do
  if i == n do acc else spawn_all(me, i + 1, n, List.prepend(acc, spawn(waiter, me))) end
end


fn main() do
  let n = 100000
  let pids = spawn_all(self(), 0, n, [])
  println("spawned #{List.length(pids)}")
  List.each(pids, fn p -> send(p, 1) end)
  let replies = for _ in 0..n do
    receive do x -> x end
  end
  println("replies #{List.length(replies)}, all 2: #{List.all(replies, fn x -> x == 2 end)}")
end

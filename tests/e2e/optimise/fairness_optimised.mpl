# test: opt=2 timeout=30
# The same program as actors/fairness.mpl, built optimised: checks placed before calls and
# on back-edges (mir/src/analysis.rs) still catch the overflow and preempt busy loops.
# Busy actors that never wait are preempted: with more spinners than cores, main still
# runs, its timers still fire, and the spinners stop when told to.
actor spinner(n :: Int) do
  let stop = receive do
    _ -> true
  after 0 -> false
  end
  if stop do () else spinner(n + 1) end
end

actor counter_loop(parent) do
  send(parent, loop_sum(0, 0))
end

fn loop_sum(i :: Int, acc :: Int) -> Int do
  if i == 50000000 do acc else loop_sum(i + 1, acc + i % 7) end
end

fn main() do
  let spinners = for _ in 0..6 do
    spawn(spinner, 0)
  end
  let ticks = for i in 0..5 do
    Timer.sleep(5)
    i
  end
  println("main ran #{List.length(ticks)} ticks beside #{List.length(spinners)} spinners")
  let _ = spawn(counter_loop, self())
  let total = receive do n -> n end
  println("busy loop result #{total}")
  List.each(spinners, fn p -> send(p, 0) end)
end

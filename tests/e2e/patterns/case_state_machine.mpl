# A tail-recursive state machine: each step goes through nested case arms over a sum type
# (tag switches, literal switches, guards) and calls itself in tail position, a million times
# in constant stack: it runs in a spawned process, whose 1 MiB stack a million frames would
# overflow.
type State do
  Idle
  Counting(Int)
  Paused(Int, Bool)
  Done(Int)
end

fn step(state, i, limit) do
  case (state, i % 4) do
    (_, _) when i == limit -> finish(state)
    (Idle, _) -> step(Counting(0), i + 1, limit)
    (Counting(n), 3) -> step(Paused(n, n % 2 == 0), i + 1, limit)
    (Counting(n), _) -> step(Counting(n + 1), i + 1, limit)
    (Paused(n, true), _) -> step(Counting(n + 2), i + 1, limit)
    (Paused(n, false), _) -> step(Counting(n), i + 1, limit)
    (Done(n), _) -> n
  end
end

fn finish(state) do
  case state do
    Counting(n) | Paused(n, _) | Done(n) -> n
    Idle -> 0
  end
end

fn count(0, acc) = acc
fn count(n, acc) when n % 2 == 0 = count(n - 1, acc + 2)
fn count(n, acc) = count(n - 1, acc + 1)

actor runner(parent) do
  send(parent, "#{step(Idle, 0, 1000000)} #{count(1000000, 0)}")
end

fn main() do
  let _ = spawn(runner, self())
  let got = receive do s -> s end
  println(got)
end

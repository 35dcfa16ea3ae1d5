# Spawn N processes (BENCH_N, default 1,000,000) that each send one reply to the parent;
# the parent counts the replies. Prints the count and the elapsed milliseconds.
actor child(parent) do
  send(parent, 1)
end

fn spawn_all(me, i :: Int, n :: Int) -> Int do
  if i == n do
    n
  else
    let _ = spawn(child, me)
    spawn_all(me, i + 1, n)
  end
end

fn now_ms() -> Int do
  DateTime.to_unix_ms(DateTime.utc_now())
end

fn main() do
  # receive is valid only in actors and main, so main's loops are nested functions.
  fn collect(left :: Int, acc :: Int) -> Int do
    if left == 0 do
      acc
    else
      let x = receive do
        x -> x
      end
      collect(left - 1, acc + x)
    end
  end
  let n = Env.get_int("BENCH_N", 1000000)
  let start = now_ms()
  let _ = spawn_all(self(), 0, n)
  let count = collect(n, 0)
  let elapsed = now_ms() - start
  println("replies #{count}")
  println("ms #{elapsed}")
end

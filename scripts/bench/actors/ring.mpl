# A ring of the main process and N other processes (BENCH_N, default 10,000); a token goes
# round it ROUNDS times (BENCH_ROUNDS, default 100), each process adding one. Prints the hop
# count and the elapsed milliseconds (ring construction included).
actor node(next) do
  receive do
    t -> do
      send(next, t + 1)
      node(next)
    end
  end
end

fn build(next, i :: Int, n :: Int) do
  if i == n do
    next
  else
    build(spawn(node, next), i + 1, n)
  end
end

fn now_ms() -> Int do
  DateTime.to_unix_ms(DateTime.utc_now())
end

fn main() do
  let n = Env.get_int("BENCH_N", 10000)
  let rounds = Env.get_int("BENCH_ROUNDS", 100)
  let start = now_ms()
  let head = build(self(), 0, n)
  # receive is valid only in actors and main, so main's loops are nested functions.
  fn go_round(left :: Int, token :: Int) -> Int do
    if left == 0 do
      token
    else
      send(head, token)
      let back = receive do
        t -> t
      end
      go_round(left - 1, back + 1)
    end
  end
  let hops = go_round(rounds, 0)
  let elapsed = now_ms() - start
  println("hops #{hops}")
  println("ms #{elapsed}")
end

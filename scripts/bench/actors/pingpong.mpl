# N round trips (BENCH_N, default 1,000,000) between the main process and an echo process.
# Prints the sum of the echoed numbers and the elapsed milliseconds.
actor ponger() do
  receive do
    (from, n) -> do
      send(from, n)
      ponger()
    end
  end
end

fn now_ms() -> Int do
  DateTime.to_unix_ms(DateTime.utc_now())
end

fn main() do
  let n = Env.get_int("BENCH_N", 1000000)
  let start = now_ms()
  let p = spawn(ponger)
  let me = self()
  # receive is valid only in actors and main, so main's loops are nested functions.
  fn rounds(i :: Int, acc :: Int) -> Int do
    if i == n do
      acc
    else
      send(p, (me, i))
      let got = receive do
        x -> x
      end
      rounds(i + 1, acc + got)
    end
  end
  let sum = rounds(0, 0)
  let elapsed = now_ms() - start
  println("sum #{sum}")
  println("ms #{elapsed}")
end

# Map: N distinct Int keys (BENCH_N, default 1,000,000; key(i) = i * 7919 mod 1,000,003, a
# permutation) inserted into a Map one Map.put at a time, then every key looked up with
# Map.get. Prints the size, the sum of the values found, and the milliseconds of each phase.
fn key(i :: Int) -> Int do
  i * 7919 % 1000003
end

fn fill(m :: Map<Int, Int>, i :: Int, n :: Int) -> Map<Int, Int> do
  if i == n do m else fill(Map.put(m, key(i), i), i + 1, n) end
end

fn lookup(m :: Map<Int, Int>, i :: Int, n :: Int, acc :: Int) -> Int do
  if i == n do acc else lookup(m, i + 1, n, acc + Map.get(m, key(i))) end
end

fn now_ms() -> Int do
  DateTime.to_unix_ms(DateTime.utc_now())
end

fn main() do
  let n = Env.get_int("BENCH_N", 1000000)
  let t0 = now_ms()
  let m = fill(Map.new(), 0, n)
  let t1 = now_ms()
  let sum = lookup(m, 0, n, 0)
  let t2 = now_ms()
  println("size #{Map.size(m)}")
  println("sum #{sum}")
  println("ms_map_insert #{t1 - t0}")
  println("ms_map_lookup #{t2 - t1}")
end

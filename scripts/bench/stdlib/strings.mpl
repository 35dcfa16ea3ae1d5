# String building: N pieces (BENCH_N, default 1,000,000) made by interpolation
# ("key<i>=<3i>") and joined with "&" into one string of about 17.5 MB, which is then split
# back on "&". Prints the lengths and the milliseconds of each phase.
fn now_ms() -> Int do
  DateTime.to_unix_ms(DateTime.utc_now())
end

fn main() do
  let n = Env.get_int("BENCH_N", 1000000)
  let t0 = now_ms()
  let parts = for i in 0..n do
    "key#{i}=#{i * 3}"
  end
  let text = String.join(parts, "&")
  let t1 = now_ms()
  let back = String.split(text, "&")
  let t2 = now_ms()
  println("length #{String.length(text)}")
  println("pieces #{List.length(back)}")
  println("ms_string_build #{t1 - t0}")
  println("ms_string_split #{t2 - t1}")
end

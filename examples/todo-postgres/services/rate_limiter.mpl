# The write rate limiter: a count per key, reset for every key at the end of each fixed window.
# A check below the maximum succeeds and counts; a refused check changes nothing.
struct LimiterState do
  max_requests :: Int
  counts :: Map<String, Int>
end

service TodoWriteRateLimiter do
  fn init(max_requests :: Int) -> LimiterState do
    LimiterState { max_requests: max_requests, counts: Map.new() }
  end

  call Check(key :: String) :: Bool do |state|
    let count = Map.get(state.counts, key)
    if count < state.max_requests do
      (%{state | counts: Map.put(state.counts, key, count + 1)}, true)
    else
      (state, false)
    end
  end

  cast Reset() do |state|
    %{state | counts: Map.new()}
  end
end

# Resets the limiter at start + k * window for k = 1, 2, …: fixed windows measured from
# start-up that do not drift with the time each reset takes.
actor window_ticker(limiter :: Pid, started_ms :: Int, window_ms :: Int, k :: Int) do
  let now = DateTime.to_unix_ms(DateTime.utc_now())
  Timer.sleep(started_ms + k * window_ms - now)
  TodoWriteRateLimiter.reset(limiter)
  window_ticker(limiter, started_ms, window_ms, k + 1)
end

# Starts the limiter and its ticker; returns the limiter.
pub fn start_rate_limiter(window_seconds :: Int, max_requests :: Int) -> Pid do
  let limiter = TodoWriteRateLimiter.start(max_requests)
  let started = DateTime.to_unix_ms(DateTime.utc_now())
  let _ = spawn(window_ticker, limiter, started, window_seconds * 1000, 1)
  limiter
end

# True when a write may proceed (and counts it).
pub fn allow_write(limiter :: Pid) -> Bool do
  TodoWriteRateLimiter.check(limiter, "todo-write")
end

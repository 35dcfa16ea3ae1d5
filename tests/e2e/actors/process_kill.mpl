# Process.kill(pid, reason) ends another process abnormally with that exit reason: a process
# waiting in a sleep and one spinning in a loop (acted on at its preemption check) both end,
# and their monitors see the reason. Killing an ended process does nothing.
actor sleeper() do
  Timer.sleep(100)
  sleeper()
end

fn spin(n :: Int) -> Int do
  if n < 0 do n else spin(n + 1) end
end

actor spinner() do
  println("spinning #{spin(0)}")
end

fn main() do
  let a :: Pid<String> = spawn(sleeper)
  let ra = Process.monitor(a)
  Timer.sleep(20)
  Process.kill(a, "worker_stalled")
  let da :: Down = receive do d -> d end
  println("sleeper: #{da.reason}, same ref: #{da.ref == ra}")
  let b :: Pid<String> = spawn(spinner)
  Process.monitor(b)
  Timer.sleep(20)
  Process.kill(b, "too busy")
  let db :: Down = receive do d -> d end
  println("spinner: #{db.reason}")
  Process.kill(a, "again")
  let more = receive do
    d -> d.reason
  after 50 -> "no more downs"
  end
  println(more)
end

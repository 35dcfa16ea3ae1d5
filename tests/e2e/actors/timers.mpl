# Timer.sleep suspends only the caller; Timer.send_after delivers later.
actor sleeper(parent, ms :: Int, tag :: String) do
  Timer.sleep(ms)
  send(parent, tag)
end

fn main() do
  let me = self()
  let _ = spawn(sleeper, me, 200, "slow")
  let _ = spawn(sleeper, me, 10, "fast")
  let first = receive do t -> t end
  let second = receive do t -> t end
  println("#{first} then #{second}")
  Timer.send_after(me, 30, "later")
  let early = receive do t -> t after 5 -> "not yet" end
  println(early)
  let late = receive do t -> t after 1000 -> "lost" end
  println(late)
  Timer.sleep(0)
  Timer.sleep(-5)
  println("done")
end

# test: timeout=30
# one_for_one restarts only the crashed child; a transient child that stops normally stays
# stopped; more restarts than max_restarts in max_seconds stops the supervisor and its
# children.
actor worker(name :: String) do
  Process.register(name, self())
  send(Process.whereis("main"), "#{name} up")
  receive do
    "crash" -> List.head([])
    _ -> ()
  end
end

supervisor Pool do
  strategy: one_for_one
  max_restarts: 2
  max_seconds: 60
  child a do
    start: fn -> spawn(worker, "a") end
    restart: permanent
  end
  child b do
    start: fn -> spawn(worker, "b") end
    restart: transient
    shutdown: brutal_kill
  end
end

# Waits (up to 2 s) until no process is registered under `name`.
fn until_gone(name :: String, tries :: Int) -> Pid do
  let p = Process.whereis(name)
  if p == Process.whereis("") or tries == 0 do
    p
  else
    Timer.sleep(5)
    until_gone(name, tries - 1)
  end
end

fn main() do
  Process.register("main", self())
  let sup = spawn(Pool)
  let x = receive do s -> s after 2000 -> "timeout" end
  let y = receive do s -> s after 2000 -> "timeout" end
  println("started: #{if x < y do [x, y] else [y, x] end}")
  send(Process.whereis("a"), "crash")
  println("after a crashed: #{receive do s -> s after 2000 -> "timeout" end}")
  send(Process.whereis("b"), "stop")
  println("b after a normal stop: #{until_gone("b", 400)}")
  send(Process.whereis("a"), "crash")
  println("after a crashed again: #{receive do s -> s after 2000 -> "timeout" end}")
  send(Process.whereis("a"), "crash")
  println("a after the supervisor gave up: #{until_gone("a", 400)}")
  println("main still running, supervisor was #{sup}")
end

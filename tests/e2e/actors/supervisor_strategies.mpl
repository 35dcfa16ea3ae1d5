# test: timeout=30
# rest_for_one restarts the crashed child and those started after it; one_for_all restarts
# every child; a temporary child is never restarted.
actor worker(name :: String) do
  Process.register(name, self())
  send(Process.whereis("main"), "#{name} up")
  receive do
    "crash" -> List.head([])
    _ -> ()
  end
end

supervisor Chain do
  strategy: rest_for_one
  max_restarts: 10
  max_seconds: 60
  child first do
    start: fn -> spawn(worker, "first") end
  end
  child second do
    start: fn -> spawn(worker, "second") end
  end
  child third do
    start: fn -> spawn(worker, "third") end
    shutdown: 500
  end
end

supervisor All do
  strategy: one_for_all
  child x do
    start: fn -> spawn(worker, "x") end
  end
  child y do
    start: fn -> spawn(worker, "y") end
  end
  child z do
    start: fn -> spawn(worker, "z") end
    restart: temporary
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
  let _ = spawn(Chain)
  let started = for _ in 0..3 do
    receive do s -> s after 2000 -> "timeout" end
  end
  println("chain: #{List.sort(started, fn(p, q) -> if p < q do -1 else 1 end end)}")
  send(Process.whereis("second"), "crash")
  let again = for _ in 0..2 do
    receive do s -> s after 2000 -> "timeout" end
  end
  println("after second crashed: #{List.sort(again, fn(p, q) -> if p < q do -1 else 1 end end)}")
  let extra = receive do s -> s after 100 -> "nothing else" end
  println(extra)
  let _ = spawn(All)
  let all = for _ in 0..3 do
    receive do s -> s after 2000 -> "timeout" end
  end
  println("all: #{List.sort(all, fn(p, q) -> if p < q do -1 else 1 end end)}")
  send(Process.whereis("y"), "crash")
  let restarted = for _ in 0..2 do
    receive do s -> s after 2000 -> "timeout" end
  end
  println("after y crashed: #{List.sort(restarted, fn(p, q) -> if p < q do -1 else 1 end end)}")
  println("z is gone: #{until_gone("z", 400)}")
end

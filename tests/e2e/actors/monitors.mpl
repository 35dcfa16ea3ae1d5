# Process.monitor: the watcher receives Down { ref, pid, reason } when the target ends —
# "normal", the crash message, or "noproc" for a process already gone; demonitor cancels.
actor worker() do
  receive do
    "crash" -> List.head([])
    _ -> ()
  end
end

fn main() do
  let a = spawn(worker)
  let ra = Process.monitor(a)
  send(a, "stop")
  let d1 :: Down = receive do d -> d end
  println("#{d1.reason}, same ref: #{d1.ref == ra}, same pid: #{d1.pid == a}")
  let b = spawn(worker)
  let _ = Process.monitor(b)
  send(b, "crash")
  let d2 = receive do d -> d end
  println("crashed: #{d2.reason}")
  let d3 = receive do
    d -> d.reason
  after 10 -> "no more downs"
  end
  println(d3)
  let _ = Process.monitor(a)
  let d4 = receive do d -> d end
  println("already gone: #{d4.reason}")
  let c = spawn(worker)
  let rc = Process.monitor(c)
  println("demonitor: #{Process.demonitor(rc)}, again: #{Process.demonitor(rc)}")
  send(c, "crash")
  let d5 = receive do
    d -> d.reason
  after 50 -> "nothing after demonitor"
  end
  println(d5)
end

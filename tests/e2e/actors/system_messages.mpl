# spec: stdlib §16.2 — a receive arm `Down { … }` (or a trapped exit's `Exit { … }`) takes that
# system message whatever the process's own message type (here String or Int); a receive may
# have only such arms.
actor worker() do
  receive do
    "crash" -> List.head([])
    _ -> ()
  end
end

actor watcher(parent :: Pid<String>) do
  let w :: Pid<String> = spawn(worker)
  let r = Process.monitor(w)
  send(parent, "watching")
  loop(parent, w, r)
end

actor loop(parent :: Pid<String>, w :: Pid<String>, r :: Int) do
  receive do
    Down { ref, reason, .. } when ref == r -> send(parent, "worker down: #{reason}")
    "kill" -> do
      send(w, "crash")
      loop(parent, w, r)
    end
    other -> do
      send(parent, "got #{other}")
      loop(parent, w, r)
    end
  end
end

actor trapper(parent :: Pid<String>) do
  Process.trap_exit(true)
  let w :: Pid<String> = spawn(worker)
  link(w)
  send(w, "crash")
  receive do
    Exit { reason, .. } -> send(parent, "trapped: #{reason}")
    n -> send(parent, "number #{n + 1}")
  end
end

fn main() do
  let me = self()
  let watch = spawn(watcher, me)
  println(receive do s -> s end)
  send(watch, "hello")
  println(receive do s -> s end)
  send(watch, "kill")
  println(receive do s -> s end)
  let _t = spawn(trapper, me)
  println(receive do s -> s end)
  let p :: Pid<Int> = spawn(worker2)
  Process.monitor(p)
  send(p, 5)
  let text = receive do
    Down { reason, .. } -> "down #{reason}"
  after 1000 -> "no down"
  end
  println(text)
end

actor worker2() do
  receive do
    n -> println("worker2 got #{n * 2}")
  end
end

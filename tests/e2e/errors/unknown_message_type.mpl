# expect: E0059 (ours) at a receive whose message type nothing fixes, which would drop every
# message sent to it: a spawn whose pid is only ever untyped (directly or through a function
# returning it), and `main` receiving from a pid it hands out untyped.
actor printer() do
  receive do
    v -> println("#{v}")
  end
end

actor echo() do
  receive do
    v -> println("echo #{v}")
  end
end

fn start_echo() = spawn(echo)

fn main() do
  let p :: Pid = spawn(printer)
  send(p, "hello")
  let q :: Pid = start_echo()
  send(q, 1)
  let me :: Pid = self()
  send(me, "to main")
  receive do
    m -> println("#{m}")
  end
end

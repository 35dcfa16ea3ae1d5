# A receive's message type may come from far away: a send to a pid returned by a generic
# function, or a typed pid given to the actor. Language §5.6; E0059 when nothing fixes it.
actor printer(parent :: Pid<String>) do
  receive do
    v -> send(parent, "got #{v}")
  end
end

actor relay(target :: Pid<String>) do
  receive do
    n -> send(target, "relayed #{n + 1}")
  end
end

fn start_printer(parent) = spawn(printer, parent)

fn main() do
  let p = start_printer(self())
  send(p, "hello")
  println(receive do s -> s end)
  let q = start_printer(self())
  send(q, [1, 2])
  println(receive do s -> s end)
  let r = spawn(relay, self())
  send(r, 41)
  println(receive do s -> s end)
end

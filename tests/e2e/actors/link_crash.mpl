# A crash travels along links: the linked partner dies too (its terminate runs); a normal
# exit does not propagate.
actor partner(parent) do
  terminate do
    send(parent, "partner stopped")
  end
  receive do
    _ -> send(parent, "partner got a message")
  end
end

actor crasher(target, fail :: Bool) do
  link(target)
  receive do
    _ -> if fail do List.head([]) else 0 end
  end
end

fn main() do
  let me = self()
  let p1 = spawn(partner, me)
  let c1 = spawn(crasher, p1, false)
  send(c1, "go")
  Timer.sleep(20)
  send(p1, "hello")
  println(receive do s -> s end)
  println(receive do s -> s end)
  # Nothing is sent to p2: its message type is given so its receive knows it (E0059).
  let p2 :: Pid<String> = spawn(partner, me)
  let c2 = spawn(crasher, p2, true)
  Timer.sleep(20)
  send(c2, "go")
  println(receive do s -> s end)
end

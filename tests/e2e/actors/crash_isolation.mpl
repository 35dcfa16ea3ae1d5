# A panic ends only the actor that raised it: one log line, its `terminate` clause runs,
# and everyone else carries on.
actor divider(parent, d :: Int) do
  terminate do
    send(parent, "terminated d=#{d}")
  end
  send(parent, "result #{100 / d}")
end

fn main() do
  let me = self()
  let _ = spawn(divider, me, 0)
  let t1 = receive do s -> s end
  println(t1)
  let _ = spawn(divider, me, 4)
  let r = receive do s -> s end
  let t2 = receive do s -> s end
  println("#{r}, #{t2}")
  println("main is fine")
end

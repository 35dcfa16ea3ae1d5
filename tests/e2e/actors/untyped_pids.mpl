# A bare `Pid` accepts pids of any actor (spec §5.6): a registry can keep them together,
# once annotated as such; typed pids still check what is sent to them (errors/).
actor shouter(parent) do
  receive do
    s -> send(parent, String.to_upper(s))
  end
end

actor doubler(parent) do
  receive do
    n -> send(parent, "#{n * 2}")
  end
end

fn main() do
  let me = self()
  let s :: Pid = spawn(shouter, me)
  let d :: Pid = spawn(doubler, me)
  let registry :: Map<String, Pid> = %{"shout" => s, "double" => d}
  send(s, "hey")
  send(d, 21)
  let a = receive do r -> r end
  let b = receive do r -> r end
  println(if a < b do "#{a} #{b}" else "#{b} #{a}" end)
  println("#{Map.size(registry)} pids, shout is #{Map.get(registry, "shout") == s}")
end

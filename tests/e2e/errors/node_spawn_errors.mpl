# Node.spawn / Node.spawn_link are checked like spawn (stdlib §17.1): the node is a String,
# the function's arguments match its parameters, and the target is a function.
actor worker(n :: Int) do
  println("#{n}")
end

fn main() do
  let _ = Node.spawn(1, worker, 2)
  let _ = Node.spawn_link("a@127.0.0.1:4370", worker, "two")
  let _ = Node.spawn("a@127.0.0.1:4370", 5)
  ()
end

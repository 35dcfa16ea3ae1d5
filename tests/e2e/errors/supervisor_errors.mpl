# Supervisor specs are checked at compile time (spec §3.9).
actor worker() do
  receive do _ -> () end
end

supervisor Bad do
  strategy: one_for_some
  child a do
    start: fn -> spawn(worker) end
    restart: sometimes
    shutdown: 0
  end
end

fn main() do
  let _ = spawn(Bad)
end

# A child's start function must return the pid it spawned (E0018).
supervisor AlsoBad do
  child bad do
    start: fn -> 42 end
  end
end

fn main() do
  let _ = spawn(AlsoBad)
end

# Sending a wrongly typed message to a typed pid (E0014); spawning a non-function (E0016).
actor counter(n :: Int) do
  receive do
    k -> counter(n + k)
  end
end

fn main() do
  let c = spawn(counter, 0)
  send(c, "one")
  let _ = spawn(42)
end

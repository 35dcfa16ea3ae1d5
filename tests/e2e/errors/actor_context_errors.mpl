# self() and receive belong to actors (and main) only (spec §3.7).
actor counter(n :: Int) do
  receive do
    k -> counter(n + k)
  end
end

fn helper() do
  self()
end

fn waiter() do
  receive do
    x -> x
  end
end

fn main() do
  helper()
  waiter()
end

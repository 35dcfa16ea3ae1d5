# The spec's service example: call handlers reply (new_state, reply), casts return the
# new state; calls are served one at a time in arrival order.
service Tally do
  fn init(start :: Int) -> Int do start end
  call AddBy(k :: Int) :: Int do|n|
    (n + k, n + k)
  end
  call GetValue() :: Int do |n|
    (n, n)
  end
  cast Clear() do |_n|
    0
  end
end

service Names do
  fn init() -> List<String> do [] end
  call Add(name :: String) :: Int do |names|
    let next = List.append(names, name)
    (next, List.length(next))
  end
  call All() :: List<String> do |names|
    (names, names)
  end
end

fn main() do
  let pid = Tally.start(5)
  println("add_by #{Tally.add_by(pid, 2)}")
  println("add_by #{Tally.add_by(pid, 3)}")
  Tally.clear(pid)
  println("after clear #{Tally.get_value(pid)}")
  let names = Names.start()
  Names.add(names, "ada")
  println("count #{Names.add(names, "grace")}")
  println("all #{Names.all(names)}")
end

# Process.register / whereis: names are unique, release on exit, and a miss is the
# no-process pid, to which sends are dropped.
service Box do
  fn init(v :: Int) -> Int do v end
  call Get() :: Int do |v| (v, v) end
end

actor short_lived() do
  receive do
    _ -> ()
  end
end

fn main() do
  let b = Box.start(42)
  println("register #{Process.register("box", b)}")
  println("again #{Process.register("box", b)}")
  println("empty name #{Process.register("", b)}")
  let found = Process.whereis("box")
  println("value #{Box.get(found)}")
  let missing = Process.whereis("nobody")
  println("missing #{missing}")
  send(missing, 1)
  let s = spawn(short_lived)
  println("short #{Process.register("short", s)}")
  send(s, 0)
  Timer.sleep(50)
  println("released #{Process.whereis("short")}")
end

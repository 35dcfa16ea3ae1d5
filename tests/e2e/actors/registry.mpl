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

# Waits (up to 2 s) until no process is registered under `name`.
fn until_gone(name :: String, tries :: Int) -> Pid do
  let p = Process.whereis(name)
  if p == Process.whereis("") or tries == 0 do
    p
  else
    Timer.sleep(5)
    until_gone(name, tries - 1)
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
  println("released #{until_gone("short", 400)}")
end

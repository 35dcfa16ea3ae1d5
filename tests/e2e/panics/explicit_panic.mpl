# test: exit=101
# spec: stdlib §1 — `panic(msg)` ends the current process with that message, like a runtime
# panic; its type is Never, so it fits any branch. A panicking actor crashes alone (its
# monitor sees the reason); main's panic prints `panic: …` and exits with 101.
fn check(n :: Int) -> Int do
  if n < 0 do
    panic("negative: #{n}")
  else
    n * 2
  end
end

actor worker() do
  let s :: String = panic("worker gave up")
  println(s)
end

fn main() do
  println("#{check(2)}")
  let w :: Pid<Int> = spawn(worker)
  Process.monitor(w)
  let d :: Down = receive do m -> m end
  println("worker down: #{d.reason}")
  let x = case check(3) do
    6 -> "six"
    _ -> panic("not six")
  end
  println(x)
  check(-1)
  println("unreachable")
end

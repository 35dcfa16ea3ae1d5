# A process trapping exits (Process.trap_exit(true), as in OTP) is not killed by a linked
# process's crash: it receives Exit { pid, reason } instead — for normal ends too.
actor crasher(fail :: Bool) do
  receive do
    _ -> if fail do List.head([]) else 0 end
  end
end

fn main() do
  Process.trap_exit(true)
  let a = spawn(crasher, true)
  link(a)
  send(a, "go")
  let e1 :: Exit = receive do e -> e end
  println("exit from a: #{e1.reason} (pid matches: #{e1.pid == a})")
  let b = spawn(crasher, false)
  link(b)
  send(b, "go")
  let e2 :: Exit = receive do e -> e end
  println("exit from b: #{e2.reason}")
  println("main survived")
end

# Receive arms with nested patterns, guards and or-patterns: a guard failing on a message
# tries the later arms (of the same constructor too), bindings of or-patterns come from the
# alternative that matched, and a message no arm takes stays queued for a later receive.
type Msg do
  Job(Int, Option<String>)
  Ping(Int)
  Pong(Int)
  Quit
end

fn main() do
  let me = self()
  send(me, Pong(5))
  send(me, Job(20, Some("a")))
  send(me, Job(3, Some("b")))
  send(me, Job(7, None))
  send(me, Job(0, None))
  send(me, Pong(500))
  send(me, Ping(7))
  send(me, Quit)
  for _ in [1, 2, 3, 4, 5] do
    let got = receive do
      Job(n, Some(tag)) when n > 10 -> "big job #{n} #{tag}"
      Job(n, Some(tag)) -> "job #{n} #{tag}"
      Job(0, None) -> "empty job"
      Ping(k) | Pong(k) when k > 100 -> "loud #{k}"
      Ping(k) -> "ping #{k}"
    end
    println(got)
  end
  # Left in the mailbox, in order: Pong(5), Job(7, None), Quit.
  let rest = receive do
    Pong(k) -> "pong #{k}"
  end
  println(rest)
  let last = receive do
    Quit -> "quit"
    Job(n, _) -> "late job #{n}"
  end
  println(last)
end

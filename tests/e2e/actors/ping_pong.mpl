# An echo actor loops by tail-calling itself; main talks to it and waits for replies.
actor echo() do
  receive do
    (from, n) -> do
      send(from, n * 2)
      echo()
    end
  end
end

fn ask(e, me, n :: Int) -> Int do
  send(e, (me, n))
  n
end

fn main() do
  let e = spawn(echo)
  let me = self()
  ask(e, me, 21)
  let a = receive do n -> n end
  ask(e, me, 50)
  let b = receive do n -> n end
  println("replies #{a} #{b}")
  # A hundred thousand messages through one actor: the tail self-call is a loop.
  let total = for i in 0..100000 do
    send(e, (me, i))
    receive do n -> n end
  end
  println("round trips #{List.length(total)}, last #{List.last(total)}")
end

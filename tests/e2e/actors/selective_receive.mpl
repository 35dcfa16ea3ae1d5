# A receive takes the oldest message matching one of its arms; the others stay queued,
# in order.
type Msg do
  Work(Int)
  Stop
  Note(String)
end

fn main() do
  let me = self()
  send(me, Note("first"))
  send(me, Work(1))
  send(me, Note("second"))
  send(me, Work(2))
  send(me, Stop)
  let w1 = receive do Work(n) -> n end
  let w2 = receive do Work(n) -> n end
  println("work #{w1} #{w2}")
  let stop = receive do Stop -> "stop" end
  println(stop)
  let n1 = receive do Note(s) -> s end
  let n2 = receive do Note(s) -> s end
  println("notes #{n1} #{n2}")
  # Guards select too.
  send(me, Work(5))
  send(me, Work(50))
  let big = receive do
    Work(n) when n > 10 -> n
  end
  let small = receive do Work(n) -> n end
  println("big #{big}, small #{small}")
end

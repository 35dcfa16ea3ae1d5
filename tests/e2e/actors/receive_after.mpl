# `after` fires when nothing arrives; `after 0` polls; messages already queued win.
fn main() do
  let none = receive do
    n -> n
  after 20 -> -1
  end
  println("timed out: #{none}")
  send(self(), 7)
  let polled = receive do n -> n after 0 -> -1 end
  println("polled: #{polled}")
  let empty = receive do n -> n after 0 -> -2 end
  println("empty poll: #{empty}")
  let s = receive do
    n -> "got #{n}"
  after 5 -> "nothing"
  end
  println(s)
end

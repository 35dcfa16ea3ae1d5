# A program's own function named like an internal one (`__service_reply`) is its own: the
# code generated for a service still reaches the runtime's reply.
service Box do
  fn init() -> Int do 0 end
  call Get() :: Int do |s|
    (s, 7)
  end
end

fn __service_reply(x :: Int) -> Int do
  x + 1
end

fn main() do
  let pid = Box.start()
  println("#{Box.get(pid)} #{__service_reply(1)}")
end

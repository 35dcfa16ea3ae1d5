# Functions only the compiler's own code calls (service replies, JSON decoding) cannot be
# named by a program, called, piped to or taken as values (E0052); a service still uses them.
service Counter do
  fn init() -> Int do
    0
  end

  call Get() :: Int do |n|
    __service_reply(42)
    (n, n)
  end
end

fn main() do
  __service_reply(42)
  let decode = __json_decode
  "{}" |> __json_decode
  let pid = Counter.start()
  println("#{Counter.get(pid)}")
end

# Http.stream delivers the body in chunks of at most 8 KiB to a closure running in a
# background process; "stop" ends it; Http.cancel stops it before the next chunk; a request
# that fails before the body runs no callback; stream_bytes carries bytes as they are.
# Chunks go to collector actors, which report to main.
actor collect(parent, acc :: String, n :: Int, whole :: String, least :: Int) do
  if acc == whole do
    send(parent, "#{String.length(acc)} chars in at least #{least} chunks: #{n >= least}")
  else
    receive do
      chunk -> collect(parent, acc <> chunk, n + 1, whole, least)
    after 5000 -> send(parent, "timed out with #{String.length(acc)} bytes")
    end
  end
end

# Counts chunks until none arrives for 300 ms (to show that no more come).
actor count(parent, n :: Int, first :: Int) do
  receive do
    chunk -> count(parent, n + 1, if n == 0 do String.length(chunk) else first end)
  after 300 -> send(parent, "#{n} chunks, the first #{first <= 8192}")
  end
end

fn body_of(url :: String) -> String do
  case Http.send(Http.build(:get, url)) do
    Ok(resp) -> resp.body
    Err(e) -> e
  end
end

fn main() do
  let base = Env.get("MESH_TEST_URL", "")
  let me = self()
  let big = body_of(base <> "/big")
  let c1 = spawn(collect, me, "", 0, big, 3)
  let _ = Http.stream(Http.build(:get, base <> "/big"), fn chunk do
    send(c1, chunk)
    if String.length(chunk) > 8192 do "stop" else "go on" end
  end)
  println("streamed #{receive do r -> r end}")
  let c2 = spawn(count, me, 0, 0)
  let _ = Http.stream(Http.build(:get, base <> "/big"), fn chunk do
    send(c2, chunk)
    "stop"
  end)
  println("stopped after #{receive do r -> r end}")
  let c3 = spawn(count, me, 0, 0)
  let h = Http.stream(Http.build(:get, base <> "/drip"), fn chunk do
    send(c3, chunk)
    send(me, chunk)
    "go on"
  end)
  let drip = receive do c -> c end
  Http.cancel(h)
  Http.cancel(h)
  println("cancelled after a #{drip}: #{receive do r -> r end}")
  let c4 = spawn(count, me, 0, 0)
  let inert = Http.stream(Http.build(:get, Env.get("MESH_TEST_REFUSED_URL", "")), fn chunk do
    send(c4, chunk)
    "go on"
  end)
  Http.cancel(inert)
  println("a failed stream: #{receive do r -> r end}")
  let text = body_of(base <> "/utf8")
  let c5 = spawn(collect, me, "", 0, text, 2)
  let _ = Http.stream_bytes(Http.build(:get, base <> "/utf8"), fn chunk do
    send(c5, chunk)
    "go on"
  end)
  println("stream_bytes: #{receive do r -> r end}")
end

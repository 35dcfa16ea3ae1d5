# The Mesh half of the node-distribution benchmark (issue 18 item 5), the programs of
# dist.erl: the serving node registers `ponger`, `int_sink` and `str_sink` globally; the
# measuring node runs one benchmark against it and prints a result line, then `ms N`
# (measured inside the program around the benchmark, connection set-up excluded).
#
#   pingpong  BENCH_N round trips of an Int between two processes
#   small     BENCH_N one-way Int messages, then one acknowledgement
#   large     BENCH_N one-way 64 KiB string messages, then one acknowledgement
#
# Environment: BENCH_NODE (this node, name@host:port), BENCH_COOKIE, BENCH_MODE
# (serve | pingpong | small | large), BENCH_PEER (the serving node), BENCH_N.
actor ponger() do
  receive do
    (from, n) -> do
      send(from, n)
      ponger()
    end
  end
end

# The first message says how many follow; once they are in, the count goes to the process
# registered globally as "bench_ack".
actor int_sink(expect :: Int, count :: Int) do
  let v :: Int = receive do
    m -> m
  end
  if expect < 0 do
    int_sink(v, 0)
  else
    if count + 1 >= expect do
      let ack :: Pid<Int> = Global.whereis("bench_ack")
      send(ack, count + 1)
      int_sink(-1, 0)
    else
      int_sink(expect, count + 1)
    end
  end
end

actor str_sink(expect :: Int, count :: Int) do
  let v :: String = receive do
    m -> m
  end
  if expect < 0 do
    str_sink(parse(v), 0)
  else
    if count + 1 >= expect do
      let ack :: Pid<Int> = Global.whereis("bench_ack")
      send(ack, count + 1)
      str_sink(-1, 0)
    else
      str_sink(expect, count + 1)
    end
  end
end

fn parse(text :: String) -> Int do
  case String.to_int(text) do
    Some(n) -> n
    None -> 0
  end
end

fn now_ms() -> Int do
  DateTime.to_unix_ms(DateTime.utc_now())
end

fn fail(why :: String) -> Int do
  println("dist: #{why}")
  Process.exit(2)
  2
end

# Dials the serving node until it answers and its names have arrived.
fn await_peer(peer :: String, tries :: Int) -> Bool do
  let connected = Node.connect(peer) == 0
  let ready = connected && Global.whereis("str_sink") != Global.whereis("")
  if ready || tries == 0 do
    ready
  else
    Timer.sleep(50)
    await_peer(peer, tries - 1)
  end
end

fn doubled(s :: String, times :: Int) -> String do
  if times == 0 do
    s
  else
    doubled("#{s}#{s}", times - 1)
  end
end

fn send_ints(sink :: Pid<Int>, i :: Int, n :: Int) do
  if i < n do
    send(sink, i)
    send_ints(sink, i + 1, n)
  end
end

fn send_strs(sink :: Pid<String>, text :: String, i :: Int, n :: Int) do
  if i < n do
    send(sink, text)
    send_strs(sink, text, i + 1, n)
  end
end

fn serve() do
  let p :: Pid<(Pid<Int>, Int)> = spawn(ponger)
  let a :: Pid<Int> = spawn(int_sink, -1, 0)
  let b :: Pid<String> = spawn(str_sink, -1, 0)
  let r1 = Global.register("ponger", p)
  let r2 = Global.register("int_sink", a)
  let r3 = Global.register("str_sink", b)
  let registered = r1 + r2 + r3
  println("serving registered=#{registered}")
end

fn main() do
  let mode = Env.get("BENCH_MODE", "serve")
  let n = Env.get_int("BENCH_N", 100000)
  if Node.start(Env.get("BENCH_NODE", ""), Env.get("BENCH_COOKIE", "")) != 0 do
    let _ = fail("cannot start the node")
  end
  if mode == "serve" do
    serve()
    # Serves until killed.
    let _ = receive do
      x -> x + 0
    end
    ()
  else
    if !await_peer(Env.get("BENCH_PEER", ""), 200) do
      let _ = fail("no answer from the serving node")
    end
    let me = self()
    let _ = Global.register("bench_ack", me)
    case mode do
      "pingpong" -> do
        let p :: Pid<(Pid<Int>, Int)> = Global.whereis("ponger")
        # receive is valid only in actors and main, so main's loops are nested functions.
        fn rounds(i :: Int, acc :: Int) -> Int do
          if i == n do
            acc
          else
            send(p, (me, i))
            let got = receive do
              x -> x
            after 10000 -> fail("no pong")
            end
            rounds(i + 1, acc + got)
          end
        end
        let start = now_ms()
        let sum = rounds(0, 0)
        let elapsed = now_ms() - start
        println("sum #{sum}")
        println("ms #{elapsed}")
      end
      "small" -> do
        let sink :: Pid<Int> = Global.whereis("int_sink")
        let start = now_ms()
        send(sink, n)
        send_ints(sink, 0, n)
        let count = receive do
          c -> c
        after 600000 -> fail("no acknowledgement")
        end
        let elapsed = now_ms() - start
        println("received #{count}")
        println("ms #{elapsed}")
      end
      "large" -> do
        let sink :: Pid<String> = Global.whereis("str_sink")
        let text = doubled("x", 16)
        let start = now_ms()
        send(sink, "#{n}")
        send_strs(sink, text, 0, n)
        let count = receive do
          c -> c
        after 600000 -> fail("no acknowledgement")
        end
        let elapsed = now_ms() - start
        println("received #{count}")
        println("ms #{elapsed}")
      end
      _ -> do
        let _ = fail("unknown mode #{mode}")
      end
    end
  end
end

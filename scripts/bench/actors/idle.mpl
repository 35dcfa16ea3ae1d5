# Memory per idle process: N processes (BENCH_N, default 100,000) each report that they
# started and then block in receive; prints the resident set growth per process in bytes
# (VmRSS from /proc/self/status before spawning and after every process has started).
actor idler(parent) do
  send(parent, 1)
  receive do
    x -> x
  end
end

fn rss_kb() -> Int do
  case File.read("/proc/self/status") do
    Ok(text) -> do
      let line = List.find(String.split(text, "\n"), fn l -> String.starts_with(l, "VmRSS:") end)
      case line do
        Some(l) -> do
          let digits = String.trim(String.replace(String.replace(l, "VmRSS:", ""), "kB", ""))
          case String.to_int(digits) do
            Some(kb) -> kb
            None -> -1
          end
        end
        None -> -1
      end
    end
    Err(_) -> -1
  end
end

fn spawn_all(me, i :: Int, n :: Int) -> Int do
  if i == n do
    n
  else
    # Nothing is sent to an idler: its message type is given (E0071 otherwise).
    let _idler :: Pid<Int> = spawn(idler, me)
    spawn_all(me, i + 1, n)
  end
end

fn main() do
  let n = Env.get_int("BENCH_N", 100000)
  # receive is valid only in actors and main, so main's loops are nested functions.
  fn wait_ready(left :: Int) -> Int do
    if left == 0 do
      0
    else
      let _ = receive do
        x -> x
      end
      wait_ready(left - 1)
    end
  end
  let before = rss_kb()
  let _ = spawn_all(self(), 0, n)
  let _ = wait_ready(n)
  let grown = rss_kb()
  println("processes #{n}")
  println("bytes_per_process #{(grown - before) * 1024 / n}")
end

# spec: stdlib §16.2 — `Down { … }` patterns: fields by name (`ref: r`, a bare name binds the
# field), literals inside, `..` for the rest.
actor worker() do
  receive do
    "crash" -> List.head([])
    _ -> ()
  end
end

fn main() do
  let a :: Pid<String> = spawn(worker)
  let r = Process.monitor(a)
  send(a, "stop")
  receive do
    Down { ref: got, reason: "normal", .. } -> println("normal end, same ref: #{got == r}")
    Down { reason, .. } -> println("other: #{reason}")
  end
  let b :: Pid<String> = spawn(worker)
  Process.monitor(b)
  send(b, "crash")
  let text = receive do
    Down { reason: "normal", .. } -> "normal"
    Down { pid, reason, ref: _ } -> "crash of #{pid == b}: #{reason}"
  end
  println(text)
end

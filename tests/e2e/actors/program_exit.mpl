# After main returns the program runs on while an actor is runnable or waiting on a timer;
# actors blocked in a plain receive do not keep it alive (language spec §7).
actor late(msg :: String) do
  Timer.sleep(50)
  println(msg)
end

actor forever() do
  receive do
    _ -> println("never printed")
  end
end

actor patient() do
  receive do
    _ -> println("never printed either")
  after 80 -> println("patient gave up waiting")
  end
end

fn main() do
  # Nothing is sent to them: their message types are given (E0059 otherwise).
  let _f :: Pid<String> = spawn(forever)
  let _ = spawn(late, "late actor finished after main")
  let _p :: Pid<Int> = spawn(patient)
  println("main returns")
end

# test: exit=3
# Process.exit(n) ends the whole program with status n (runtime-cluster §11), from any
# process, after flushing what was printed; code after it does not run.
actor quitter(n :: Int) do
  println("quitting with #{n}")
  Process.exit(n)
end

fn main() do
  println("start")
  spawn(quitter, 3)
  Timer.sleep(5000)
  println("not reached")
end

# spec: stdlib §16.4 — `Job.map(xs, f)` runs one job per element, all at once, and returns
# their results in input order: `Ok(value)`, or `Err(reason)` for a job that crashed.
fn slow_square(n :: Int) -> Int do
  Timer.sleep(10 * (5 - n))
  if n == 3 do
    List.head([])
  else
    n * n
  end
end

fn main() do
  let results = Job.map([1, 2, 3, 4], slow_square)
  for r in results do
    println("#{r}")
  end
  let words = Job.map(["a", "bc"], fn w -> String.length(w) end)
  println("#{words}")
  println("#{Job.map([], fn x -> x + 1 end)}")
end

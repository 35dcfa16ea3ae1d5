# stdlib spec §10 with long adapter chains: pulling recurses once per adapter, so a chain of a
# thousand maps works and a chain deeper than a process stack ends that process cleanly with
# "stack overflow" (process stacks have no guard page; the runtime checks the limit).
fn wrap(it :: Iter<Int>, n :: Int) -> Iter<Int> do
  if n == 0 do
    it
  else
    wrap(Iter.map(it, fn x -> x + 1 end), n - 1)
  end
end

fn main() do
  println("#{wrap(Iter.from([1, 2, 3]), 1000) |> List.collect()}")
  let job = Job.async(fn -> wrap(Iter.from([1, 2, 3]), 1000) |> Iter.sum() end)
  println("#{Job.await(job)}")
  let job = Job.async(fn -> wrap(Iter.from([1, 2, 3]), 200000) |> Iter.sum() end)
  println("#{Job.await(job)}")
end

# Job.async runs a function in its own actor; await gives Ok(value) or Err(crash reason).
fn slow_square(x :: Int) -> Int do
  Timer.sleep(20)
  x * x
end

fn main() do
  let jobs = for i in 1..6 do
    Job.async(fn -> slow_square(i) end)
  end
  let results = for j in jobs do
    case Job.await(j) do
      Ok(v) -> v
      Err(_) -> -1
    end
  end
  println("squares #{results}")
  let bad = Job.async(fn -> List.head([]) + 1 end)
  case Job.await(bad) do
    Ok(v) -> println("unexpected #{v}")
    Err(reason) -> println("crashed: #{reason}")
  end
  let text = Job.async(fn -> "made in a job" end)
  println("#{Job.await(text)}")
  let late = Job.async(fn -> slow_square(100) end)
  println("#{Job.await_timeout(late, 1)}")
end

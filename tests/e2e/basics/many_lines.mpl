# A thousand lines from a self-recursive loop: output order and flushing at exit.
fn print_from(i :: Int, limit :: Int) do
  if i > limit do
    println("done")
  else
    println("line #{i}")
    print_from(i + 1, limit)
  end
end

fn main() do
  print_from(1, 1000)
end

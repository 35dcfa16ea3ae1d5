# test: timeout=60
# issue 5: a loop that builds and drops about 4 GB of strings runs in a small, bounded heap
# (the collector reclaims them); the checksum proves every string had its contents.
fn churn(i :: Int, n :: Int, acc :: Int) -> Int do
  if i == n do
    acc
  else
    let a = "item #{i} of the churn loop, padded to make it longer than a few words"
    let b = a <> " / " <> a <> " / " <> a
    churn(i + 1, n, acc + String.length(b) % 7 + String.length(a))
  end
end

fn main() do
  println("#{churn(0, 4000000, 0)}")
end

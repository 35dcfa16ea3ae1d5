# test: timeout=60
# issue 5: a recursive structure a million links deep survives collections (marking does
# not recurse on the native stack) and is read back in full afterwards.
type Chain do
  End
  Link(Int, String, Chain)
end

fn build(i :: Int, acc :: Chain) -> Chain do
  if i == 0 do
    acc
  else
    build(i - 1, Link(i, "#{i % 10}", acc))
  end
end

fn sum(c :: Chain, acc :: Int) -> Int do
  case c do
    End -> acc
    Link(n, s, rest) -> sum(rest, acc + n + String.length(s))
  end
end

fn churn(i :: Int, acc :: Int) -> Int do
  if i == 0 do
    acc
  else
    churn(i - 1, acc + String.length("churn #{i} and some padding for the heap"))
  end
end

fn main() do
  let chain = build(1000000, End)
  println("#{churn(2000000, 0)}")
  println("#{sum(chain, 0)}")
end

# test: exit=101
# Guards can leave a call unmatched at run time: the call panics.
fn pick(x) when x > 0 = "positive"
fn pick(x) when x <= 0 and x > -5 = "small"

fn main() do
  println(pick(3))
  println(pick(-10))
end

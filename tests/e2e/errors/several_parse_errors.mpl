# expect: P0001 at 6:10 and 11:6: each broken declaration reports its own parse error;
# the valid declarations between them are parsed without complaint.
fn helper(x) = x + 1

fn first() do
  let y =
  y
end

fn second() do
  1 +
end

fn main() do
  println("#{helper(1)}")
end

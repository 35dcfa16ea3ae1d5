# expect: E0004 at 4:15 (undefined variable: missing), no help line (no name within distance 2)
fn main() do
  let first = 1
  let total = missing + first
  println("#{total}")
end

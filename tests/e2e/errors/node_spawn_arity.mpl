# Node.spawn needs at least a node and a function (stdlib §17.1).
fn main() do
  let _ = Node.spawn("a@127.0.0.1:4370")
  ()
end

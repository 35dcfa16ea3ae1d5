# expect: E0058 for a type name that resolves to nothing (ours: the spec's table has no code;
# E0004 is for variables), in annotations, signatures and struct literals

fn f(x :: Nope) -> Missing = x

fn main() do
  let y :: Option<Unknown> = None
  let z = Ghost { a: 1 }
end

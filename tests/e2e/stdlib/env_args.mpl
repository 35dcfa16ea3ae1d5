# spec: stdlib §12 — Env.args lists the command-line arguments; element 0 is the program
# path (the harness passes no other arguments).
fn main() do
  let args = Env.args()
  println("#{List.length(args)}")
  println("#{String.length(String.join(args, "")) > 0} #{env_args() == args}")
end

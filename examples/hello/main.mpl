# The first Mesh program: prints a greeting.
fn main() do
  println("Hello, World!")
end

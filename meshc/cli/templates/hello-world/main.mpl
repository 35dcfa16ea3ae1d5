# The entry point of {{name}}: `meshc run` builds and runs it.
fn main() do
  println("Hello from {{name}}!")
end

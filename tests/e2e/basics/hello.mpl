fn main() do
  println("Hello, World!")
end

# A program with `@cluster` functions builds, links and registers them (a registration the
# runtime refused would panic before this line).
from Work import sum

fn main() do
  println("sum=${sum(20, 22)}")
end

# Integer literals in every base, with digit separators.
fn main() do
  println("#{42}")
  println("#{0}")
  println("#{1_000_000}")
  println("#{0xFF}")
  println("#{0xdead_beef}")
  println("#{0b101}")
  println("#{0b1010_1010}")
  println("#{0o17}")
  println("#{0o777}")
  println("#{9223372036854775807}")
end

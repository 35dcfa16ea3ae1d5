# test: exit=101
# An unannotated function whose body ends in a call that never returns has an unconstrained
# result type; as the entry (main) or called from it, that type is `()` (it was an internal
# compiler error: "type Gen(0) reached MIR lowering").
fn fail_with(message :: String) do
  panic(message)
end

fn main() do
  println("before")
  fail_with("boom")
end

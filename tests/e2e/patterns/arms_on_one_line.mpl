# Case arms may follow the previous arm on the same line (spec §4.7).
fn f(x) do
  case x do Some(n) -> n None -> 0 end
end

fn main() do
  println("#{f(Some(4))} #{f(None)}")
end

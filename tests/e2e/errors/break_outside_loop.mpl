# expect: E0032 for `break` in a function body and E0033 for `continue` inside a closure
# (closures are loop boundaries)
fn main() do
  break
  while true do
    let f = fn -> continue end
    break
  end
end

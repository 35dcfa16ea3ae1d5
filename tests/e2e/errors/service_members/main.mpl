# expect: a service of another module: its private function (E0035), a member it does not
# have (E0034, also through `Module.Service`), the service used as a value (E0005)
from App.Counter import Counter
import App.Counter

fn main() do
  let p = Counter.start(1)
  println("#{Counter.secret(2)}")
  Counter.subtract(p, 1)
  Counter.Counter.subtract(p, 1)
  let f = Counter
end

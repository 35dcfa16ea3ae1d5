# spec: language §2.3 — `service` is always exported; §4.4 — `a.b` where `a` is a module
# (`Workers.Tally.start`) or a service imported by name (`from Counter import Counter`), also
# from nested modules (`import Services.Store` then `Store.start()` or `Store.Store.start()`).
from Counter import Counter
from Services.Cache import Cache
import Workers
import Services.Store

fn main() do
  let p = Counter.start(5)
  println("#{Counter.add(p, 2)}")
  Counter.reset(p)
  println("#{Counter.add(p, 1)} #{Counter.describe(3)}")
  let t = Workers.Tally.start()
  Workers.Tally.bump(t)
  println("tally #{Workers.Tally.bump(t)}")
  let names = Workers.Names.start("a")
  println("#{Workers.Names.push(names, "b")}")
  let s = Store.start()
  println("#{Store.put(s, "x", 1)} #{Store.put(s, "y", 2)} #{Store.get(s, "y")}")
  let s2 = Store.Store.start()
  println("#{Store.Store.get(s2, "y")}")
  let c = Cache.start(1)
  println("#{Cache.hit(c)} #{Cache.hit(c)}")
end

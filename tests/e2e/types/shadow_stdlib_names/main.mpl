# spec: issue 12 — a user type may share its name with any stdlib type (or stdlib module): it
# shadows the built-in name in the module that declares or imports it. This module imports only
# some of them, so the stdlib DateTime, Range, Json, List, Map, Set, Queue, Iter, Pid, Atom,
# Regex and Option stay the stdlib ones here.
import Calendar
import Collections
import Misc
import Text
from Calendar import DateTime

fn stdlib_types() -> String do
  let r :: Range = 2..5
  let j :: Json = json { n: 1 }
  let text :: String = "plain"
  let xs :: List<Int> = [1, 2]
  let m :: Map<String, Int> = %{"k" => 1}
  let s :: Set<Int> = Set.from_list([1, 1, 2])
  let q :: Queue<Int> = Queue.push(Queue.new(), 5)
  let it :: Iter<Int> = Iter.from(xs)
  let a :: Atom = :done
  let re :: Regex = ~r/b/
  let o :: Option<Int> = Some(3)
  let n = case o do
    Some(v) -> v
    None -> 0
  end
  "#{Range.length(r)} #{j} #{xs} #{m} #{Set.size(s)} #{Queue.size(q)} #{Iter.count(it)} #{a} #{Regex.is_match(re, "abc")} #{n} #{text}"
end

fn main() do
  # `DateTime` is imported from Calendar: the user struct here.
  let d :: DateTime = DateTime { year: 2024, month: 3 }
  let e = Calendar.make(2025, 1)
  println("#{d} #{d < e} #{d == Calendar.make(2024, 3)}")
  let r = Calendar.span(d, e)
  println("#{r} #{Calendar.months(r)}")
  println("#{Calendar.sample()} #{Calendar.describe(Calendar.sample())} #{Calendar.sample() == Calendar.sample()}")
  println("#{Calendar.epoch_text()} #{Calendar.stdlib_range_length()}")
  println(Calendar.json_round_trip())
  println(Collections.demo())
  println(Misc.demo())
  println(Misc.more())
  println("ticks #{Misc.ticks()}")
  let t = Text.measure("HEY")
  println("#{t} #{Text.describe(t)} #{t == Text.measure("abc")} #{String.length("stdlib")}")
  println(stdlib_types())
  let pid :: Pid = spawn(fn -> 1 end)
  println("#{pid == pid}")
end

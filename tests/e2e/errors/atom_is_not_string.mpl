# spec: language §1 — an atom has type Atom, distinct from String; DateTime units are atoms.
fn main() do
  let t = DateTime.utc_now()
  println(DateTime.to_iso8601(DateTime.add(t, 1, "day")))
  println(:day)
end

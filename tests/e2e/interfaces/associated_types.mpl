# Associated types: `type Out` in an interface, `type Out = …` in each impl, `Self.Out` in
# signatures (spec §3.6).
struct Reading do
  sensor :: String
  value :: Int
end

interface Describe do
  type Out
  fn describe(self) -> Self.Out
  fn tag(self) -> String do "item" end
end

impl Describe for Reading do
  type Out = String
  fn describe(self) -> Self.Out do "#{self.sensor}=#{self.value}" end
end

impl Describe for Int do
  type Out = Int
  fn describe(self) -> Self.Out do self * 10 end
end

fn main() do
  let r = Reading { sensor: "temp", value: 21 }
  println(r.describe() <> " " <> r.tag())
  println("#{4.describe()} #{4.tag()}")
end

import Types
from Types import User, Role

pub fn label(u :: Types.User) -> String = "#{u.name}"

# An impl may name the interface through its module (spec §6 `impl_def`).
impl Types.Greet for User do
  fn greet(self) -> String do "hi #{self.name}" end
end

pub fn role() -> Role = Guest("g")

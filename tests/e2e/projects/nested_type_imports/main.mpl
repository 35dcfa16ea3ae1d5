# spec: language §2.3 — `import Models.Types` makes `Types.UserId` usable in type positions
# (aliases, structs and sum types of a nested module, also inside other types)
import Models.Types
from Models.Types import Role

fn show(id :: Types.UserId, u :: Types.User, r :: Types.Role) -> String = "#{id} #{u} #{r}"

fn pair(n :: Types.Named) -> List<Types.UserId> do
  let (id, _) = n
  [id, id + 1]
end

fn main() do
  let u = Types.User { id: 1, name: "a" }
  let ids :: Option<Types.UserId> = Some(7)
  println(show(2, u, Admin))
  println("#{ids} #{pair((3, "c"))} #{Guest("g")}")
end

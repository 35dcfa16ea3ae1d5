# spec: language §2.3 — `from String import length` binds a stdlib function; `Types.UserId` in
# type positions; §4.3/§4.4 — `Types.User { … }` literals and `Types.User.from_json` static
# calls; §3.5 — a struct of another module displays as `Name(v1, v2)`.
import Api.Router
import Types
from Types import make, User, UserId
from String import length, to_upper

fn main() do
  let u = make(3)
  let id :: Types.UserId = u.id
  let id2 :: UserId = 4
  println("#{Router.label(u)} #{id} #{id2} #{u.greet()} #{Router.role()}")
  println("#{length("héllo")} #{to_upper("abc")}")
  println("#{u} #{[u]} #{User.from_json("{\"id\":1,\"name\":\"z\"}")}")
  let q = Types.User { id: 7, name: "q" }
  let q2 = %{q | name: "r"}
  println("#{q2} #{Types.User.from_json("{\"id\":5,\"name\":\"j\"}")}")
end

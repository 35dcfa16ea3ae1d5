# Misuse of HTTP.clustered and Continuity.promote (language §4.12): E0046-E0051.
import Api.Todos

fn main() do
  let outside = HTTP.clustered(1, Todos.list)
  let r = HTTP.router()
    |> HTTP.on_get("/a", HTTP.clustered(Todos.private_list))
    |> HTTP.on_get("/b", HTTP.clustered(0, Todos.list))
    |> HTTP.on_get("/c", HTTP.clustered(1, Todos.list))
    |> HTTP.on_get("/d", HTTP.clustered(2, Todos.list))
  Continuity.promote()
  HTTP.serve(r, 8080)
end

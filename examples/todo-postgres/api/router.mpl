# The route table. The two reads go through HTTP.clustered(1, …): the runtime may run them on
# any node and records each request for `meshc cluster continuity`. Health and the writes are
# ordinary local routes.
from Api.Health import handle_health
from Api.Todos import (
  handle_list_todos,
  handle_get_todo,
  handle_create_todo,
  handle_toggle_todo,
  handle_delete_todo
)

pub fn build_router() -> Router do
  HTTP.router()
    |> HTTP.on_get("/health", handle_health)
    |> HTTP.on_get("/todos", HTTP.clustered(1, handle_list_todos))
    |> HTTP.on_get("/todos/:id", HTTP.clustered(1, handle_get_todo))
    |> HTTP.on_post("/todos", handle_create_todo)
    |> HTTP.on_put("/todos/:id", handle_toggle_todo)
    |> HTTP.on_delete("/todos/:id", handle_delete_todo)
end

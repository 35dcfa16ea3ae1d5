# The todo handlers: storage results mapped to status codes, writes gated by the rate limiter.
from Runtime.Registry import current
from Services.RateLimiter import allow_write
from Storage.Todos import list_todos, get_todo, create_todo, toggle_todo, delete_todo
from Types.Todo import Todo
from Config import invalid_todo_id, title_required, todo_not_found, rate_limited

# The body of POST /todos.
struct NewTodo do
  title :: String
end deriving(Json)

fn error_response(message :: String) -> Response do
  let status = if message == invalid_todo_id() or message == title_required() do
    400
  else if message == todo_not_found() do
    404
  else
    500
  end
  HTTP.response(status, json { error: message })
end

fn todo_response(status :: Int, result :: Todo ! String) -> Response do
  case result do
    Ok(todo) -> HTTP.response(status, Json.encode(todo))
    Err(message) -> error_response(message)
  end
end

fn path_id(request :: Request) -> String do
  case Request.param(request, "id") do
    Some(id) -> id
    None -> ""
  end
end

# Every write asks the limiter first, before any validation or lookup.
fn limited(write :: Fun() -> Response) -> Response do
  if allow_write(current().limiter) do
    write()
  else
    HTTP.response(429, json { error: rate_limited() })
  end
end

# Served through HTTP.clustered(1, …) (runtime name `Api.Todos.handle_list_todos`).
pub fn handle_list_todos(_request :: Request) -> Response do
  case list_todos(current().pool) do
    Ok(todos) -> HTTP.response(200, Json.encode(todos))
    Err(message) -> error_response(message)
  end
end

# Served through HTTP.clustered(1, …) (runtime name `Api.Todos.handle_get_todo`).
pub fn handle_get_todo(request :: Request) -> Response do
  todo_response(200, get_todo(current().pool, path_id(request)))
end

pub fn handle_create_todo(request :: Request) -> Response do
  limited(fn do
    case NewTodo.from_json(Request.body(request)) do
      Ok(body) -> todo_response(201, create_todo(current().pool, body.title))
      Err(_) -> error_response(title_required())
    end
  end)
end

pub fn handle_toggle_todo(request :: Request) -> Response do
  limited(fn -> todo_response(200, toggle_todo(current().pool, path_id(request))) end)
end

pub fn handle_delete_todo(request :: Request) -> Response do
  limited(fn do
    case delete_todo(current().pool, path_id(request)) do
      Ok(id) -> HTTP.response(200, json { status: "deleted", id: id })
      Err(message) -> error_response(message)
    end
  end)
end

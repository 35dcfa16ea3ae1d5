# The todo queries, through the query builder (Query/Expr/Pg) and Repo. Every function takes the
# pool; each is one statement, so a toggle or delete acts on the row as it is when the statement
# runs, never on a stale read. Ids are validated before any query.
from Types.Todo import Todo, valid_todo_id
from Config import invalid_todo_id, title_required, todo_not_found

# `created_at` as ISO-8601 UTC with microseconds, rendered by the database.
fn created_at_iso() -> String do
  "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS created_at"
end

# The columns of a Todo as text, for SELECT lists and RETURNING clauses.
fn todo_columns() -> List<String> do
  ["id::text AS id", "title", "completed::text AS completed", created_at_iso()]
end

fn returning() -> String do
  "RETURNING #{String.join(todo_columns(), ", ")}"
end

fn by_id(id :: String) -> Query do
  Query.from("todos") |> Query.where_expr(Expr.eq(Expr.column("id"), Pg.uuid(Expr.value(id))))
end

fn to_todo(row :: Map<String, String>) -> Todo do
  Todo {
    id: Map.get(row, "id"),
    title: Map.get(row, "title"),
    completed: Map.get(row, "completed") == "true",
    created_at: Map.get(row, "created_at")
  }
end

fn first_todo(rows :: List<Map<String, String>>) -> Todo ! String do
  case rows do
    row :: _ -> Ok(to_todo(row))
    _ -> Err(todo_not_found())
  end
end

fn checked_id(raw :: String) -> String ! String do
  if valid_todo_id(raw) do Ok(raw) else Err(invalid_todo_id()) end
end

# Every todo, newest first.
pub fn list_todos(pool :: PoolHandle) -> List<Todo> ! String do
  let q = Query.from("todos")
    |> Query.select_raw(todo_columns())
    |> Query.order_by(:created_at, :desc)
    |> Query.order_by(:id, :desc)
  let rows = Repo.all(pool, q)?
  Ok(List.map(rows, to_todo))
end

pub fn get_todo(pool :: PoolHandle, raw_id :: String) -> Todo ! String do
  let id = checked_id(raw_id)?
  let rows = Repo.all(pool, by_id(id) |> Query.select_raw(todo_columns()))?
  first_todo(rows)
end

pub fn create_todo(pool :: PoolHandle, title :: String) -> Todo ! String do
  let trimmed = String.trim(title)
  if trimmed == "" do
    Err(title_required())
  else
    let rows = Repo.query_raw(
      pool,
      "INSERT INTO todos (title) VALUES ($1) #{returning()}",
      [trimmed]
    )?
    first_todo(rows)
  end
end

pub fn toggle_todo(pool :: PoolHandle, raw_id :: String) -> Todo ! String do
  let id = checked_id(raw_id)?
  let rows = Repo.query_raw(
    pool,
    "UPDATE todos SET completed = NOT completed WHERE id = $1::uuid #{returning()}",
    [id]
  )?
  first_todo(rows)
end

# Deletes the todo and returns its id.
pub fn delete_todo(pool :: PoolHandle, raw_id :: String) -> String ! String do
  let id = checked_id(raw_id)?
  let rows = Repo.delete_where_returning(pool, "todos", by_id(id))?
  case rows do
    row :: _ -> Ok(Map.get(row, "id"))
    _ -> Err(todo_not_found())
  end
end

# SQLite schema and queries. Every function takes the open connection; each is one statement,
# so a toggle or delete acts on the row as it is when the statement runs, never on a stale read.
from Types.Todo import Todo
from Config import invalid_todo_id, title_required, todo_not_found

pub fn ensure_schema(db :: SqliteConn) -> () ! String do
  let _ = Sqlite.execute(
    db,
    "CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, completed INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)",
    []
  )?
  Ok(())
end

# A path id must be a positive integer.
pub fn parse_id(raw :: String) -> Int ! String do
  case String.to_int(raw) do
    Some(n) -> if n > 0 do Ok(n) else Err(invalid_todo_id()) end
    None -> Err(invalid_todo_id())
  end
end

fn first_todo(rows :: List<Map<String, String>>) -> Todo ! String do
  case rows do
    row :: _ -> Todo.from_row(row)
    _ -> Err(todo_not_found())
  end
end

pub fn list_todos(db :: SqliteConn) -> List<Todo> ! String do
  let rows = Sqlite.query(
    db,
    "SELECT id, title, completed, created_at FROM todos ORDER BY id ASC",
    []
  )?
  Ok(for row in rows do
    Todo.from_row(row)?
  end)
end

pub fn get_todo(db :: SqliteConn, raw_id :: String) -> Todo ! String do
  let id = parse_id(raw_id)?
  let rows = Sqlite.query(
    db,
    "SELECT id, title, completed, created_at FROM todos WHERE id = ?",
    ["#{id}"]
  )?
  first_todo(rows)
end

pub fn create_todo(db :: SqliteConn, title :: String) -> Todo ! String do
  let trimmed = String.trim(title)
  if trimmed == "" do
    Err(title_required())
  else
    let now = DateTime.to_iso8601(DateTime.utc_now())
    let rows = Sqlite.query(
      db,
      "INSERT INTO todos (title, completed, created_at) VALUES (?, 0, ?) RETURNING id, title, completed, created_at",
      [trimmed, now]
    )?
    first_todo(rows)
  end
end

pub fn toggle_todo(db :: SqliteConn, raw_id :: String) -> Todo ! String do
  let id = parse_id(raw_id)?
  let rows = Sqlite.query(
    db,
    "UPDATE todos SET completed = 1 - completed WHERE id = ? RETURNING id, title, completed, created_at",
    ["#{id}"]
  )?
  first_todo(rows)
end

# Deletes the todo and returns its id.
pub fn delete_todo(db :: SqliteConn, raw_id :: String) -> String ! String do
  let id = parse_id(raw_id)?
  let rows = Sqlite.query(db, "DELETE FROM todos WHERE id = ? RETURNING id", ["#{id}"])?
  case rows do
    row :: _ -> Ok(Map.get(row, "id"))
    _ -> Err(todo_not_found())
  end
end

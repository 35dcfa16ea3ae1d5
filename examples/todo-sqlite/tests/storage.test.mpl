from Storage.Todos import ensure_schema, list_todos, get_todo, create_todo, toggle_todo, delete_todo
from Types.Todo import Todo

fn open_memory() -> SqliteConn do
  case Sqlite.open(":memory:") do
    Ok(db) -> do
      case ensure_schema(db) do
        Ok(_) -> db
        Err(reason) -> panic("schema: #{reason}")
      end
    end
    Err(reason) -> panic("open: #{reason}")
  end
end

fn must(result :: Todo ! String) -> Todo do
  case result do
    Ok(todo) -> todo
    Err(reason) -> panic("expected a todo, got: #{reason}")
  end
end

fn error_of(result :: Todo ! String) -> String do
  case result do
    Ok(todo) -> "ok #{todo.id}"
    Err(reason) -> reason
  end
end

fn titles(db :: SqliteConn) -> String do
  case list_todos(db) do
    Ok(todos) -> String.join(List.map(todos, fn t -> "#{t.id}:#{t.title}" end), ",")
    Err(reason) -> reason
  end
end

describe("SQLite todo storage") do
  setup do
    let db = open_memory()
  end

  teardown do
    Sqlite.close(db)
  end

  test("create trims the title and starts not completed") do
    let todo = must(create_todo(db, "  buy milk  "))
    assert_eq(todo.title, "buy milk")
    assert_eq(todo.completed, false)
    assert_eq(todo.id, "1")
    assert(todo.created_at != "")
  end

  test("get returns the created todo") do
    let created = must(create_todo(db, "read"))
    let fetched = must(get_todo(db, created.id))
    assert_eq(fetched.title, "read")
    assert_eq(fetched.created_at, created.created_at)
  end

  test("list is ordered by id") do
    assert_eq(titles(db), "")
    let _ = must(create_todo(db, "a"))
    let _ = must(create_todo(db, "b"))
    let _ = must(create_todo(db, "c"))
    assert_eq(titles(db), "1:a,2:b,3:c")
  end

  test("toggle twice") do
    let todo = must(create_todo(db, "walk"))
    assert_eq(must(toggle_todo(db, todo.id)).completed, true)
    assert_eq(must(toggle_todo(db, todo.id)).completed, false)
  end

  test("delete then get is not found") do
    let todo = must(create_todo(db, "gone"))
    case delete_todo(db, todo.id) do
      Ok(id) -> assert_eq(id, todo.id)
      Err(reason) -> assert_eq(reason, "deleted")
    end
    assert_eq(error_of(get_todo(db, todo.id)), "todo not found")
    assert_eq(error_of(toggle_todo(db, todo.id)), "todo not found")
  end

  test("invalid ids") do
    assert_eq(error_of(get_todo(db, "abc")), "invalid todo id")
    assert_eq(error_of(get_todo(db, "0")), "invalid todo id")
    assert_eq(error_of(toggle_todo(db, "-3")), "invalid todo id")
  end

  test("a blank title is refused") do
    assert_eq(error_of(create_todo(db, "   ")), "title is required")
    assert_eq(titles(db), "")
  end
end

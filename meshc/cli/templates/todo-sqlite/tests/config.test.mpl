from Config import (
  Config,
  load,
  port_key,
  db_path_key,
  window_key,
  max_requests_key,
  default_port,
  default_db_path,
  default_window_seconds,
  default_max_requests,
  invalid_positive_integer,
  invalid_db_path,
  config_error,
  invalid_todo_id,
  title_required,
  todo_not_found,
  rate_limited
)

fn error_of(result :: Config ! String) -> String do
  case result do
    Ok(_) -> "ok"
    Err(message) -> message
  end
end

describe("SQLite todo-api config") do
  test("key names") do
    assert_eq(port_key(), "PORT")
    assert_eq(db_path_key(), "TODO_DB_PATH")
    assert_eq(window_key(), "TODO_RATE_LIMIT_WINDOW_SECONDS")
    assert_eq(max_requests_key(), "TODO_RATE_LIMIT_MAX_REQUESTS")
  end

  test("defaults") do
    assert_eq(default_port(), 8080)
    assert_eq(default_db_path(), "todo.sqlite3")
    assert_eq(default_window_seconds(), 60)
    assert_eq(default_max_requests(), 5)
    case load(None, None, None, None) do
      Ok(c) -> do
        assert_eq(c.port, 8080)
        assert_eq(c.db_path, "todo.sqlite3")
        assert_eq(c.window_seconds, 60)
        assert_eq(c.max_requests, 5)
      end
      Err(message) -> assert_eq(message, "ok")
    end
  end

  test("set values and an empty PORT") do
    case load(Some(""), Some(":memory:"), Some("2"), Some(" 30 ")) do
      Ok(c) -> do
        assert_eq(c.port, 8080)
        assert_eq(c.db_path, ":memory:")
        assert_eq(c.window_seconds, 2)
        assert_eq(c.max_requests, 30)
      end
      Err(message) -> assert_eq(message, "ok")
    end
  end

  test("validation messages") do
    assert_eq(
      error_of(load(Some("abc"), None, None, None)),
      "Invalid PORT: expected a positive integer"
    )
    assert_eq(
      error_of(load(Some("0"), None, None, None)),
      "Invalid PORT: expected a positive integer"
    )
    assert_eq(
      error_of(load(None, Some("  "), None, None)),
      "Invalid TODO_DB_PATH: expected a non-empty path"
    )
    assert_eq(
      error_of(load(None, None, Some("-1"), None)),
      "Invalid TODO_RATE_LIMIT_WINDOW_SECONDS: expected a positive integer"
    )
    assert_eq(
      error_of(load(None, None, None, Some("many"))),
      "Invalid TODO_RATE_LIMIT_MAX_REQUESTS: expected a positive integer"
    )
    assert_eq(invalid_positive_integer("PORT"), "Invalid PORT: expected a positive integer")
    assert_eq(invalid_db_path(), "Invalid TODO_DB_PATH: expected a non-empty path")
    assert_eq(config_error("x"), "[todo-api] Config error: x")
  end

  test("API error texts") do
    assert_eq(invalid_todo_id(), "invalid todo id")
    assert_eq(title_required(), "title is required")
    assert_eq(todo_not_found(), "todo not found")
    assert_eq(rate_limited(), "rate limited")
  end
end

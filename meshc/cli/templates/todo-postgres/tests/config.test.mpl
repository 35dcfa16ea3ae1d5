from Config import (
  Config,
  load,
  database_url_key,
  port_key,
  window_key,
  max_requests_key,
  default_port,
  default_window_seconds,
  default_max_requests,
  missing_required_env,
  invalid_positive_integer,
  config_error,
  config_loaded_line,
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

fn url() -> String? do
  Some("postgres://todo@localhost/todo")
end

describe("Config helpers") do
  test("key names") do
    assert_eq(database_url_key(), "DATABASE_URL")
    assert_eq(port_key(), "PORT")
    assert_eq(window_key(), "TODO_RATE_LIMIT_WINDOW_SECONDS")
    assert_eq(max_requests_key(), "TODO_RATE_LIMIT_MAX_REQUESTS")
  end

  test("defaults") do
    assert_eq(default_port(), 8080)
    assert_eq(default_window_seconds(), 60)
    assert_eq(default_max_requests(), 5)
    case load(url(), None, Some(""), None) do
      Ok(c) -> do
        assert_eq(c.port, 8080)
        assert_eq(c.window_seconds, 60)
        assert_eq(c.max_requests, 5)
      end
      Err(message) -> assert_eq(message, "ok")
    end
  end

  test("DATABASE_URL is required") do
    let missing = "Missing required environment variable DATABASE_URL"
    assert_eq(missing_required_env("DATABASE_URL"), missing)
    assert_eq(error_of(load(None, None, None, None)), missing)
    assert_eq(error_of(load(Some("  "), None, None, None)), missing)
  end

  test("invalid integers") do
    assert_eq(
      error_of(load(url(), Some("abc"), None, None)),
      "Invalid PORT: expected a positive integer"
    )
    assert_eq(
      error_of(load(url(), None, Some("0"), None)),
      "Invalid TODO_RATE_LIMIT_WINDOW_SECONDS: expected a positive integer"
    )
    assert_eq(
      error_of(load(url(), None, None, Some("-2"))),
      "Invalid TODO_RATE_LIMIT_MAX_REQUESTS: expected a positive integer"
    )
    assert_eq(invalid_positive_integer("PORT"), "Invalid PORT: expected a positive integer")
    assert_eq(config_error("x"), "[todo-api] Config error: x")
  end

  test("the loaded line never shows the URL") do
    case load(url(), Some("9000"), Some("30"), Some("7")) do
      Ok(c) -> do
        let line = config_loaded_line(c)
        assert_eq(
          line,
          "[todo-api] Config loaded port=9000 write_limit_window_seconds=30 write_limit_max=7"
        )
        assert(not String.contains(line, "postgres://"))
      end
      Err(message) -> assert_eq(message, "ok")
    end
  end

  test("API error texts") do
    assert_eq(invalid_todo_id(), "invalid todo id")
    assert_eq(title_required(), "title is required")
    assert_eq(todo_not_found(), "todo not found")
    assert_eq(rate_limited(), "rate limited")
  end
end

# The SQLite Todo API: configuration, then the schema, then the limiter and the registry, then
# HTTP. A configuration or database problem stops the program before it binds a port.
from Config import (
  Config,
  load,
  config_error,
  config_loaded_line,
  runtime_ready_line,
  port_key,
  db_path_key,
  window_key,
  max_requests_key
)
from Storage.Todos import ensure_schema
from Services.RateLimiter import start_rate_limiter
from Runtime.Registry import Runtime, start_registry
from Api.Router import build_router

# A variable's value, or None when it is not set (an empty value is set).
fn env_value(key :: String) -> String? do
  let value = Env.get(key, "\0")
  if value == "\0" do None else Some(value) end
end

fn open_database(path :: String) -> SqliteConn ! String do
  let db = Sqlite.open(path)?
  case ensure_schema(db) do
    Ok(_) -> Ok(db)
    Err(reason) -> do
      Sqlite.close(db)
      Err(reason)
    end
  end
end

fn start(config :: Config) -> () do
  println(config_loaded_line(config))
  case open_database(config.db_path) do
    Err(reason) -> do
      println("[todo-api] Database init failed: #{reason}")
      panic("database init failed")
    end
    Ok(db) -> do
      println("[todo-api] SQLite schema ready path=#{config.db_path}")
      let limiter = start_rate_limiter(config.window_seconds, config.max_requests)
      let _ = start_registry(Runtime {
        db: db,
        db_path: config.db_path,
        limiter: limiter,
        window_seconds: config.window_seconds,
        max_requests: config.max_requests
      })
      println(runtime_ready_line(config))
      println("[todo-api] HTTP server starting on :#{config.port}")
      HTTP.serve(build_router(), config.port)
    end
  end
end

fn main() do
  let loaded = load(
    env_value(port_key()),
    env_value(db_path_key()),
    env_value(window_key()),
    env_value(max_requests_key())
  )
  case loaded do
    Ok(config) -> start(config)
    Err(message) -> do
      println(config_error(message))
      panic("invalid configuration")
    end
  end
end

# The PostgreSQL Todo API: configuration, the connection pool, the cluster bootstrap, the limiter
# and the registry, then HTTP. Start-up never creates tables: the schema belongs to migrations
# (`meshc migrate . up`, or deploy/todo-postgres.up.sql for a staged deploy).
from Config import (
  Config,
  load,
  config_error,
  config_loaded_line,
  runtime_ready_line,
  database_url_key,
  port_key,
  window_key,
  max_requests_key
)
from Services.RateLimiter import start_rate_limiter
from Runtime.Registry import Runtime, start_registry
from Api.Router import build_router

fn log(line :: String) -> () do
  println("[todo-api] #{line}")
end

# A variable's value, or None when it is not set (an empty value is set).
fn env_value(key :: String) -> String? do
  let value = Env.get(key, "\0")
  if value == "\0" do None else Some(value) end
end

fn open_pool(config :: Config) -> PoolHandle do
  log("Connecting to PostgreSQL pool...")
  case Pool.open(config.database_url, 1, 4, 5000) do
    Ok(pool) -> do
      log("PostgreSQL pool ready")
      pool
    end
    Err(reason) -> do
      log("PostgreSQL connect failed: #{reason}")
      Process.exit(1)
    end
  end
end

# Joins the cluster the environment describes, or runs standalone without a cookie.
fn bootstrap() -> () do
  case Node.start_from_env() do
    Ok(s) -> do
      let node = "mode=#{s.mode} node=#{s.node_name}"
      log(
        "runtime bootstrap #{node} cluster_port=#{s.cluster_port} discovery_seed=#{s.discovery_seed}"
      )
    end
    Err(reason) -> do
      log("runtime bootstrap failed reason=#{reason}")
      Process.exit(1)
    end
  end
end

fn start(config :: Config) -> () do
  println(config_loaded_line(config))
  let pool = open_pool(config)
  bootstrap()
  let limiter = start_rate_limiter(config.window_seconds, config.max_requests)
  let _ = start_registry(Runtime {
    pool: pool,
    limiter: limiter,
    window_seconds: config.window_seconds,
    max_requests: config.max_requests
  })
  log("Runtime registry ready")
  println(runtime_ready_line(config))
  log("HTTP server starting on :#{config.port}")
  HTTP.serve(build_router(), config.port)
end

fn main() do
  let loaded = load(
    env_value(database_url_key()),
    env_value(port_key()),
    env_value(window_key()),
    env_value(max_requests_key())
  )
  case loaded do
    Ok(config) -> start(config)
    Err(message) -> do
      println(config_error(message))
      Process.exit(1)
    end
  end
end

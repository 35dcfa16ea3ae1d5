# reference-backend: config validation and the startup sequence (tooling spec §7.2, §7.3).
from Config import (
  validate,
  config_error_line,
  database_url_key,
  port_key,
  job_poll_ms_key,
  fault_injection_key
)
from Runtime.Registry import Registry, registry_name
from Jobs.Worker import start_job_worker
from Api.Router import build_router

fn log(line :: String) -> () do
  println("[reference-backend] #{line}")
end

fn main() do
  let checked = validate(
    Env.get(database_url_key(), ""),
    Env.get(port_key(), ""),
    Env.get(job_poll_ms_key(), ""),
    Env.get(fault_injection_key(), "")
  )
  let settings = case checked do
    Ok(s) -> s
    Err(message) -> do
      println(config_error_line(message))
      Process.exit(1)
    end
  end
  log("Config loaded port=#{settings.port} job_poll_ms=#{settings.job_poll_ms}")
  log("Connecting to PostgreSQL pool...")
  let pool = case Pool.open(settings.database_url, 1, 4, 5000) do
    Ok(p) -> p
    Err(reason) -> do
      log("PostgreSQL connect failed: #{reason}")
      Process.exit(1)
    end
  end
  log("PostgreSQL pool ready")
  let registry = Registry.start(pool, settings)
  Process.register(registry_name(), registry)
  log("Runtime registry ready")
  start_job_worker(settings.job_poll_ms)
  log("Job worker ready")
  log("Runtime ready worker_poll_ms=#{settings.job_poll_ms}")
  log("HTTP server starting on :#{settings.port}")
  HTTP.serve(build_router(), settings.port)
end

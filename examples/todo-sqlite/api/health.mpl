# GET /health: what this instance is and how it is configured.
from Runtime.Registry import current

pub fn handle_health(_request :: Request) -> Response do
  let rt = current()
  HTTP.response(200, json {
    status: "ok",
    mode: "local",
    db_backend: "sqlite",
    db_path: rt.db_path,
    storage_mode: "single-node",
    rate_limit_window_seconds: rt.window_seconds,
    rate_limit_max_requests: rt.max_requests
  })
end

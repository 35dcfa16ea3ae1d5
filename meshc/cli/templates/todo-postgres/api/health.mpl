# GET /health: what this instance is and how it is configured (never the database URL).
from Runtime.Registry import current

pub fn handle_health(_request :: Request) -> Response do
  let rt = current()
  HTTP.response(200, json {
    status: "ok",
    db_backend: "postgres",
    migration_strategy: "meshc migrate",
    clustered_handler: "Work.sync_todos",
    rate_limit_window_seconds: rt.window_seconds,
    rate_limit_max_requests: rt.max_requests
  })
end

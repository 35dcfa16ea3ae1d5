# GET /health (tooling spec §7.8): the worker's state with liveness derived at request time.
from Jobs.Timing import liveness, health_status, recovery_active
from Jobs.Worker import worker_snapshot, now_ms

fn text_or_null(s :: String) -> Option<String> do
  if s == "" do None else Some(s) end
end

# An instant in Unix ms as ISO-8601 UTC with microseconds (`….123000Z`); null when unset.
fn iso_or_null(ms :: Int) -> Option<String> do
  if ms < 0 do
    None
  else
    case DateTime.from_unix_ms(ms) do
      Ok(dt) -> Some("#{String.slice(DateTime.to_iso8601(dt), 0, 23)}000Z")
      Err(_) -> None
    end
  end
end

pub fn handle_health(_req :: Request) -> Response do
  let info = worker_snapshot()
  let age = if info.last_tick_ms < 0 do -1 else Math.max(now_ms() - info.last_tick_ms, 0) end
  let live = liveness(info.status, age, info.poll_ms)
  let worker = json {
    status: info.status,
    liveness: live,
    poll_ms: info.poll_ms,
    tick_age_ms: age,
    boot_id: text_or_null(info.boot_id),
    started_at: iso_or_null(info.started_at_ms),
    last_tick_at: iso_or_null(info.last_tick_ms),
    restart_count: info.restart_count,
    last_exit_reason: text_or_null(info.last_exit_reason),
    last_job_id: text_or_null(info.last_job_id),
    last_error: text_or_null(info.last_error),
    processed_jobs: info.processed_jobs,
    failed_jobs: info.failed_jobs,
    recovered_jobs: info.recovered_jobs,
    last_recovery_at: iso_or_null(info.last_recovery_ms),
    last_recovery_job_id: text_or_null(info.last_recovery_job_id),
    last_recovery_count: info.last_recovery_count,
    recovery_active: recovery_active(info.status, age, info.poll_ms)
  }
  HTTP.response(200, json { status: health_status(live), worker: worker })
end

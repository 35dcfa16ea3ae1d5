# Every SQL statement of the jobs table (tooling spec §7.4–§7.7). Timestamps are rendered by
# the database (`iso`), so API values are exactly the stored instants, microseconds included.
from Types.Job import Job

fn iso(column :: String) -> String do
  "to_char(#{column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
end

# The columns of a Job row, for SELECT lists and RETURNING clauses.
fn job_columns() -> String do
  let body = "json_build_object('id', id, 'status', status, 'attempts', attempts, 'last_error', last_error, 'payload', payload, 'created_at', #{iso("created_at")}, 'updated_at', #{iso("updated_at")}, 'processed_at', #{iso("processed_at")})::text"
  "id::text AS id, status, attempts::text AS attempts, COALESCE(last_error, '') AS last_error, payload::text AS payload, #{iso("created_at")} AS created_at, #{iso("updated_at")} AS updated_at, COALESCE(#{iso("processed_at")}, '') AS processed_at, #{body} AS body"
end

fn int_or_zero(text :: String) -> Int do
  case String.to_int(text) do
    Some(n) -> n
    None -> 0
  end
end

fn first_job(rows :: List<Map<String, String>>) -> Option<Job> ! String do
  if List.length(rows) == 0 do
    Ok(None)
  else
    let job = Job.from_row(List.head(rows))?
    Ok(Some(job))
  end
end

# Inserts a pending job; returns it and the payload's size in bytes.
pub fn create_job(pool :: PoolHandle, payload :: String) -> (Job, Int) ! String do
  let sql = "INSERT INTO jobs (payload) VALUES ($1::jsonb) RETURNING #{job_columns()}, octet_length($2::text)::text AS payload_bytes"
  let rows = Pool.query(pool, sql, [payload, payload])?
  case first_job(rows)? do
    Some(job) -> Ok((job, int_or_zero(Map.get(List.head(rows), "payload_bytes"))))
    None -> Err("insert returned no row")
  end
end

pub fn get_job(pool :: PoolHandle, id :: String) -> Option<Job> ! String do
  let rows = Pool.query(pool, "SELECT #{job_columns()} FROM jobs WHERE id = $1::uuid", [id])?
  first_job(rows)
end

# Atomically claims the oldest pending job (SKIP LOCKED: concurrent claimers never block or
# take the same row); `None` when there is nothing to claim.
pub fn claim_next_job(pool :: PoolHandle) -> Option<Job> ! String do
  let sql = "UPDATE jobs SET status = 'processing', attempts = attempts + 1, updated_at = now() WHERE status = 'pending' AND id = (SELECT id FROM jobs WHERE status = 'pending' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING #{job_columns()}"
  let rows = Pool.query(pool, sql, [])?
  first_job(rows)
end

# Refreshes the heartbeat of a job this worker holds.
pub fn touch_job(pool :: PoolHandle, id :: String) -> Int ! String do
  Pool.execute(
    pool,
    "UPDATE jobs SET updated_at = now() WHERE id = $1::uuid AND status = 'processing'",
    [id]
  )
end

pub fn mark_processed(pool :: PoolHandle, id :: String) -> Option<Job> ! String do
  let sql = "UPDATE jobs SET status = 'processed', last_error = NULL, processed_at = now(), updated_at = now() WHERE id = $1::uuid AND status = 'processing' RETURNING #{job_columns()}"
  let rows = Pool.query(pool, sql, [id])?
  first_job(rows)
end

pub fn mark_failed(pool :: PoolHandle, id :: String, reason :: String) -> Int ! String do
  Pool.execute(
    pool,
    "UPDATE jobs SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1::uuid",
    [id, reason]
  )
end

# Moves every `processing` job whose heartbeat is at least `grace_ms` old (database clock)
# back to `pending` with `hint`; returns the count and the greatest requeued id.
pub fn reclaim_stale_jobs(pool :: PoolHandle, grace_ms :: Int, hint :: String) -> (Int, String) ! String do
  let sql = "WITH requeued AS (UPDATE jobs SET status = 'pending', last_error = $1, processed_at = NULL, updated_at = now() WHERE status = 'processing' AND updated_at <= now() - ($2::int * interval '1 millisecond') RETURNING id) SELECT count(*)::text AS n, COALESCE(max(id::text), '') AS last_id FROM requeued"
  let rows = Pool.query(pool, sql, [hint, "#{grace_ms}"])?
  let row = List.head(rows)
  let n = int_or_zero(Map.get(row, "n"))
  Ok((n, Map.get(row, "last_id")))
end

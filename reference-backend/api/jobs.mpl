# POST /jobs and GET /jobs/:id (tooling spec §7.5). Job objects are rendered by the database
# from the stored row, so timestamps and the payload are exactly what is stored.
from Runtime.Registry import registry_pool
from Storage.Jobs import create_job, get_job

fn log(line :: String) -> () do
  println("[reference-backend] #{line}")
end

fn error_response(status :: Int, message :: String) -> Response do
  HTTP.response(status, json { error: message })
end

pub fn handle_create_job(req :: Request) -> Response do
  let body = Request.body(req)
  case Json.parse(body) do
    Err(_) -> error_response(400, "request body must be valid JSON")
    Ok(_) -> do
      case create_job(registry_pool(), body) do
        Ok((job, bytes)) -> do
          log("Job created id=#{job.id} status=#{job.status} payload_bytes=#{bytes}")
          HTTP.response(201, job.body)
        end
        Err(reason) -> do
          log("Job create failed: #{reason}")
          error_response(500, reason)
        end
      end
    end
  end
end

fn is_uuid(text :: String) -> Bool do
  Regex.is_match(
    ~r/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    text
  )
end

pub fn handle_get_job(req :: Request) -> Response do
  let id = case Request.param(req, "id") do
    Some(v) -> v
    None -> ""
  end
  if is_uuid(id) do
    case get_job(registry_pool(), id) do
      Ok(Some(job)) -> do
        log(
          "Job fetched id=#{job.id} status=#{job.status} attempts=#{job.attempts} processed_at=#{job.processed_at}"
        )
        HTTP.response(200, job.body)
      end
      Ok(None) -> error_response(404, "job not found")
      Err(reason) -> do
        log("Job fetch failed id=#{id}: #{reason}")
        error_response(500, reason)
      end
    end
  else
    error_response(400, "invalid job id")
  end
end

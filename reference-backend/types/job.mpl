# A job row as the storage layer returns it (tooling spec §7.4, §7.5). Timestamps are already
# ISO-8601 UTC text with microseconds; empty strings stand for SQL NULL; `body` is the job
# object of the HTTP API as JSON text, rendered by the database from the same row.
pub struct Job do
  id :: String
  status :: String
  attempts :: Int
  last_error :: String
  payload :: String
  created_at :: String
  updated_at :: String
  processed_at :: String
  body :: String
end deriving(Row)

# The environment contract of the starter: keys, defaults, validation and the texts the API
# answers with. Pure functions only; main.mpl reads the environment and passes the values in.
# The cluster variables (MESH_CLUSTER_COOKIE, MESH_NODE_NAME, …) are read by the runtime itself
# in Node.start_from_env().
pub struct Config do
  database_url :: String
  port :: Int
  window_seconds :: Int
  max_requests :: Int
end

pub fn database_url_key() -> String do
  "DATABASE_URL"
end

pub fn port_key() -> String do
  "PORT"
end

pub fn window_key() -> String do
  "TODO_RATE_LIMIT_WINDOW_SECONDS"
end

pub fn max_requests_key() -> String do
  "TODO_RATE_LIMIT_MAX_REQUESTS"
end

pub fn default_port() -> Int do
  8080
end

pub fn default_window_seconds() -> Int do
  60
end

pub fn default_max_requests() -> Int do
  5
end

pub fn missing_required_env(key :: String) -> String do
  "Missing required environment variable #{key}"
end

pub fn invalid_positive_integer(key :: String) -> String do
  "Invalid #{key}: expected a positive integer"
end

pub fn config_error(message :: String) -> String do
  "[todo-api] Config error: #{message}"
end

pub fn invalid_todo_id() -> String do
  "invalid todo id"
end

pub fn title_required() -> String do
  "title is required"
end

pub fn todo_not_found() -> String do
  "todo not found"
end

pub fn rate_limited() -> String do
  "rate limited"
end

# An integer setting: unset or empty means the default, anything else must be a positive
# integer (surrounding white space is ignored).
pub fn positive_int(key :: String, raw :: String?, default :: Int) -> Int ! String do
  case raw do
    None -> Ok(default)
    Some(text) ->
      if String.trim(text) == "" do
        Ok(default)
      else
        case String.to_int(text) do
          Some(n) -> if n > 0 do Ok(n) else Err(invalid_positive_integer(key)) end
          None -> Err(invalid_positive_integer(key))
        end
      end
  end
end

# The database URL: required and not blank.
pub fn database_url(raw :: String?) -> String ! String do
  case raw do
    None -> Err(missing_required_env(database_url_key()))
    Some(text) ->
      if String.trim(text) == "" do
        Err(missing_required_env(database_url_key()))
      else
        Ok(String.trim(text))
      end
  end
end

# The whole configuration from the raw values of the four variables (None = unset), checked
# in the order of the README's table; the first problem is the error.
pub fn load(url :: String?, port :: String?, window :: String?, max :: String?) -> Config ! String do
  let u = database_url(url)?
  let p = positive_int(port_key(), port, default_port())?
  let w = positive_int(window_key(), window, default_window_seconds())?
  let m = positive_int(max_requests_key(), max, default_max_requests())?
  Ok(Config { database_url: u, port: p, window_seconds: w, max_requests: m })
end

# The log lines never include the database URL.
pub fn config_loaded_line(c :: Config) -> String do
  "[todo-api] Config loaded port=#{c.port} write_limit_window_seconds=#{c.window_seconds} write_limit_max=#{c.max_requests}"
end

pub fn runtime_ready_line(c :: Config) -> String do
  "[todo-api] Runtime ready port=#{c.port} db_backend=postgres write_limit_window_seconds=#{c.window_seconds} write_limit_max=#{c.max_requests}"
end

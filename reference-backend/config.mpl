# Environment contract of the reference backend (tooling spec §7.2): the key names, the exact
# error messages and the validation of raw values. Pure: reading the environment is main's job.

pub struct Settings do
  database_url :: String
  port :: Int
  job_poll_ms :: Int
  fault_injection :: Bool
end

pub fn database_url_key() -> String = "DATABASE_URL"

pub fn port_key() -> String = "PORT"

pub fn job_poll_ms_key() -> String = "JOB_POLL_MS"

pub fn fault_injection_key() -> String = "JOB_FAULT_INJECTION"

pub fn base_url_key() -> String = "BASE_URL"

pub fn log_prefix() -> String = "[reference-backend]"

pub fn missing_required_env(name :: String) -> String do
  "Missing required environment variable #{name}"
end

pub fn invalid_positive_int(name :: String) -> String do
  "Invalid #{name}: expected a positive integer"
end

pub fn invalid_port_range() -> String do
  "Invalid PORT: expected a port number between 1 and 65535"
end

pub fn invalid_fault_injection() -> String do
  "Invalid JOB_FAULT_INJECTION: expected true or false"
end

pub fn config_error_line(message :: String) -> String do
  "#{log_prefix()} Config error: #{message}"
end

# A positive decimal integer: digits only (after trimming), no sign, greater than zero.
pub fn parse_positive_int(raw :: String) -> Option<Int> do
  let text = String.trim(raw)
  if Regex.is_match(~r/^[0-9]+$/, text) do
    case String.to_int(text) do
      Some(n) -> if n > 0 do Some(n) else None end
      None -> None
    end
  else
    None
  end
end

pub fn parse_port(raw :: String) -> Int ! String do
  let text = String.trim(raw)
  if text == "" do
    Err(missing_required_env(port_key()))
  else
    case parse_positive_int(text) do
      Some(n) -> if n > 65535 do Err(invalid_port_range()) else Ok(n) end
      None -> Err(invalid_positive_int(port_key()))
    end
  end
end

pub fn parse_poll_ms(raw :: String) -> Int ! String do
  let text = String.trim(raw)
  if text == "" do
    Err(missing_required_env(job_poll_ms_key()))
  else
    case parse_positive_int(text) do
      Some(n) -> Ok(n)
      None -> Err(invalid_positive_int(job_poll_ms_key()))
    end
  end
end

# `1`/`true` enable, empty/`0`/`false` (or unset) disable; anything else is an error.
pub fn parse_fault_injection(raw :: String) -> Bool ! String do
  let text = String.to_lower(String.trim(raw))
  if text == "1" or text == "true" do
    Ok(true)
  else
    if text == "" or text == "0" or text == "false" do
      Ok(false)
    else
      Err(invalid_fault_injection())
    end
  end
end

# Validates raw values in the order of the table; the first problem is the error.
pub fn validate(database_url :: String, port :: String, poll :: String, fault :: String) -> Settings ! String do
  let url = String.trim(database_url)
  if url == "" do
    Err(missing_required_env(database_url_key()))
  else
    let p = parse_port(port)?
    let ms = parse_poll_ms(poll)?
    let f = parse_fault_injection(fault)?
    Ok(Settings { database_url: url, port: p, job_poll_ms: ms, fault_injection: f })
  end
end

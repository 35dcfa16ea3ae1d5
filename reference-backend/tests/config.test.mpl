# The environment contract of tooling spec §7.2: key names, exact messages, validation order.
from Config import (
  validate,
  parse_port,
  parse_poll_ms,
  parse_fault_injection,
  parse_positive_int,
  database_url_key,
  port_key,
  job_poll_ms_key,
  fault_injection_key,
  base_url_key,
  missing_required_env,
  invalid_positive_int,
  invalid_port_range,
  invalid_fault_injection,
  config_error_line
)

fn error_of(url :: String, port :: String, poll :: String, fault :: String) -> String do
  case validate(url, port, poll, fault) do
    Ok(_) -> ""
    Err(message) -> message
  end
end

describe("Config keys") do
  test("exposes the canonical environment variable keys") do
    assert_eq(database_url_key(), "DATABASE_URL")
    assert_eq(port_key(), "PORT")
    assert_eq(job_poll_ms_key(), "JOB_POLL_MS")
    assert_eq(fault_injection_key(), "JOB_FAULT_INJECTION")
    assert_eq(base_url_key(), "BASE_URL")
  end
end

describe("Config messages") do
  test("formats the exact texts") do
    assert_eq(
      missing_required_env("DATABASE_URL"),
      "Missing required environment variable DATABASE_URL"
    )
    assert_eq(invalid_positive_int("PORT"), "Invalid PORT: expected a positive integer")
    assert_eq(
      invalid_positive_int("JOB_POLL_MS"),
      "Invalid JOB_POLL_MS: expected a positive integer"
    )
    assert_eq(invalid_port_range(), "Invalid PORT: expected a port number between 1 and 65535")
    assert_eq(invalid_fault_injection(), "Invalid JOB_FAULT_INJECTION: expected true or false")
    assert_eq(config_error_line("boom"), "[reference-backend] Config error: boom")
  end
end

describe("Config validation") do
  test("DATABASE_URL unset or blank") do
    assert_eq(error_of("", "8080", "100", ""), "Missing required environment variable DATABASE_URL")
    assert_eq(
      error_of("  ", "8080", "100", ""),
      "Missing required environment variable DATABASE_URL"
    )
  end
  test("PORT rules") do
    assert_eq(error_of("postgres://x", "", "100", ""), "Missing required environment variable PORT")
    assert_eq(
      error_of("postgres://x", "abc", "100", ""),
      "Invalid PORT: expected a positive integer"
    )
    assert_eq(error_of("postgres://x", "0", "100", ""), "Invalid PORT: expected a positive integer")
    assert_eq(
      error_of("postgres://x", "-5", "100", ""),
      "Invalid PORT: expected a positive integer"
    )
    assert_eq(
      error_of("postgres://x", "65536", "100", ""),
      "Invalid PORT: expected a port number between 1 and 65535"
    )
    assert_eq(parse_port(" 8080 "), Ok(8080))
    assert_eq(parse_port("65535"), Ok(65535))
  end
  test("JOB_POLL_MS rules") do
    assert_eq(
      error_of("postgres://x", "8080", "", ""),
      "Missing required environment variable JOB_POLL_MS"
    )
    assert_eq(
      error_of("postgres://x", "8080", "fast", ""),
      "Invalid JOB_POLL_MS: expected a positive integer"
    )
    assert_eq(
      error_of("postgres://x", "8080", "0", ""),
      "Invalid JOB_POLL_MS: expected a positive integer"
    )
    assert_eq(parse_poll_ms("500"), Ok(500))
  end
  test("JOB_FAULT_INJECTION rules") do
    assert_eq(parse_fault_injection(""), Ok(false))
    assert_eq(parse_fault_injection("0"), Ok(false))
    assert_eq(parse_fault_injection("false"), Ok(false))
    assert_eq(parse_fault_injection("1"), Ok(true))
    assert_eq(parse_fault_injection(" true "), Ok(true))
    assert_eq(
      error_of("postgres://x", "8080", "100", "maybe"),
      "Invalid JOB_FAULT_INJECTION: expected true or false"
    )
  end
  test("only the first problem is reported") do
    assert_eq(error_of("", "", "", "maybe"), "Missing required environment variable DATABASE_URL")
    assert_eq(
      error_of("postgres://x", "abc", "", "maybe"),
      "Invalid PORT: expected a positive integer"
    )
    assert_eq(
      error_of("postgres://x", "80", "x", "maybe"),
      "Invalid JOB_POLL_MS: expected a positive integer"
    )
  end
  test("valid settings") do
    case validate(" postgres://x ", " 18080 ", " 250 ", "true") do
      Ok(s) -> do
        assert_eq(s.database_url, "postgres://x")
        assert_eq(s.port, 18080)
        assert_eq(s.job_poll_ms, 250)
        assert(s.fault_injection)
      end
      Err(message) -> assert_eq(message, "")
    end
    assert_eq(parse_positive_int("+5"), None)
    assert_eq(parse_positive_int("99999999999999999999"), None)
  end
end

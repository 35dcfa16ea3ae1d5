//! The `Err` texts of `Http.send` and friends (stdlib §19): transport failures carry the
//! spec's prefixes; HTTP statuses are never errors except for the legacy `HTTP.get`/`post`.

use super::response::ClientResponse;
use std::fmt;

/// Why a request got no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// The whole-request deadline (`Http.timeout`, default 30 000 ms) passed.
    Timeout { ms: u64 },
    /// The host name did not resolve.
    Dns { host: String, cause: String },
    /// The TLS handshake or certificate check failed.
    Tls(String),
    /// Any other connection failure: the connection error text as it is.
    Connection(String),
    /// `Http.send_with` on a client after `Http.client_close`.
    ClientClosed,
}

impl fmt::Display for TransportError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Timeout { ms } => {
                write!(formatter, "TIMEOUT: no complete response within {ms} ms")
            }
            TransportError::Dns { host, cause } => {
                write!(formatter, "DNS_FAILURE: {host}: {cause}")
            }
            TransportError::Tls(cause) => write!(formatter, "TLS_ERROR: {cause}"),
            TransportError::Connection(cause) => formatter.write_str(cause),
            TransportError::ClientClosed => formatter.write_str("client closed"),
        }
    }
}

impl std::error::Error for TransportError {}

/// The legacy `HTTP.get` / `HTTP.post` result: the body for a 2xx status, otherwise
/// `Err("http status: <code>")`.
pub fn legacy_result(response: &ClientResponse) -> Result<String, String> {
    if (200..300).contains(&response.status) {
        Ok(response.body.clone())
    } else {
        Err(format!("http status: {}", response.status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_errors_carry_the_spec_prefixes() {
        assert_eq!(
            TransportError::Timeout { ms: 250 }.to_string(),
            "TIMEOUT: no complete response within 250 ms"
        );
        let dns = TransportError::Dns {
            host: "nowhere.invalid".into(),
            cause: "no such host".into(),
        };
        assert_eq!(
            dns.to_string(),
            "DNS_FAILURE: nowhere.invalid: no such host"
        );
        assert_eq!(
            TransportError::Tls("bad certificate".into()).to_string(),
            "TLS_ERROR: bad certificate"
        );
        assert_eq!(
            TransportError::Connection("Connection refused (os error 111)".into()).to_string(),
            "Connection refused (os error 111)"
        );
        assert_eq!(TransportError::ClientClosed.to_string(), "client closed");
    }

    #[test]
    fn legacy_calls_fail_on_non_2xx_statuses() {
        let response = |status| ClientResponse {
            status,
            headers: Vec::new(),
            body: "b".into(),
        };
        assert_eq!(legacy_result(&response(200)), Ok("b".to_owned()));
        assert_eq!(legacy_result(&response(204)), Ok("b".to_owned()));
        assert_eq!(
            legacy_result(&response(301)),
            Err("http status: 301".to_owned())
        );
        assert_eq!(
            legacy_result(&response(404)),
            Err("http status: 404".to_owned())
        );
        assert_eq!(
            legacy_result(&response(199)),
            Err("http status: 199".to_owned())
        );
    }
}

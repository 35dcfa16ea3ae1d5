//! Responses on the wire (stdlib §18.5): the `Response` value handlers build, status
//! validation, reason phrases, the default headers, body suppression where HTTP forbids a
//! body, the `Date` header's format, and the server's log lines, all as pure functions.

/// A response as `HTTP.response` / `HTTP.response_with_headers` build it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// Sent verbatim (§18.1).
    pub body: String,
    /// Extra headers in the order given; written after the defaults (§18.5).
    pub headers: Vec<(String, String)>,
}

/// How one response is written on its connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Framing<'a> {
    /// The server closes the connection after this response: it sends `Connection: close`.
    pub close: bool,
    /// The request was `HEAD`: headers as for the body, but no body bytes.
    pub head_request: bool,
    /// The `Date` header value (`http_date`), when the caller has a clock.
    pub date: Option<&'a str>,
}

/// The default `Content-Type` of every response (§18.5), JSON or not.
pub const DEFAULT_CONTENT_TYPE: &str = "application/json; charset=utf-8";

impl Response {
    pub fn new(status: u16, body: impl Into<String>) -> Response {
        Response {
            status,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// The built-in answer when no route matches (§18.2 rule 3).
    pub fn not_found() -> Response {
        Response::new(404, "Not Found")
    }

    /// The answer when a handler or middleware panics (§18.5).
    pub fn internal_error() -> Response {
        Response::new(500, "Internal Server Error")
    }

    /// The answer to a refused request head (400, 411, 413, 431): the reason phrase as body.
    pub fn rejection(status: u16) -> Response {
        Response::new(status, reason_phrase(status))
    }

    /// Whether the handler asked for the connection to be closed (`Connection: close`).
    pub fn asks_to_close(&self) -> bool {
        self.headers.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("connection")
                && value
                    .split(',')
                    .any(|token| token.trim().eq_ignore_ascii_case("close"))
        })
    }
}

/// `HTTP.response`'s status check: statuses are not validated beyond `100..=999` (§18.5).
pub fn valid_status(status: i64) -> Option<u16> {
    u16::try_from(status)
        .ok()
        .filter(|status| (100..=999).contains(status))
}

/// The reason phrase of a status line: the spec's list, the other registered codes' standard
/// phrases, and an empty phrase (allowed by RFC 9112) for unregistered codes.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "",
    }
}

/// Appends the response's bytes to `out`: status line, `Content-Type` (the default unless the
/// handler gave one, in any case), `Content-Length`, `Date`, `Connection: close` when closing,
/// then the handler's headers, then the body.
///
/// The handler's `Content-Length`, `Transfer-Encoding` and `Connection` headers are not
/// written (the server frames the body and decides the connection; `Response::asks_to_close`
/// reads `Connection: close`), nor are headers whose name is not a token or whose value holds
/// CR, LF or NUL (no response splitting). No body is written for `HEAD`, 1xx, 204 and 304;
/// 1xx and 204 then say `Content-Length: 0`.
pub fn encode(response: &Response, framing: &Framing<'_>, out: &mut Vec<u8>) {
    let status = response.status;
    let no_body_allowed = status < 200 || status == 204 || status == 304;
    let content_length = if status < 200 || status == 204 {
        0
    } else {
        response.body.len()
    };
    let has_user = |wanted: &str| {
        response
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(wanted))
    };
    // Numbers in decimal without `fmt` (its `write!`s showed in the per-request profile).
    out.extend_from_slice(b"HTTP/1.1 ");
    push_decimal(out, usize::from(status));
    push_line(out, &[" ", reason_phrase(status)]);
    if !has_user("content-type") {
        push_line(out, &["Content-Type: ", DEFAULT_CONTENT_TYPE]);
    }
    out.extend_from_slice(b"Content-Length: ");
    push_decimal(out, content_length);
    out.extend_from_slice(b"\r\n");
    if let Some(date) = framing.date.filter(|_| !has_user("date")) {
        push_line(out, &["Date: ", date]);
    }
    if framing.close {
        push_line(out, &["Connection: close"]);
    }
    for (name, value) in &response.headers {
        if is_writable_header(name, value) {
            push_line(out, &[name, ": ", value]);
        }
    }
    out.extend_from_slice(b"\r\n");
    if !(framing.head_request || no_body_allowed) {
        out.extend_from_slice(response.body.as_bytes());
    }
}

/// The interim response a client waiting on `Expect: 100-continue` needs before its body.
pub const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for seconds since the Unix epoch.
pub fn http_date(unix_seconds: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_seconds / 86_400;
    let seconds = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    let weekday = DAYS.get((days % 7) as usize).copied().unwrap_or("Thu");
    let month_name = MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("Jan");
    format!(
        "{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} GMT",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// `HTTP.serve`'s line once the listener is bound (§18.1; runtime-cluster §9).
pub fn listening_line(port: u16) -> String {
    format!("[mesh-rt] HTTP server listening on [::]:{port}")
}

/// `HTTP.serve`'s line when binding fails, before the process exits with status 1 (§18.1).
pub fn bind_failure_line(port: u16, reason: &str) -> String {
    format!("[mesh-rt] Failed to start HTTP server on [::]:{port}: {reason}")
}

/// Appends `n` in decimal.
fn push_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        start -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(start..).unwrap_or_default());
}

/// Appends the pieces of one head line and its CRLF.
fn push_line(out: &mut Vec<u8>, pieces: &[&str]) {
    for piece in pieces {
        out.extend_from_slice(piece.as_bytes());
    }
    out.extend_from_slice(b"\r\n");
}

fn is_writable_header(name: &str, value: &str) -> bool {
    const SERVER_OWNED: [&str; 3] = ["content-length", "transfer-encoding", "connection"];
    is_safe_field(name, value)
        && !SERVER_OWNED
            .iter()
            .any(|owned| name.eq_ignore_ascii_case(owned))
}

/// Whether a header can be written as given: the name is a token and the value has no CR, LF
/// or NUL (so no one can split a message by putting a line break in a header).
pub(crate) fn is_safe_field(name: &str, value: &str) -> bool {
    let is_token = !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte));
    is_token && !value.bytes().any(|byte| matches!(byte, b'\r' | b'\n' | 0))
}

/// (year, month 1–12, day 1–31) of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests;

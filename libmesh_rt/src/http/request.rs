//! The server side of a request: the incremental head parser (httparse over our own buffer,
//! stdlib §18.5 limits and framing rules) and the `Request` value whose accessors are §18.3.
//!
//! The parser is pure and restartable: `parse_head` looks at the bytes received so far and says
//! "need more", "complete, the head is N bytes and the body M bytes", or "reject with this
//! status". It never reads past `Limits::max_head_bytes`, so its answer for a prefix never
//! changes once it is not `NeedMore`, whatever way the bytes were split on the wire.

use super::percent;
use super::Limits;
use std::borrow::Cow;
use std::mem::MaybeUninit;

/// The HTTP version of a request line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    Http10,
    Http11,
}

/// Header fields as sent: names keep their case, values are trimmed of surrounding spaces and
/// tabs and decoded as UTF-8 with U+FFFD for invalid bytes (obs-text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    fields: Vec<(String, String)>,
}

/// A parsed request head and the framing of the body after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestHead {
    /// Method token as sent (`GET`).
    pub method: String,
    /// Request target before `?`, not percent-decoded (§18.3 `Request.path`); an absolute-form
    /// target (`http://host/p`) is reduced to its path.
    pub path: String,
    /// Raw query string after the first `?` (`""` when absent).
    pub query: String,
    pub version: Version,
    pub headers: Headers,
    /// Body length from `Content-Length` (0 when absent).
    pub content_length: usize,
    /// Whether the connection may serve another request after this one: HTTP/1.1 without
    /// `Connection: close`. HTTP/1.0 connections are always closed after one response.
    pub keep_alive: bool,
    /// HTTP/1.1 `Expect: 100-continue`: the client waits for `100 Continue` before the body.
    pub expects_continue: bool,
}

/// Why a head is refused; the connection answers with the status and closes (§18.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reject {
    /// Malformed request line or header, conflicting framing, or a request line that alone
    /// overflows the head limit → 400.
    BadRequest,
    /// `Transfer-Encoding` without `Content-Length` → 411 (bodies are delimited by length only).
    LengthRequired,
    /// `Content-Length` above `Limits::max_body_bytes` → 413.
    PayloadTooLarge,
    /// More than `max_headers` header lines, or header bytes beyond `max_head_bytes` → 431.
    HeaderFieldsTooLarge,
}

/// The outcome of looking at the start of a connection's buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeadParse {
    /// The head is not complete yet and still within limits.
    NeedMore,
    /// A valid head of `head_len` bytes; `head.content_length` body bytes follow it.
    Complete { head: RequestHead, head_len: usize },
    /// The head is refused.
    Reject(Reject),
}

/// A complete request as handlers see it (§18.3), with the path parameters the router filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub version: Version,
    pub headers: Headers,
    /// The body bytes as text; invalid UTF-8 sequences are replaced by U+FFFD (§18.3).
    pub body: String,
    /// `:name` captures of the matched route, percent-decoded (set by the router).
    pub params: Vec<(String, String)>,
}

impl Reject {
    /// The status code the server answers with.
    pub fn status(self) -> u16 {
        match self {
            Reject::BadRequest => 400,
            Reject::LengthRequired => 411,
            Reject::PayloadTooLarge => 413,
            Reject::HeaderFieldsTooLarge => 431,
        }
    }
}

impl Headers {
    /// Headers from (name, value) pairs, trimming values as received headers are.
    pub fn from_pairs<N: Into<String>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        let fields = pairs
            .into_iter()
            .map(|(name, value)| (name.into(), trim(value.as_ref()).to_owned()))
            .collect();
        Headers { fields }
    }

    /// The last value of header `name`, matched case-insensitively (§18.3 `Request.header`).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every value of header `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Field `i` in the order received.
    pub fn at(&self, i: usize) -> Option<(&str, &str)> {
        self.fields
            .get(i)
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// All fields in the order received.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl Request {
    /// The request made of a parsed head and its `head.content_length` body bytes.
    pub fn new(head: RequestHead, body: &[u8]) -> Request {
        Request {
            method: head.method,
            path: head.path,
            query: head.query,
            version: head.version,
            headers: head.headers,
            body: String::from_utf8_lossy(body).into_owned(),
            params: Vec::new(),
        }
    }

    /// §18.3 `Request.header`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// §18.3 `Request.query`: the decoded value of `name` in the query string.
    pub fn query_param(&self, name: &str) -> Option<String> {
        percent::query_value(&self.query, name)
    }

    /// §18.3 `Request.param`: the decoded capture of `:name` in the matched route.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Header slots kept on the stack while parsing (enough for the spec's 100).
const STACK_SLOTS: usize = 128;

/// Looks at the start of `buffer` for a request head (§18.5). Only the first
/// `limits.max_head_bytes` bytes are examined.
pub fn parse_head(buffer: &[u8], limits: &Limits) -> HeadParse {
    let window = buffer.get(..limits.max_head_bytes).unwrap_or(buffer);
    // The spec's 100 slots live on the stack, left uninitialised (httparse writes those it
    // fills; initialising 128 slots was 4 KiB of stores per request); only a larger
    // configured limit allocates.
    let mut stack_slots = [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; STACK_SLOTS];
    let mut heap_slots;
    let slots = match stack_slots.get_mut(..limits.max_headers) {
        Some(slots) => slots,
        None => {
            heap_slots = Vec::with_capacity(limits.max_headers);
            heap_slots.resize_with(limits.max_headers, MaybeUninit::uninit);
            heap_slots.as_mut_slice()
        }
    };
    let mut parsed = httparse::Request::new(&mut []);
    match parsed.parse_with_uninit_headers(window, slots) {
        Ok(httparse::Status::Complete(head_len)) => match head_from(&parsed, limits) {
            Ok(head) => HeadParse::Complete { head, head_len },
            Err(reject) => HeadParse::Reject(reject),
        },
        Ok(httparse::Status::Partial) if buffer.len() < limits.max_head_bytes => {
            HeadParse::NeedMore
        }
        Ok(httparse::Status::Partial) if has_request_line(window) => {
            HeadParse::Reject(Reject::HeaderFieldsTooLarge)
        }
        Ok(httparse::Status::Partial) => HeadParse::Reject(Reject::BadRequest),
        Err(httparse::Error::TooManyHeaders) => HeadParse::Reject(Reject::HeaderFieldsTooLarge),
        Err(_) => HeadParse::Reject(Reject::BadRequest),
    }
}

/// Whether the window holds a whole request line (after the empty lines httparse skips), so
/// that what overflowed the limit was the header section (431) rather than the line (400).
fn has_request_line(window: &[u8]) -> bool {
    let start = window
        .iter()
        .position(|&byte| byte != b'\r' && byte != b'\n');
    start
        .and_then(|start| window.get(start..))
        .is_some_and(|rest| rest.contains(&b'\n'))
}

fn head_from(parsed: &httparse::Request<'_, '_>, limits: &Limits) -> Result<RequestHead, Reject> {
    let (Some(method), Some(target), Some(minor)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(Reject::BadRequest);
    };
    let version = if minor == 0 {
        Version::Http10
    } else {
        Version::Http11
    };
    let headers = Headers {
        fields: parsed
            .headers
            .iter()
            .map(|header| {
                (
                    header.name.to_owned(),
                    trim(&String::from_utf8_lossy(header.value)).to_owned(),
                )
            })
            .collect(),
    };
    let content_length = body_length(&headers, limits)?;
    let keep_alive = version == Version::Http11 && !has_token(&headers, "connection", "close");
    let expects_continue = version == Version::Http11
        && content_length > 0
        && headers
            .get("expect")
            .is_some_and(|value| value.eq_ignore_ascii_case("100-continue"));
    let target = origin_form(target);
    let (path, query) = target.split_once('?').unwrap_or((&*target, ""));
    Ok(RequestHead {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        version,
        headers,
        content_length,
        keep_alive,
        expects_continue,
    })
}

/// Body framing (§18.5): `Content-Length` only. `Transfer-Encoding` without a length is 411; with
/// one it is 400 (the two disagreeing is how requests are smuggled). Repeated lengths must agree.
fn body_length(headers: &Headers, limits: &Limits) -> Result<usize, Reject> {
    let mut length: Option<&str> = None;
    for value in headers.get_all("content-length") {
        if length.is_some_and(|previous| previous != value) {
            return Err(Reject::BadRequest);
        }
        length = Some(value);
    }
    let has_transfer_encoding = headers.get("transfer-encoding").is_some();
    match (length, has_transfer_encoding) {
        (None, true) => Err(Reject::LengthRequired),
        (Some(_), true) => Err(Reject::BadRequest),
        (None, false) => Ok(0),
        (Some(text), false) => {
            if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
                return Err(Reject::BadRequest);
            }
            match text.parse::<usize>() {
                Ok(length) if length <= limits.max_body_bytes => Ok(length),
                _ => Err(Reject::PayloadTooLarge),
            }
        }
    }
}

/// Whether a comma-separated header (`Connection`) lists `token`, case-insensitively.
fn has_token(headers: &Headers, name: &str, token: &str) -> bool {
    headers
        .get_all(name)
        .flat_map(|value| value.split(','))
        .any(|item| trim(item).eq_ignore_ascii_case(token))
}

/// The path-and-query part of an absolute-form request target (`http://host:8080/a?b` → `/a?b`);
/// an origin-form target as it is (borrowed: no copy for the usual case).
fn origin_form(target: &str) -> Cow<'_, str> {
    let scheme_len = ["http://", "https://"].iter().find_map(|scheme| {
        let prefix = target.get(..scheme.len())?;
        prefix.eq_ignore_ascii_case(scheme).then_some(scheme.len())
    });
    let Some(rest) = scheme_len.and_then(|len| target.get(len..)) else {
        return Cow::Borrowed(target);
    };
    match rest.find(['/', '?']).and_then(|start| rest.get(start..)) {
        Some(tail) if tail.starts_with('/') => Cow::Borrowed(tail),
        Some(query) => Cow::Owned(format!("/{query}")),
        None => Cow::Borrowed("/"),
    }
}

fn trim(text: &str) -> &str {
    text.trim_matches([' ', '\t'])
}

#[cfg(test)]
mod tests;

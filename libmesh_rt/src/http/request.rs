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

/// Where a part of a request is in its text (byte offsets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// The text of a request: method, path, query, every header name and value and (once the
/// request is complete) the body, one after the other in one string, with where each is.
/// One allocation for all of them (plus one for the list of header positions), instead of
/// a `String` per part: parsing a request is most of what the server does for it besides
/// system calls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Text {
    text: String,
    method: Span,
    path: Span,
    query: Span,
    /// (name, value) of each header field, in the order received.
    fields: Vec<(Span, Span)>,
}

/// The header fields of a request as sent: names keep their case, values are trimmed of
/// surrounding spaces and tabs and decoded as UTF-8 with U+FFFD for invalid bytes
/// (obs-text). A view into the request's text.
#[derive(Clone, Copy, Debug)]
pub struct Headers<'a> {
    text: &'a str,
    fields: &'a [(Span, Span)],
}

/// A parsed request head and the framing of the body after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestHead {
    text: Text,
    pub version: Version,
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
/// Its parts are read through accessors: `method` (the token as sent, `GET`), `path` (the
/// target before `?`, not percent-decoded; an absolute-form target `http://host/p` is
/// reduced to its path), `query` (the raw query string after the first `?`, `""` when
/// absent), `headers`, `body` (the body bytes as text, invalid UTF-8 sequences replaced by
/// U+FFFD).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    text: Text,
    body: Span,
    pub version: Version,
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

impl Span {
    fn of(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

impl Text {
    fn part(&self, span: Span) -> &str {
        span.of(&self.text)
    }

    /// Appends `piece` and returns where it is.
    fn push(&mut self, piece: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(piece);
        Span {
            start,
            end: self.text.len(),
        }
    }

    /// Appends `bytes` as UTF-8, invalid sequences replaced by U+FFFD.
    fn push_lossy(&mut self, bytes: &[u8]) -> Span {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.push(text),
            Err(_) => self.push(&String::from_utf8_lossy(bytes)),
        }
    }

    fn headers(&self) -> Headers<'_> {
        Headers {
            text: &self.text,
            fields: &self.fields,
        }
    }
}

impl<'a> Headers<'a> {
    /// The last value of header `name`, matched case-insensitively (§18.3 `Request.header`).
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// Every value of header `name`, in order.
    pub fn get_all<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a str> + 'n
    where
        'a: 'n,
    {
        self.iter()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// Field `i` in the order received.
    pub fn at(&self, i: usize) -> Option<(&'a str, &'a str)> {
        let text = self.text;
        self.fields
            .get(i)
            .map(|&(name, value)| (name.of(text), value.of(text)))
    }

    /// All fields in the order received.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&'a str, &'a str)> + 'a {
        let text = self.text;
        self.fields
            .iter()
            .map(move |&(name, value)| (name.of(text), value.of(text)))
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl RequestHead {
    /// Method token as sent (`GET`).
    pub fn method(&self) -> &str {
        self.text.part(self.text.method)
    }

    /// Request target before `?`, not percent-decoded (§18.3 `Request.path`); an
    /// absolute-form target (`http://host/p`) is reduced to its path.
    pub fn path(&self) -> &str {
        self.text.part(self.text.path)
    }

    /// Raw query string after the first `?` (`""` when absent).
    pub fn query(&self) -> &str {
        self.text.part(self.text.query)
    }

    pub fn headers(&self) -> Headers<'_> {
        self.text.headers()
    }
}

impl Request {
    /// The request made of a parsed head and its `head.content_length` body bytes (appended
    /// to the head's text: no copy of the head).
    pub fn new(head: RequestHead, body: &[u8]) -> Request {
        let mut text = head.text;
        let body = text.push_lossy(body);
        Request {
            text,
            body,
            version: head.version,
            params: Vec::new(),
        }
    }

    /// Method token as sent (`GET`).
    pub fn method(&self) -> &str {
        self.text.part(self.text.method)
    }

    /// §18.3 `Request.path`: the target before `?`, not percent-decoded.
    pub fn path(&self) -> &str {
        self.text.part(self.text.path)
    }

    /// The raw query string after the first `?` (`""` when absent).
    pub fn query(&self) -> &str {
        self.text.part(self.text.query)
    }

    /// §18.3 `Request.body`: the body bytes as text (invalid UTF-8 replaced by U+FFFD).
    pub fn body(&self) -> &str {
        self.text.part(self.body)
    }

    pub fn headers(&self) -> Headers<'_> {
        self.text.headers()
    }

    /// §18.3 `Request.header`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers().get(name)
    }

    /// §18.3 `Request.query`: the decoded value of `name` in the query string.
    pub fn query_param(&self, name: &str) -> Option<String> {
        percent::query_value(self.query(), name)
    }

    /// §18.3 `Request.param`: the decoded capture of `:name` in the matched route.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Header slots of the first parse: enough for most requests, in a small stack frame.
const FIRST_SLOTS: usize = 32;
/// Header slots of the second parse, for a head with more headers (the spec's 100).
const STACK_SLOTS: usize = 128;

/// Looks at the start of `buffer` for a request head (§18.5). Only the first
/// `limits.max_head_bytes` bytes are examined.
pub fn parse_head(buffer: &[u8], limits: &Limits) -> HeadParse {
    // A first parse with room for 32 headers (uninitialised: httparse writes those it
    // fills); a head with more is parsed again with room for the limit. The 4 KiB frame of
    // the limit's slots cost a stack probe and a cold cache line per request.
    let mut slots = [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; FIRST_SLOTS];
    let first = limits.max_headers.min(FIRST_SLOTS);
    match parse_into(buffer, limits, slots.get_mut(..first).unwrap_or_default()) {
        HeadParse::Reject(Reject::HeaderFieldsTooLarge) if limits.max_headers > first => {
            parse_many(buffer, limits)
        }
        outcome => outcome,
    }
}

/// [`parse_head`] with room for `limits.max_headers` headers: the spec's 100 on the stack,
/// a larger configured limit on the heap.
#[inline(never)]
#[cold]
fn parse_many(buffer: &[u8], limits: &Limits) -> HeadParse {
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
    parse_into(buffer, limits, slots)
}

/// Parses the head at the start of `buffer` with `slots` for its headers (more headers than
/// slots is a 431).
fn parse_into<'b>(
    buffer: &'b [u8],
    limits: &Limits,
    slots: &mut [MaybeUninit<httparse::Header<'b>>],
) -> HeadParse {
    let window = buffer.get(..limits.max_head_bytes).unwrap_or(buffer);
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
    // Framing is decided on the raw values (trimmed bytes): the UTF-8 repair of the text
    // changes only non-ASCII bytes, which no valid length or token contains.
    let fields: &[httparse::Header<'_>] = parsed.headers;
    let framing = Framing::of(fields);
    let content_length = framing.body_length(limits)?;
    let keep_alive = version == Version::Http11 && !framing.close;
    let expects_continue = version == Version::Http11
        && content_length > 0
        && framing
            .expect
            .is_some_and(|value| value.eq_ignore_ascii_case(b"100-continue"));
    let target = origin_form(target);
    let (path, query) = target.split_once('?').unwrap_or((&*target, ""));
    // One string for every part; the body is appended once it has arrived (a small one has
    // its room reserved now).
    let head_bytes = method.len()
        + target.len()
        + fields
            .iter()
            .map(|field| field.name.len() + field.value.len())
            .sum::<usize>();
    let body_room = if content_length <= BODY_RESERVE {
        content_length
    } else {
        0
    };
    let mut text = Text {
        text: String::with_capacity(head_bytes + body_room),
        fields: Vec::with_capacity(fields.len()),
        ..Text::default()
    };
    text.method = text.push(method);
    text.path = text.push(path);
    text.query = text.push(query);
    for field in fields {
        let name = text.push(field.name);
        let value = text.push_lossy(trim_bytes(field.value));
        text.fields.push((name, value));
    }
    Ok(RequestHead {
        text,
        version,
        content_length,
        keep_alive,
        expects_continue,
    })
}

/// Bodies up to this size get their room in the request's text when the head is parsed.
const BODY_RESERVE: usize = 64 * 1024;

/// What the headers say about framing and the connection, gathered in one pass over them.
/// Decided on the raw values (trimmed bytes): the UTF-8 repair of the text changes only
/// non-ASCII bytes, which no valid length or token contains.
#[derive(Default)]
struct Framing<'h> {
    /// The `Content-Length` value, if any.
    length: Option<&'h [u8]>,
    /// Two `Content-Length` values differ.
    lengths_differ: bool,
    transfer_encoding: bool,
    /// A `Connection` header lists `close`.
    close: bool,
    /// The last `Expect` value.
    expect: Option<&'h [u8]>,
}

impl<'h> Framing<'h> {
    fn of(fields: &'h [httparse::Header<'_>]) -> Framing<'h> {
        let mut framing = Framing::default();
        for field in fields {
            let (name, value) = (field.name, trim_bytes(field.value));
            // The length test first: most headers are none of these four.
            let is = |wanted: &str| name.len() == wanted.len() && name.eq_ignore_ascii_case(wanted);
            if is("content-length") {
                framing.lengths_differ |= framing.length.is_some_and(|first| first != value);
                framing.length = Some(value);
            } else if is("transfer-encoding") {
                framing.transfer_encoding = true;
            } else if is("connection") {
                framing.close |= value
                    .split(|&byte| byte == b',')
                    .any(|item| trim_bytes(item).eq_ignore_ascii_case(b"close"));
            } else if is("expect") {
                framing.expect = Some(value);
            }
        }
        framing
    }

    /// Body framing (§18.5): `Content-Length` only. `Transfer-Encoding` without a length is
    /// 411; with one it is 400 (the two disagreeing is how requests are smuggled). Repeated
    /// lengths must agree.
    fn body_length(&self, limits: &Limits) -> Result<usize, Reject> {
        if self.lengths_differ {
            return Err(Reject::BadRequest);
        }
        match (self.length, self.transfer_encoding) {
            (None, true) => Err(Reject::LengthRequired),
            (Some(_), true) => Err(Reject::BadRequest),
            (None, false) => Ok(0),
            (Some(digits), false) => {
                if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                    return Err(Reject::BadRequest);
                }
                // Checked digits: a number past the limit (or past usize) is too large.
                let mut n: usize = 0;
                for &digit in digits {
                    n = match n
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(usize::from(digit - b'0')))
                    {
                        Some(n) if n <= limits.max_body_bytes => n,
                        _ => return Err(Reject::PayloadTooLarge),
                    };
                }
                Ok(n)
            }
        }
    }
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

/// `bytes` without surrounding spaces and tabs.
fn trim_bytes(bytes: &[u8]) -> &[u8] {
    let is_space = |byte: &u8| *byte == b' ' || *byte == b'\t';
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |end| end + 1);
    bytes.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests;

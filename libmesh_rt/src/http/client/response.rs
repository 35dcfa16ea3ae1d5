//! The client's incremental response parser (stdlib §19): status line and headers (httparse),
//! interim 1xx responses skipped, then the body framed by `Transfer-Encoding: chunked`,
//! `Content-Length` or the end of the connection, delivered in pieces of at most 8 KiB (the
//! chunk size of `Http.stream`). `parse_response` is the whole-message form `Http.send` uses.

use super::chunked::{ChunkStep, ChunkedDecoder};
use std::fmt;

/// Most bytes in a response head; beyond it the response is refused.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Most header lines in a response head.
pub const MAX_HEADERS: usize = 256;
/// Largest body piece one event carries (`Http.stream` chunks are at most 8 KiB).
pub const MAX_BODY_PIECE: usize = 8 * 1024;

/// The head of a final response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseHead {
    pub status: u16,
    /// Header names lower-cased, values trimmed (invalid UTF-8 replaced), in order, repeats kept.
    pub headers: Vec<(String, String)>,
}

/// What the parser has for the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientEvent {
    Head(ResponseHead),
    /// The next body bytes (never empty, at most `MAX_BODY_PIECE`).
    Body(Vec<u8>),
    /// The response is complete; `reusable` says whether the connection can carry another
    /// request (HTTP/1.1, no `Connection: close`, body not delimited by closing).
    Done {
        reusable: bool,
    },
    NeedMore,
    Error(ResponseError),
}

/// A malformed or truncated response; its text is `Http.send`'s `Err` message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseError {
    pub reason: &'static str,
}

/// A whole response as `Http.send` returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientResponse {
    pub status: u16,
    /// Lower-case names, each once with its last value (§19), in first-appearance order.
    pub headers: Vec<(String, String)>,
    /// Body bytes as text, invalid UTF-8 replaced by U+FFFD.
    pub body: String,
}

/// The incremental parser of one response on a connection.
#[derive(Debug)]
pub struct ResponseParser {
    buffer: Vec<u8>,
    head_request: bool,
    peer_closed: bool,
    state: State,
}

#[derive(Debug)]
enum State {
    Head,
    Body { framing: Framing, reusable: bool },
    Done { reusable: bool },
    Failed(ResponseError),
}

#[derive(Debug)]
enum Framing {
    Length(u64),
    Chunked(ChunkedDecoder),
    UntilClose,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.reason)
    }
}

impl std::error::Error for ResponseError {}

impl ResponseHead {
    /// The last value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl ResponseParser {
    /// A parser for the response to a request; `head_request` when it was `HEAD` (no body).
    pub fn new(head_request: bool) -> ResponseParser {
        ResponseParser {
            buffer: Vec::new(),
            head_request,
            peer_closed: false,
            state: State::Head,
        }
    }

    /// Bytes read from the connection.
    pub fn received(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The server closed the connection (a read returned 0 bytes).
    pub fn peer_closed(&mut self) {
        self.peer_closed = true;
    }

    /// Bytes received after the end of the response (none from a well-behaved server).
    pub fn leftover(&self) -> &[u8] {
        match self.state {
            State::Done { .. } => &self.buffer,
            _ => &[],
        }
    }

    /// The next event.
    pub fn poll(&mut self) -> ClientEvent {
        let event = match &mut self.state {
            State::Head => self.parse_head(),
            State::Body { framing, reusable } => {
                body_step(framing, *reusable, &mut self.buffer, self.peer_closed)
            }
            State::Done { reusable } => {
                return ClientEvent::Done {
                    reusable: *reusable,
                }
            }
            State::Failed(error) => return ClientEvent::Error(*error),
        };
        match &event {
            ClientEvent::Done { reusable } => {
                self.state = State::Done {
                    reusable: *reusable,
                }
            }
            ClientEvent::Error(error) => self.state = State::Failed(*error),
            _ => {}
        }
        event
    }

    fn parse_head(&mut self) -> ClientEvent {
        loop {
            let window = self.buffer.get(..MAX_HEAD_BYTES).unwrap_or(&self.buffer);
            let mut slots = vec![httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut parsed = httparse::Response::new(&mut slots);
            let head_len = match parsed.parse(window) {
                Ok(httparse::Status::Complete(head_len)) => head_len,
                Ok(httparse::Status::Partial) if self.buffer.len() >= MAX_HEAD_BYTES => {
                    return error("response head too large")
                }
                Ok(httparse::Status::Partial) if self.peer_closed && self.buffer.is_empty() => {
                    return error("connection closed before a response")
                }
                Ok(httparse::Status::Partial) if self.peer_closed => {
                    return error("connection closed in the response head")
                }
                Ok(httparse::Status::Partial) => return ClientEvent::NeedMore,
                Err(httparse::Error::TooManyHeaders) => return error("response head too large"),
                Err(_) => return error("malformed response head"),
            };
            let (Some(status), Some(minor)) = (parsed.code, parsed.version) else {
                return error("malformed response head");
            };
            let headers: Vec<(String, String)> = parsed
                .headers
                .iter()
                .map(|header| {
                    let value = String::from_utf8_lossy(header.value);
                    (
                        header.name.to_ascii_lowercase(),
                        value.trim_matches([' ', '\t']).to_owned(),
                    )
                })
                .collect();
            self.buffer.drain(..head_len);
            if (100..200).contains(&status) && status != 101 {
                continue;
            }
            let head = ResponseHead { status, headers };
            let framing = match self.framing(&head) {
                Ok(framing) => framing,
                Err(event) => return event,
            };
            let closes = head
                .headers
                .iter()
                .filter(|(name, _)| name == "connection")
                .flat_map(|(_, value)| value.split(','))
                .any(|token| token.trim().eq_ignore_ascii_case("close"));
            let reusable =
                minor == 1 && !closes && status != 101 && !matches!(framing, Framing::UntilClose);
            self.state = State::Body { framing, reusable };
            return ClientEvent::Head(head);
        }
    }

    /// Body framing (RFC 9112 §6.3): none for HEAD, 101, 204 and 304; chunked when it is the
    /// last transfer coding; other codings until close; else Content-Length; else until close.
    fn framing(&self, head: &ResponseHead) -> Result<Framing, ClientEvent> {
        if self.head_request || matches!(head.status, 101 | 204 | 304) {
            return Ok(Framing::Length(0));
        }
        if let Some(codings) = head.header("transfer-encoding") {
            let last = codings.rsplit(',').next().unwrap_or("").trim();
            return Ok(if last.eq_ignore_ascii_case("chunked") {
                Framing::Chunked(ChunkedDecoder::default())
            } else {
                Framing::UntilClose
            });
        }
        let mut length = None;
        for (_, value) in head
            .headers
            .iter()
            .filter(|(name, _)| name == "content-length")
        {
            let parsed = value
                .bytes()
                .all(|byte| byte.is_ascii_digit())
                .then(|| value.parse::<u64>().ok())
                .flatten();
            match (parsed, length) {
                (None, _) => return Err(error("invalid Content-Length")),
                (Some(new), Some(old)) if new != old => {
                    return Err(error("conflicting Content-Length headers"))
                }
                (Some(new), _) => length = Some(new),
            }
        }
        Ok(length.map_or(Framing::UntilClose, Framing::Length))
    }
}

fn body_step(
    framing: &mut Framing,
    reusable: bool,
    buffer: &mut Vec<u8>,
    peer_closed: bool,
) -> ClientEvent {
    match framing {
        Framing::Length(0) => ClientEvent::Done { reusable },
        Framing::Length(remaining) => {
            let available = buffer.len().min(MAX_BODY_PIECE);
            let take =
                usize::try_from(*remaining).map_or(available, |remaining| remaining.min(available));
            if take == 0 {
                return if peer_closed {
                    error("connection closed before the end of the body")
                } else {
                    ClientEvent::NeedMore
                };
            }
            *remaining -= take as u64;
            ClientEvent::Body(buffer.drain(..take).collect())
        }
        Framing::Chunked(decoder) => match decoder.step(buffer, MAX_BODY_PIECE) {
            ChunkStep::Data(data) => ClientEvent::Body(data),
            ChunkStep::Done => ClientEvent::Done { reusable },
            ChunkStep::NeedMore if peer_closed => {
                error("connection closed before the end of the body")
            }
            ChunkStep::NeedMore => ClientEvent::NeedMore,
            ChunkStep::Error(reason) => error(reason),
        },
        Framing::UntilClose if buffer.is_empty() && peer_closed => {
            ClientEvent::Done { reusable: false }
        }
        Framing::UntilClose if buffer.is_empty() => ClientEvent::NeedMore,
        Framing::UntilClose => {
            let take = buffer.len().min(MAX_BODY_PIECE);
            ClientEvent::Body(buffer.drain(..take).collect())
        }
    }
}

fn error(reason: &'static str) -> ClientEvent {
    ClientEvent::Error(ResponseError { reason })
}

/// Parses a whole response from `bytes`, the end of which is the end of the connection.
pub fn parse_response(bytes: &[u8], head_request: bool) -> Result<ClientResponse, ResponseError> {
    let mut parser = ResponseParser::new(head_request);
    parser.received(bytes);
    parser.peer_closed();
    let mut head = None;
    let mut body = Vec::new();
    loop {
        match parser.poll() {
            ClientEvent::Head(parsed) => head = Some(parsed),
            ClientEvent::Body(piece) => body.extend(piece),
            ClientEvent::Done { .. } => break,
            ClientEvent::NeedMore => {
                return Err(ResponseError {
                    reason: "connection closed before the end of the body",
                })
            }
            ClientEvent::Error(error) => return Err(error),
        }
    }
    let head = head.ok_or(ResponseError {
        reason: "connection closed before a response",
    })?;
    Ok(ClientResponse {
        status: head.status,
        headers: last_values(head.headers),
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// Each name once, at its first position, with its last value.
fn last_values(headers: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut unique: Vec<(String, String)> = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        match unique.iter_mut().find(|(key, _)| *key == name) {
            Some(slot) => slot.1 = value,
            None => unique.push((name, value)),
        }
    }
    unique
}

#[cfg(test)]
mod tests;

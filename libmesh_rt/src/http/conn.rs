//! The server's per-connection state machine, free of I/O and clocks: the socket loop feeds it
//! received bytes and the current time, and it answers with what to do next (read until a
//! deadline, run a request, write bytes, close). The loop stays thin: read when told to, spawn
//! an actor per `Dispatch`, write what `respond` returns.
//!
//! One request is handled at a time; pipelined requests wait in the buffer and are parsed once
//! the response before them has been produced, so responses leave in request order. The rules
//! are stdlib §18.5's (limits, framing, keep-alive, `Connection: close`, the 30 s idle close)
//! and runtime-cluster §11's graceful shutdown (stop reading, finish the request in flight,
//! close).

use super::request::{parse_head, HeadParse, Request, RequestHead};
use super::response::{self, Framing, Response};
use super::Limits;

/// The least room [`Conn::read_room`] gives a read (a whole request head of the usual size).
pub const READ_ROOM: usize = 4 * 1024;

/// What the socket loop does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read more bytes and pass them to `received`; if none arrive by `deadline_ms`, call `poll`
    /// again at that time (it then says `Close`: the connection was idle too long).
    Read { deadline_ms: u64 },
    /// Write these bytes (`100 Continue`), then poll again.
    Write(&'static [u8]),
    /// Run this request in its own actor and pass its response (or `Response::internal_error()`
    /// if the handler or a middleware panicked) to `respond`. No reading meanwhile.
    Dispatch(Request),
    /// A request is in flight: wait for its response.
    AwaitResponse,
    /// Write these bytes (a 4xx answer to a refused head), then close the connection.
    WriteAndClose(Vec<u8>),
    /// Close the connection now.
    Close,
}

/// One connection's protocol state.
#[derive(Debug)]
pub struct Conn {
    limits: Limits,
    /// Received bytes are `buffer[start..end]`; those before `start` belong to requests
    /// already dispatched and are dropped at the next read (one move per read, not one per
    /// pipelined request). Past `end` is the room the next read fills in place
    /// ([`read_room`](Conn::read_room)): the whole vector is initialised, so the socket
    /// reads straight into it, with no read buffer per connection and no copy.
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    state: State,
    /// When bytes last arrived or the last response was produced (the idle clock).
    last_activity_ms: u64,
    peer_closed: bool,
    shutting_down: bool,
}

#[derive(Debug)]
enum State {
    /// Reading a request: its head once complete, and whether `100 Continue` went out.
    Reading {
        head: Option<(RequestHead, usize)>,
        continue_sent: bool,
    },
    /// A request is in flight.
    Handling {
        keep_alive: bool,
        head_request: bool,
    },
    Closed,
}

impl Conn {
    /// A freshly accepted connection at time `now_ms` (any monotonic milliseconds).
    pub fn new(limits: Limits, now_ms: u64) -> Conn {
        Conn {
            limits,
            buffer: Vec::new(),
            start: 0,
            end: 0,
            state: State::reading(),
            last_activity_ms: now_ms,
            peer_closed: false,
            shutting_down: false,
        }
    }

    /// Bytes read from the socket at `now_ms` (copied in: the socket loop reads in place
    /// with [`read_room`](Conn::read_room) and [`filled`](Conn::filled)).
    pub fn received(&mut self, bytes: &[u8], now_ms: u64) {
        let room = self.read_room(bytes.len());
        let n = bytes.len().min(room.len());
        room[..n].copy_from_slice(&bytes[..n]);
        self.filled(n, now_ms);
    }

    /// Where the next read goes: at least `at_least` (and at least [`READ_ROOM`]) bytes after
    /// those received, the bytes of dispatched requests dropped first. The buffer grows by
    /// doubling, so a large body takes few reads.
    pub fn read_room(&mut self, at_least: usize) -> &mut [u8] {
        if self.start > 0 {
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let wanted = self.end + at_least.max(READ_ROOM);
        if self.buffer.len() < wanted {
            self.buffer.resize(wanted.next_power_of_two(), 0);
        }
        self.buffer.get_mut(self.end..).unwrap_or_default()
    }

    /// `n` bytes were read at `now_ms` into the start of the last [`read_room`](Conn::read_room).
    pub fn filled(&mut self, n: usize, now_ms: u64) {
        if n == 0 || matches!(self.state, State::Closed) {
            return;
        }
        self.end = (self.end + n).min(self.buffer.len());
        self.last_activity_ms = now_ms;
    }

    /// The peer closed its sending side (a read returned 0 bytes). Requests already complete in
    /// the buffer are still served; a partial one is dropped.
    pub fn peer_closed(&mut self) {
        self.peer_closed = true;
    }

    /// Graceful shutdown began (runtime-cluster §11): a request in flight is answered with
    /// `Connection: close`; a connection between requests closes at its next `poll`.
    pub fn shutdown(&mut self) {
        self.shutting_down = true;
    }

    /// Bytes received but not yet part of a dispatched request.
    pub fn buffered(&self) -> usize {
        self.end - self.start
    }

    /// The next step at time `now_ms`.
    pub fn poll(&mut self, now_ms: u64) -> Action {
        let State::Reading {
            head,
            continue_sent,
        } = &mut self.state
        else {
            return match self.state {
                State::Handling { .. } => Action::AwaitResponse,
                _ => Action::Close,
            };
        };
        if self.shutting_down {
            self.state = State::Closed;
            return Action::Close;
        }
        let pending = self.buffer.get(self.start..self.end).unwrap_or(&[]);
        if head.is_none() {
            match parse_head(pending, &self.limits) {
                HeadParse::NeedMore => {}
                HeadParse::Complete {
                    head: parsed,
                    head_len,
                } => *head = Some((parsed, head_len)),
                HeadParse::Reject(reject) => {
                    let mut bytes = Vec::new();
                    let framing = Framing {
                        close: true,
                        ..Framing::default()
                    };
                    response::encode(&Response::rejection(reject.status()), &framing, &mut bytes);
                    self.state = State::Closed;
                    return Action::WriteAndClose(bytes);
                }
            }
        }
        let body_arrived = head
            .as_ref()
            .is_some_and(|(parsed, head_len)| pending.len() >= head_len + parsed.content_length);
        if let Some((parsed, head_len)) = head.take_if(|_| body_arrived) {
            let end = head_len + parsed.content_length;
            let keep_alive = parsed.keep_alive;
            let request = Request::new(parsed, pending.get(head_len..end).unwrap_or_default());
            self.start += end;
            self.state = State::Handling {
                keep_alive,
                head_request: request.method() == "HEAD",
            };
            return Action::Dispatch(request);
        }
        if let Some((parsed, _)) = head {
            if parsed.expects_continue && !*continue_sent && !self.peer_closed {
                *continue_sent = true;
                return Action::Write(response::CONTINUE);
            }
        }
        let deadline_ms = self
            .last_activity_ms
            .saturating_add(self.limits.idle_timeout_ms);
        if self.peer_closed || now_ms >= deadline_ms {
            self.state = State::Closed;
            return Action::Close;
        }
        Action::Read { deadline_ms }
    }

    /// The response of the request in flight, produced at `now_ms`, with the `Date` value to
    /// send (if any): appends its bytes to `out` (the connection's write buffer) and returns
    /// whether to close after writing them (the response says `Connection: close`); otherwise
    /// poll again. Outside a request it is ignored and the connection closes.
    pub fn respond(
        &mut self,
        response: &Response,
        date: Option<&str>,
        now_ms: u64,
        out: &mut Vec<u8>,
    ) -> bool {
        let State::Handling {
            keep_alive,
            head_request,
        } = self.state
        else {
            self.state = State::Closed;
            return true;
        };
        // A 1xx from a handler is not a final response: the client would wait for another.
        let close =
            !keep_alive || self.shutting_down || response.asks_to_close() || response.status < 200;
        out.reserve(160 + response.body.len());
        response::encode(
            response,
            &Framing {
                close,
                head_request,
                date,
            },
            out,
        );
        self.state = if close {
            State::Closed
        } else {
            State::reading()
        };
        self.last_activity_ms = now_ms;
        close
    }
}

impl State {
    fn reading() -> State {
        State::Reading {
            head: None,
            continue_sent: false,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;

//! The HTTP/1.1 protocol core of the server (stdlib spec §18) and client (§19), as pure code:
//! byte buffers in, values and bytes out, no sockets and no clock of its own, except `server`
//! and `shutdown`, the socket loop on `net/`. The Mesh bindings are `abi/http.rs` (see
//! ARCHITECTURE.md "HTTP").
//!
//! - `request`: the incremental request-head parser (httparse) and the `Request` value;
//! - `router`: the three-tier router and the middleware chain model;
//! - `response`: `Response`, reason phrases, response encoding and the server's log lines;
//! - `conn`: the server's per-connection state machine (keep-alive, pipelining, limits,
//!   idle timeout, graceful shutdown);
//! - `client`: URL parsing, request building and encoding, the incremental response parser;
//! - `percent`: percent-decoding and encoding shared by all of them;
//! - `server`: the socket loop (`HTTP.serve`): accept, one process per connection and per
//!   request; `shutdown`: graceful shutdown on SIGTERM/SIGINT.

pub mod client;
pub mod conn;
pub mod percent;
pub mod request;
pub mod response;
pub mod router;
pub mod server;
pub mod shutdown;

#[cfg(test)]
mod fuzz;

/// The server's bounds on what one request may send (stdlib §18.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most header lines in one request head (spec: 100).
    pub max_headers: usize,
    /// Most bytes in one request head, request line and final empty line included (spec: 8 KiB).
    pub max_head_bytes: usize,
    /// Largest accepted `Content-Length`; beyond it the request gets 413 (not in the spec,
    /// which bounds only heads; STYLE §1.3 asks for bounded bodies too).
    pub max_body_bytes: usize,
    /// How long a connection may stay silent while a request is being read (spec: 30 s).
    pub idle_timeout_ms: u64,
}

impl Limits {
    /// The spec's limits, with a 16 MiB body bound (the WebSocket message limit of §20).
    pub const DEFAULT: Limits = Limits {
        max_headers: 100,
        max_head_bytes: 8 * 1024,
        max_body_bytes: 16 * 1024 * 1024,
        idle_timeout_ms: 30_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

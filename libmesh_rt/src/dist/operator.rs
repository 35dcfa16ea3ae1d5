//! The operator protocol (runtime-cluster §8.1): after a handshake with purpose `operator`
//! the initiator (`meshc cluster`) sends one `OPERATOR_QUERY` and reads one `OPERATOR_REPLY`;
//! then the connection closes. Both frames carry the session's per-frame MAC (§3.2).
//!
//! - Wire format (this file's own): `OPERATOR_QUERY` = request id (u64), kind (str: `status`,
//!   `continuity_lookup`, `continuity_list`, `diagnostics`), key (u8 flag + str), limit (u8
//!   flag + u64). `OPERATOR_REPLY` = request id (u64), then `0`, the JSON text
//!   (pretty-printed) and the human text, or `1` and a reason (`request_key_missing`,
//!   `request_key_not_found`, `unknown_query_kind`). The node renders both forms with `cluster::operator`, so
//!   `meshc` only prints.
//! - Node side ([`serve`]): runs on the accepted connection's own process (never the accept
//!   loop), reads the continuity state through `cluster::runtime::with_node`, never touches
//!   the session table, membership or `Node.monitor` subscribers, and logs
//!   `mesh node: operator query kind=<kind> from=<ip:port> result=<ok|error>`.
//! - Client side ([`query`]): blocking `std::net`, for `meshc cluster` (no scheduler there);
//!   the whole exchange is bounded by one deadline. Reasons are the text after
//!   `error: cluster query to <target> failed: `; none contains the cookie or a MAC.

use super::frame::{self, kind, FrameError, FrameReader, MacState, Rd, Wr};
use super::handshake::{self as hs, Challenge, Hello, Purpose};
use crate::cluster::node::Node as ClusterNode;
use crate::cluster::operator as forms;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// What an operator asks (§8.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryKind {
    Status,
    ContinuityLookup,
    ContinuityList,
    Diagnostics,
}

impl QueryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QueryKind::Status => "status",
            QueryKind::ContinuityLookup => "continuity_lookup",
            QueryKind::ContinuityList => "continuity_list",
            QueryKind::Diagnostics => "diagnostics",
        }
    }
    fn parse(s: &str) -> Option<QueryKind> {
        [
            QueryKind::Status,
            QueryKind::ContinuityLookup,
            QueryKind::ContinuityList,
            QueryKind::Diagnostics,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// `OPERATOR_QUERY`. The kind travels as text so that a node can name an unknown one in its
/// log line and reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub request_id: u64,
    pub kind: String,
    pub key: Option<String>,
    pub limit: Option<u64>,
}

impl Query {
    pub fn new(kind: QueryKind, key: Option<String>, limit: Option<u64>) -> Query {
        Query {
            request_id: hs::random_u64(),
            kind: kind.as_str().to_string(),
            key,
            limit,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let wr = Wr::new().u64(self.request_id).str(&self.kind);
        let wr = match &self.key {
            Some(k) => wr.u8(1).str(k),
            None => wr.u8(0),
        };
        match self.limit {
            Some(l) => wr.u8(1).u64(l),
            None => wr.u8(0),
        }
        .done()
    }

    pub fn decode(payload: &[u8]) -> Result<Query, FrameError> {
        let mut rd = Rd(payload);
        let request_id = rd.u64()?;
        let kind = rd.str()?.to_string();
        let key = match rd.u8()? {
            0 => None,
            1 => Some(rd.str()?.to_string()),
            _ => return Err(FrameError::Malformed),
        };
        let limit = match rd.u8()? {
            0 => None,
            1 => Some(rd.u64()?),
            _ => return Err(FrameError::Malformed),
        };
        rd.end()?;
        Ok(Query {
            request_id,
            kind,
            key,
            limit,
        })
    }
}

/// The answer of a query: both printed forms, or the remote rejection reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Ok { json: String, human: String },
    Err(String),
}

/// `OPERATOR_REPLY`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub request_id: u64,
    pub answer: Answer,
}

impl Reply {
    pub fn encode(&self) -> Vec<u8> {
        let wr = Wr::new().u64(self.request_id);
        match &self.answer {
            Answer::Ok { json, human } => wr.u8(0).str(json).str(human),
            Answer::Err(reason) => wr.u8(1).str(reason),
        }
        .done()
    }

    pub fn decode(payload: &[u8]) -> Result<Reply, FrameError> {
        let mut rd = Rd(payload);
        let request_id = rd.u64()?;
        let answer = match rd.u8()? {
            0 => Answer::Ok {
                json: rd.str()?.to_string(),
                human: rd.str()?.to_string(),
            },
            1 => Answer::Err(rd.str()?.to_string()),
            _ => return Err(FrameError::Malformed),
        };
        rd.end()?;
        Ok(Reply { request_id, answer })
    }
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The answer to `query` from `node`'s state; `target` is the node's identity (pure).
pub fn answer(target: &str, node: &ClusterNode, query: &Query) -> Answer {
    let limit = query
        .limit
        .map(|l| usize::try_from(l).unwrap_or(usize::MAX));
    match QueryKind::parse(&query.kind) {
        None => Answer::Err("unknown_query_kind".into()),
        Some(QueryKind::Status) => Answer::Ok {
            json: pretty(&forms::status_json(target, node)),
            human: forms::status_human(target, node),
        },
        Some(QueryKind::ContinuityList) => Answer::Ok {
            json: pretty(&forms::continuity_list_json(target, node, limit)),
            human: forms::continuity_list_human(target, node, limit),
        },
        Some(QueryKind::ContinuityLookup) => {
            let key = query.key.as_deref().unwrap_or("");
            match forms::continuity_lookup_json(target, node, key) {
                Err(reason) => Answer::Err(reason),
                Ok(json) => Answer::Ok {
                    json: pretty(&json),
                    human: node
                        .record(key)
                        .map(|r| forms::record_human(target, r))
                        .unwrap_or_default(),
                },
            }
        }
        Some(QueryKind::Diagnostics) => Answer::Ok {
            json: pretty(&forms::diagnostics_json(target, node, limit)),
            human: forms::diagnostics_human(target, node, limit),
        },
    }
}

/// The acceptor's side after an `operator` handshake: one query, one reply, close. `key` is
/// the session key of the handshake; `reader` may already hold the query's bytes.
pub(super) fn serve(
    stream: crate::net::TcpStream,
    mut reader: FrameReader,
    key: &[u8; 32],
    remote_addr: SocketAddr,
) {
    let Some(me) = super::node::node() else {
        return;
    };
    reader.mac = Some(MacState::new(key, 0));
    let query = match super::session::read_frame(&stream, &mut reader) {
        Ok((kind::OPERATOR_QUERY, payload)) => Query::decode(&payload),
        Ok(_) => Err(FrameError::Malformed),
        Err(_) => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
    };
    let Ok(query) = query else {
        eprintln!(
            "mesh node: operator query kind= from={remote_addr} result=error reason=malformed_frame"
        );
        let _ = stream.shutdown(std::net::Shutdown::Both);
        return;
    };
    let answer = crate::cluster::runtime::with_node(|node| answer(&me.name, node, &query));
    eprintln!(
        "mesh node: operator query kind={} from={remote_addr} result={}",
        printable(&query.kind),
        match answer {
            Answer::Ok { .. } => "ok",
            Answer::Err(_) => "error",
        }
    );
    let reply = Reply {
        request_id: query.request_id,
        answer,
    };
    let mut buf = Vec::new();
    frame::encode(
        &mut buf,
        kind::OPERATOR_REPLY,
        &reply.encode(),
        Some(&mut MacState::new(key, 1)),
    );
    let _ = stream.write_all(&buf, Some(Instant::now() + Duration::from_secs(5)));
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// A value as it may appear in a log line.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '?'
            } else {
                c
            }
        })
        .take(64)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Client side (meshc cluster).

/// Why a query failed: the text after `failed: `, or the remote rejection reason.
#[derive(Debug, PartialEq, Eq)]
pub enum QueryError {
    /// Unreachable, handshake failure, timeout, broken reply.
    Failed(String),
    /// The node answered with an error reason (`request_key_not_found`, …).
    Remote(String),
}

/// When the whole exchange must be over, and how it was asked for (for the message).
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    at: Instant,
    ms: u64,
}

impl Deadline {
    /// `ms` milliseconds from now.
    pub fn after_ms(ms: u64) -> Deadline {
        Deadline {
            at: Instant::now() + Duration::from_millis(ms),
            ms,
        }
    }

    fn remaining(&self) -> Result<Duration, QueryError> {
        let left = self.at.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(self.timed_out())
        } else {
            Ok(left)
        }
    }

    fn timed_out(&self) -> QueryError {
        QueryError::Failed(format!("timed out after {} ms", self.ms))
    }
}

fn io_error(e: std::io::Error, deadline: &Deadline) -> QueryError {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => deadline.timed_out(),
        std::io::ErrorKind::UnexpectedEof
        | std::io::ErrorKind::ConnectionReset
        | std::io::ErrorKind::ConnectionAborted
        | std::io::ErrorKind::BrokenPipe => {
            QueryError::Failed("connection closed by the node".into())
        }
        _ => QueryError::Failed(format!("connection error: {e}")),
    }
}

/// One blocking connection with a deadline over every step.
struct Conn {
    stream: std::net::TcpStream,
    reader: FrameReader,
    deadline: Deadline,
}

impl Conn {
    fn write(
        &mut self,
        kind: u8,
        payload: &[u8],
        mac: Option<&mut MacState>,
    ) -> Result<(), QueryError> {
        let mut buf = Vec::new();
        frame::encode(&mut buf, kind, payload, mac);
        let left = self.deadline.remaining()?;
        self.stream
            .set_write_timeout(Some(left))
            .map_err(|e| io_error(e, &self.deadline))?;
        self.stream
            .write_all(&buf)
            .map_err(|e| io_error(e, &self.deadline))
    }

    fn read(&mut self) -> Result<(u8, Vec<u8>), QueryError> {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match self.reader.next_frame() {
                Ok(Some(f)) => return Ok(f),
                Ok(None) => {}
                Err(e) => return Err(QueryError::Failed(format!("bad reply: {}", e.reason()))),
            }
            let left = self.deadline.remaining()?;
            self.stream
                .set_read_timeout(Some(left))
                .map_err(|e| io_error(e, &self.deadline))?;
            match self.stream.read(&mut buf) {
                Ok(0) => return Err(QueryError::Failed("connection closed by the node".into())),
                Ok(n) => self.reader.feed(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(e, &self.deadline)),
            }
        }
    }

    fn reject(&mut self, reason: &str) {
        let _ = self.write(kind::REJECT, &Wr::new().str(reason).done(), None);
    }
}

/// The operator's name: `mesh-operator@<local hostname>` (§8.1).
pub fn operator_name() -> String {
    let host: String = super::env::system_hostname()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '@')
        .collect();
    if host.is_empty() {
        "mesh-operator@localhost".into()
    } else {
        format!("mesh-operator@{host}")
    }
}

fn handshake_failed(reason: &str) -> QueryError {
    QueryError::Failed(format!("handshake failed: {reason}"))
}

/// The text of a `REJECT` payload.
fn rejected(payload: &[u8]) -> String {
    match Rd(payload).str() {
        Ok("auth_failed") => "authentication failed (cookie mismatch)".into(),
        Ok(r) => printable(r),
        Err(_) => "malformed_frame".into(),
    }
}

/// The addresses of `host` (an IP literal or a name) with `port`; a name is resolved on a
/// helper thread so that the deadline bounds resolution too.
pub fn resolve(host: &str, port: u16, deadline: &Deadline) -> Result<Vec<SocketAddr>, QueryError> {
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let name = host.to_string();
    std::thread::spawn(move || {
        use std::net::ToSocketAddrs;
        let _ = tx.send(
            (name.as_str(), port)
                .to_socket_addrs()
                .map(|a| a.collect::<Vec<_>>()),
        );
    });
    match rx.recv_timeout(deadline.remaining()?) {
        Ok(Ok(addrs)) => Ok(addrs),
        Ok(Err(e)) => Err(QueryError::Failed(format!("could not resolve {host}: {e}"))),
        Err(_) => Err(deadline.timed_out()),
    }
}

/// Runs `query` against the node named `target` (already validated) at the first of `addrs`
/// that accepts a connection; the whole exchange ends by `deadline`.
pub fn query(
    target: &str,
    addrs: &[SocketAddr],
    cookie: &[u8],
    query: &Query,
    deadline: &Deadline,
) -> Result<Answer, QueryError> {
    let deadline = *deadline;
    let mut last = QueryError::Failed("no address to connect to".into());
    let mut stream = None;
    for addr in addrs {
        let left = deadline.remaining()?;
        match std::net::TcpStream::connect_timeout(addr, left) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::TimedOut) => {
                last = deadline.timed_out()
            }
            Err(e) => last = QueryError::Failed(format!("could not connect to {addr}: {e}")),
        }
    }
    let Some(stream) = stream else {
        return Err(last);
    };
    let _ = stream.set_nodelay(true);
    let mut conn = Conn {
        stream,
        reader: FrameReader::new(frame::HANDSHAKE_LIMIT),
        deadline,
    };
    let hello = Hello {
        version: hs::VERSION,
        purpose: Purpose::Operator,
        name: operator_name(),
        incarnation: hs::random_u64(),
        nonce: hs::fresh_nonce(),
    };
    conn.write(kind::HELLO, &hello.encode(), None)?;
    let challenge = match conn.read()? {
        (kind::CHALLENGE, p) => Challenge::decode(&p).map_err(|e| handshake_failed(e.reason()))?,
        (kind::REJECT, p) => return Err(handshake_failed(&rejected(&p))),
        _ => return Err(handshake_failed("malformed_frame")),
    };
    if challenge.version != hs::VERSION {
        conn.reject("version_unsupported");
        return Err(handshake_failed("version_unsupported"));
    }
    if challenge.name != target {
        conn.reject("name_mismatch");
        return Err(handshake_failed(&format!(
            "name_mismatch (the node is {})",
            printable(&challenge.name)
        )));
    }
    let t = hs::transcript(&hello, &challenge);
    conn.write(kind::PROOF, &hs::initiator_proof(cookie, &t), None)?;
    match conn.read()? {
        (kind::PROOF, p) if hs::proof_matches(&hs::acceptor_proof(cookie, &t), &p) => {}
        (kind::PROOF, _) => {
            conn.reject("auth_failed");
            return Err(handshake_failed("authentication failed (cookie mismatch)"));
        }
        (kind::REJECT, p) => return Err(handshake_failed(&rejected(&p))),
        _ => return Err(handshake_failed("malformed_frame")),
    }
    let key = hs::session_key(cookie, &t);
    conn.reader.mac = Some(MacState::new(&key, 1));
    conn.reader.limit = frame::SESSION_LIMIT;
    conn.write(
        kind::OPERATOR_QUERY,
        &query.encode(),
        Some(&mut MacState::new(&key, 0)),
    )?;
    let reply = match conn.read()? {
        (kind::OPERATOR_REPLY, p) => Reply::decode(&p)
            .map_err(|e| QueryError::Failed(format!("bad reply: {}", e.reason())))?,
        (k, _) => return Err(QueryError::Failed(format!("bad reply: frame kind {k}"))),
    };
    if reply.request_id != query.request_id {
        return Err(QueryError::Failed(
            "bad reply: request id does not match".into(),
        ));
    }
    match reply.answer {
        Answer::Err(reason) => Err(QueryError::Remote(reason)),
        ok => Ok(ok),
    }
}

#[cfg(test)]
mod tests;

//! The client's I/O (stdlib §19): DNS on the blocking pool, a TCP connection on `net/` with
//! the request's deadline, TLS (`net/tls.rs`) for `https://`, writing the encoded request and
//! feeding what arrives to the incremental [`ResponseParser`]. Every wait parks only the
//! calling Mesh process.
//!
//! Error texts (`Http.send`'s `Err`): `TIMEOUT: …` when the whole-request deadline passes,
//! `DNS_FAILURE: …` when the host does not resolve, `TLS_ERROR: …` for handshake and
//! certificate failures, otherwise the connection error text (`connection refused: …`, …) or
//! the parser's reason for a malformed response.

use super::error::TransportError;
use super::request::HttpRequest;
use super::response::{ClientEvent, ClientResponse, ResponseHead, ResponseParser};
use super::url::{Scheme, Url};
use crate::net::tls::{self, TlsStream};
use crate::net::{NetError, TcpStream};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// An open connection to a server, plain or TLS.
pub enum Conn {
    Plain(TcpStream),
    Tls(Box<TlsStream>),
}

impl Conn {
    fn read(&mut self, buf: &mut [u8], deadline: Option<Instant>) -> Result<usize, NetError> {
        match self {
            Conn::Plain(tcp) => tcp.read(buf, deadline),
            Conn::Tls(tls) => tls.read(buf, deadline),
        }
    }

    fn write_all(&mut self, buf: &[u8], deadline: Option<Instant>) -> Result<(), NetError> {
        match self {
            Conn::Plain(tcp) => tcp.write_all(buf, deadline),
            Conn::Tls(tls) => tls.write_all(buf, deadline),
        }
    }
}

/// A request in flight: its URL, bytes and deadline.
pub struct Exchange {
    pub url: Url,
    bytes: Vec<u8>,
    head_request: bool,
    pub deadline: Instant,
    timeout_ms: u64,
}

/// How a failed exchange failed: `stale` when a reused connection turned out closed
/// before any response byte (the pool then retries once on a new connection).
pub struct Failure {
    pub text: String,
    pub stale: bool,
}

/// What the body sink wants next.
pub enum Flow {
    Continue,
    Stop,
}

impl Exchange {
    /// Encodes `req` (`keep_alive`: no `Connection: close`); the deadline starts now.
    pub fn new(req: &HttpRequest, keep_alive: bool) -> Result<Exchange, String> {
        let (url, bytes) = req.encode(keep_alive).map_err(|e| e.to_string())?;
        Ok(Exchange {
            url,
            bytes,
            head_request: req.is_head(),
            deadline: Instant::now() + Duration::from_millis(req.timeout_ms),
            timeout_ms: req.timeout_ms,
        })
    }

    /// The pool key of the connection this request needs.
    pub fn origin(&self) -> String {
        let scheme = match self.url.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        };
        format!("{scheme}://{}:{}", self.url.host, self.url.port)
    }

    fn timeout(&self) -> String {
        TransportError::Timeout {
            ms: self.timeout_ms,
        }
        .to_string()
    }

    fn dns(&self, cause: &str) -> String {
        TransportError::Dns {
            host: self.url.host.clone(),
            cause: cause.to_owned(),
        }
        .to_string()
    }

    fn tls(&self, e: impl std::fmt::Display) -> String {
        TransportError::Tls(format!("{}: {e}", self.url.host)).to_string()
    }

    fn net_error(&self, e: NetError) -> String {
        match e {
            NetError::TimedOut => self.timeout(),
            e if tls::is_tls_error(&e) => self.tls(e),
            NetError::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                format!("connection refused: {}:{}", self.url.host, self.url.port)
            }
            e => format!("connection error: {}:{}: {e}", self.url.host, self.url.port),
        }
    }

    /// Opens a connection to the request's server (DNS, TCP, TLS) before the deadline.
    pub fn connect(&self) -> Result<Conn, String> {
        let addrs = self.resolve()?;
        let deadline = Some(self.deadline);
        let mut last = None;
        let mut tcp = None;
        for addr in addrs {
            match TcpStream::connect(addr, deadline) {
                Ok(stream) => {
                    tcp = Some(stream);
                    break;
                }
                Err(NetError::TimedOut) => return Err(self.timeout()),
                Err(e) => last = Some(e),
            }
        }
        let tcp = match (tcp, last) {
            (Some(tcp), _) => tcp,
            (None, Some(e)) => return Err(self.net_error(e)),
            (None, None) => {
                return Err(self.dns("no address"));
            }
        };
        let _ = tcp.set_nodelay(true);
        match self.url.scheme {
            Scheme::Http => Ok(Conn::Plain(tcp)),
            Scheme::Https => {
                let config = tls::client_config().map_err(|e| self.tls(e))?;
                TlsStream::connect(tcp, &self.url.host, config, deadline)
                    .map(|tls| Conn::Tls(Box::new(tls)))
                    .map_err(|e| match e {
                        NetError::TimedOut => self.timeout(),
                        e if tls::is_tls_error(&e) => self.tls(e),
                        e => self.net_error(e),
                    })
            }
        }
    }

    /// The addresses of the host: an IP literal as is, a name through the system resolver on
    /// the blocking pool (resolution blocks its thread; `net::resolve`).
    fn resolve(&self) -> Result<Vec<SocketAddr>, String> {
        let port = self.url.port;
        if let Ok(ip) = self.url.host.parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let host = self.url.host.clone();
        let resolved = crate::sched::blocking(move || crate::net::resolve::lookup(&host, port));
        if Instant::now() >= self.deadline {
            return Err(self.timeout());
        }
        match resolved {
            Ok(addrs) if !addrs.is_empty() => Ok(addrs),
            Ok(_) => Err(self.dns("no address")),
            Err(e) => Err(self.dns(&e)),
        }
    }

    /// Sends the request on `conn` and reads the response: the head goes to `on_head`, body
    /// pieces (≤ 8 KiB) to `on_body`, which may stop early. Ok(reusable) when the response was
    /// read to its end and the connection can carry another request.
    pub fn run(
        &self,
        conn: &mut Conn,
        on_head: &mut dyn FnMut(ResponseHead),
        on_body: &mut dyn FnMut(Vec<u8>) -> Flow,
    ) -> Result<bool, Failure> {
        let deadline = Some(self.deadline);
        if let Err(e) = conn.write_all(&self.bytes, deadline) {
            let stale = !matches!(e, NetError::TimedOut);
            return Err(Failure {
                text: self.net_error(e),
                stale,
            });
        }
        let mut parser = ResponseParser::new(self.head_request);
        let mut received_any = false;
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match parser.poll() {
                ClientEvent::Head(head) => on_head(head),
                ClientEvent::Body(bytes) => {
                    if let Flow::Stop = on_body(bytes) {
                        return Ok(false);
                    }
                }
                ClientEvent::Done { reusable } => {
                    return Ok(reusable && parser.leftover().is_empty());
                }
                ClientEvent::Error(e) => {
                    return Err(Failure {
                        text: e.to_string(),
                        stale: !received_any,
                    })
                }
                ClientEvent::NeedMore => match conn.read(&mut buf, deadline) {
                    Ok(0) => parser.peer_closed(),
                    Ok(n) => {
                        received_any = true;
                        parser.received(&buf[..n]);
                    }
                    Err(e) => {
                        let stale = !received_any && !matches!(e, NetError::TimedOut);
                        return Err(Failure {
                            text: self.net_error(e),
                            stale,
                        });
                    }
                },
            }
        }
    }

    /// Runs the request on `conn` collecting the whole response (`Http.send`): the response
    /// and whether the connection is reusable.
    pub fn collect(&self, conn: &mut Conn) -> Result<(ClientResponse, bool), Failure> {
        let mut head = None;
        let mut body = Vec::new();
        let reusable = self.run(conn, &mut |h| head = Some(h), &mut |bytes| {
            body.extend_from_slice(&bytes);
            Flow::Continue
        })?;
        let head = head.ok_or_else(|| Failure {
            text: "malformed response: no status line".into(),
            stale: false,
        })?;
        Ok((finish(head, body), reusable))
    }
}

/// The response as `Http.send` returns it: lower-case names, each once with its last value
/// (in first-appearance order), the body as text (invalid UTF-8 replaced).
pub fn finish(head: ResponseHead, body: Vec<u8>) -> ClientResponse {
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in head.headers {
        let name = name.to_ascii_lowercase();
        match headers.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => headers.push((name, value)),
        }
    }
    ClientResponse {
        status: head.status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// `Http.send`: one request on a fresh connection, closed afterwards.
pub fn send(req: &HttpRequest) -> Result<ClientResponse, String> {
    let exchange = Exchange::new(req, false)?;
    let mut conn = exchange.connect()?;
    exchange
        .collect(&mut conn)
        .map(|(response, _)| response)
        .map_err(|f| f.text)
}

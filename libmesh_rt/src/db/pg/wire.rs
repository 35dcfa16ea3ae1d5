//! A PostgreSQL protocol client (protocol 3.0) over the scheduler's non-blocking sockets
//! (`net::TcpStream`, `net::tls::TlsStream`): startup with trust, clear-text, MD5 or
//! SCRAM-SHA-256 authentication, optional TLS, and statements through the extended protocol
//! with text parameters and text results. Message encoding, decoding, MD5 and SCRAM come from
//! the `postgres-protocol` crate.
//!
//! I/O runs on the calling thread: in a Mesh process a read or write that would block parks
//! only that process until the socket is ready (its worker runs others meanwhile); outside a
//! process (the CLI's `meshc migrate`, Rust tests) it blocks the calling thread
//! (`TcpStream::connect_anywhere`).
//!
//! A [`Conn`] is used by one caller at a time (`PgConn` and the pool hand it out
//! exclusively). After an I/O or protocol failure it is marked broken and never reused; so is
//! a connection whose statement was cut short (its process killed while parked mid-exchange),
//! since the server's answer to it is still unread.

use super::tls;
use super::url::{SslMode, Url};
use super::PgError;
use crate::db::make_row;
use crate::db::Row;
use crate::net::tls::TlsStream;
use crate::net::{NetError, TcpStream};
use bytes::BytesMut;
use fallible_iterator::FallibleIterator;
use postgres_protocol::authentication::md5_hash;
use postgres_protocol::authentication::sasl::{ChannelBinding, ScramSha256, SCRAM_SHA_256};
use postgres_protocol::message::backend::{ErrorFields, Message};
use postgres_protocol::message::frontend;
use postgres_protocol::IsNull;
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long establishing the TCP connection may take per address.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How many statements one connection keeps prepared; later ones run unnamed.
const STATEMENT_CACHE: usize = 256;

/// SQLSTATE `feature_not_supported`, which the server reports as "cached plan must not change
/// result type" when a table behind a prepared statement changed shape.
const CACHED_PLAN_CHANGED: &str = "0A000";

/// Bytes asked of the socket per read.
const READ_CHUNK: usize = 8192;

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream>),
}

impl Stream {
    fn socket(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => s.tcp(),
        }
    }

    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NetError> {
        match self {
            Stream::Plain(s) => s.read(buf, None),
            Stream::Tls(s) => s.read(buf, None),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> Result<(), NetError> {
        match self {
            Stream::Plain(s) => s.write_all(buf, None),
            Stream::Tls(s) => s.write_all(buf, None),
        }
    }
}

/// The authentication method the server asked for (tests check which one ran).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    Trust,
    Cleartext,
    Md5,
    Scram,
}

/// The result of one statement.
#[derive(Debug, Default)]
pub struct Outcome {
    pub rows: Vec<Row>,
    /// The affected-row count from the command tag (`INSERT 0 1` → 1, DDL → 0).
    pub affected: i64,
}

/// A statement prepared on the connection under `name`, with its result columns.
struct Prepared {
    name: String,
    columns: Arc<[String]>,
}

/// One open connection.
pub struct Conn {
    stream: Stream,
    /// A statement's exchange is under way (see the module header).
    in_flight: bool,
    /// Statements prepared on this connection, by SQL text (at most [`STATEMENT_CACHE`]).
    prepared: HashMap<String, Prepared>,
    /// The number in the name of the next statement to prepare (`s1`, `s2`, …).
    next_statement: u64,
    rbuf: BytesMut,
    /// Where the socket is read into (zeroed once; `rbuf` gets the bytes read).
    chunk: Box<[u8]>,
    wbuf: BytesMut,
    /// The last ReadyForQuery status: `I` idle, `T` in a transaction, `E` failed transaction.
    status: u8,
    broken: bool,
    pub auth: AuthMethod,
    pub tls: bool,
}

fn io_err(e: impl std::fmt::Display) -> PgError {
    PgError::Client(format!("connection error: {e}"))
}

/// The addresses of `host`: an IP literal at once, a name through the resolver on the
/// blocking pool (it may wait for DNS).
fn addresses(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let host = host.to_string();
    crate::sched::blocking(move || crate::net::resolve::lookup(&host, port))
}

/// Asks the server for TLS (SSLRequest) and, when it agrees, runs the handshake.
fn negotiate_tls(sock: TcpStream, url: &Url) -> Result<Stream, PgError> {
    let mut request = BytesMut::with_capacity(8);
    frontend::ssl_request(&mut request);
    sock.write_all(&request, None).map_err(io_err)?;
    let mut answer = [0u8; 1];
    if sock.read(&mut answer, None).map_err(io_err)? == 0 {
        return Err(PgError::Client("connection closed by the server".into()));
    }
    match answer[0] {
        b'S' => {
            let config = tls::config().map_err(PgError::Client)?;
            let deadline = Some(Instant::now() + CONNECT_TIMEOUT);
            let tls = TlsStream::connect(sock, &tls::server_name(&url.host), config, deadline)
                .map_err(|e| PgError::Client(format!("TLS handshake failed: {e}")))?;
            Ok(Stream::Tls(Box::new(tls)))
        }
        b'N' if url.sslmode == SslMode::Require => Err(PgError::Client(
            "server does not support SSL, but sslmode=require".into(),
        )),
        b'N' => Ok(Stream::Plain(sock)),
        _ => Err(PgError::Client("unexpected answer to SSL request".into())),
    }
}

/// The server error fields in the spec's structured form (§21).
pub fn server_error(fields: ErrorFields<'_>) -> PgError {
    let mut e = super::ServerError::default();
    let mut fields = fields;
    while let Ok(Some(f)) = fields.next() {
        let v = String::from_utf8_lossy(f.value_bytes()).into_owned();
        match f.type_() {
            b'C' => e.code = v,
            b'n' => e.constraint = v,
            b't' => e.table = v,
            b'c' => e.column = v,
            b'M' => e.message = v,
            _ => {}
        }
    }
    PgError::Server(e)
}

impl Conn {
    /// Connects and authenticates (the spec's `Pg.connect` errors).
    pub fn connect(url: &Url) -> Result<Conn, PgError> {
        let addrs = addresses(&url.host, url.port)
            .map_err(|_| PgError::Client("could not resolve host".into()))?;
        if addrs.is_empty() {
            return Err(PgError::Client("could not resolve host".into()));
        }
        let mut last = None;
        let mut sock = None;
        for a in &addrs {
            match TcpStream::connect_anywhere(*a, Some(Instant::now() + CONNECT_TIMEOUT)) {
                Ok(s) => {
                    sock = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let sock = sock.ok_or_else(|| {
            let why = last.map_or_else(|| "no address".to_string(), |e| e.to_string());
            PgError::Client(format!("could not connect to server: {why}"))
        })?;
        // Best effort: latency matters more than batching for request/response traffic.
        let _ = sock.set_nodelay(true);
        let sock = if url.sslmode != SslMode::Disable {
            negotiate_tls(sock, url)?
        } else {
            Stream::Plain(sock)
        };
        let mut conn = Conn {
            stream: sock,
            in_flight: false,
            prepared: HashMap::new(),
            next_statement: 1,
            rbuf: BytesMut::with_capacity(READ_CHUNK),
            chunk: vec![0; READ_CHUNK].into_boxed_slice(),
            wbuf: BytesMut::with_capacity(1024),
            status: b'I',
            broken: false,
            auth: AuthMethod::Trust,
            tls: false,
        };
        conn.tls = matches!(conn.stream, Stream::Tls(_));
        conn.startup(url)?;
        Ok(conn)
    }

    fn startup(&mut self, url: &Url) -> Result<(), PgError> {
        let params = [
            ("user", url.user.as_str()),
            ("database", url.database.as_str()),
            ("client_encoding", "UTF8"),
            ("application_name", "mesh"),
        ];
        frontend::startup_message(params.iter().copied(), &mut self.wbuf).map_err(io_err)?;
        self.send()?;
        let password = || {
            url.password
                .as_deref()
                .ok_or_else(|| PgError::Client("password required by the server".into()))
        };
        loop {
            match self.recv()? {
                Message::AuthenticationOk => break,
                Message::AuthenticationCleartextPassword => {
                    self.auth = AuthMethod::Cleartext;
                    frontend::password_message(password()?.as_bytes(), &mut self.wbuf)
                        .map_err(io_err)?;
                    self.send()?;
                }
                Message::AuthenticationMd5Password(body) => {
                    self.auth = AuthMethod::Md5;
                    let hash = md5_hash(url.user.as_bytes(), password()?.as_bytes(), body.salt());
                    frontend::password_message(hash.as_bytes(), &mut self.wbuf).map_err(io_err)?;
                    self.send()?;
                }
                Message::AuthenticationSasl(body) => {
                    self.auth = AuthMethod::Scram;
                    let mut mechs = body.mechanisms();
                    let mut scram = false;
                    while let Ok(Some(m)) = mechs.next() {
                        scram |= m == SCRAM_SHA_256;
                    }
                    if !scram {
                        return Err(PgError::Client(
                            "server does not support SCRAM-SHA-256".into(),
                        ));
                    }
                    self.scram(password()?)?;
                }
                Message::ErrorResponse(body) => {
                    let err = server_error(body.fields());
                    return Err(match self.auth {
                        AuthMethod::Md5 if err.is_auth_failure() => {
                            PgError::Client("MD5 authentication failed".into())
                        }
                        AuthMethod::Scram if err.is_auth_failure() => {
                            PgError::Client("SCRAM authentication failed".into())
                        }
                        _ => err,
                    });
                }
                Message::NoticeResponse(_) => {}
                _ => {
                    return Err(PgError::Client(
                        "unsupported authentication method requested by the server".into(),
                    ))
                }
            }
        }
        self.wait_ready()
    }

    fn scram(&mut self, password: &str) -> Result<(), PgError> {
        let failed = || PgError::Client("SCRAM authentication failed".into());
        // GS2 flag 'n' (the crate calls it `unsupported`): the client does not do channel
        // binding, valid with or without TLS and with servers offering -PLUS. ('y', its
        // `unrequested`, makes a -PLUS server reject the exchange as a downgrade.)
        let mut scram = ScramSha256::new(password.as_bytes(), ChannelBinding::unsupported());
        frontend::sasl_initial_response(SCRAM_SHA_256, scram.message(), &mut self.wbuf)
            .map_err(io_err)?;
        self.send()?;
        match self.recv()? {
            Message::AuthenticationSaslContinue(body) => {
                scram.update(body.data()).map_err(|_| failed())?
            }
            Message::ErrorResponse(_) => return Err(failed()),
            _ => return Err(failed()),
        }
        frontend::sasl_response(scram.message(), &mut self.wbuf).map_err(io_err)?;
        self.send()?;
        match self.recv()? {
            Message::AuthenticationSaslFinal(body) => {
                scram.finish(body.data()).map_err(|_| failed())
            }
            _ => Err(failed()),
        }
    }

    /// Reads the rest of the startup until ReadyForQuery; a server error there (e.g. an
    /// unknown database) ends the connection.
    fn wait_ready(&mut self) -> Result<(), PgError> {
        loop {
            match self.recv()? {
                Message::ReadyForQuery(body) => {
                    self.status = body.status();
                    return Ok(());
                }
                Message::ErrorResponse(body) => return Err(server_error(body.fields())),
                _ => {}
            }
        }
    }

    /// Runs one statement with text parameters (`$1, $2, …`) and returns its rows and count.
    ///
    /// A statement is prepared under a name the first time its SQL text runs on this
    /// connection (Parse, Bind, Describe, Execute in one round trip) and later runs as Bind and
    /// Execute only, with the result columns remembered from the first run. Should the server
    /// refuse a prepared statement because its table changed shape, the statement is dropped
    /// and, outside a transaction, run again freshly prepared.
    pub fn run(&mut self, sql: &str, params: &[String]) -> Result<Outcome, PgError> {
        if self.is_broken() {
            return Err(PgError::Client("connection is broken".into()));
        }
        if sql.contains('\0') {
            return Err(PgError::Client("SQL contains null byte".into()));
        }
        if params.iter().any(|p| p.contains('\0')) {
            return Err(PgError::Client("parameter contains null byte".into()));
        }
        let reused = self.prepared.contains_key(sql);
        self.in_flight = true;
        let r = self.run_checked(sql, params, reused);
        self.in_flight = false;
        r
    }

    fn run_checked(
        &mut self,
        sql: &str,
        params: &[String],
        reused: bool,
    ) -> Result<Outcome, PgError> {
        match self.run_once(sql, params) {
            Err(PgError::Server(e)) if reused && e.code == CACHED_PLAN_CHANGED => {
                self.forget_statement(sql);
                if self.in_transaction() {
                    Err(PgError::Server(e))
                } else {
                    self.run_once(sql, params)
                }
            }
            other => other,
        }
    }

    /// Drops a prepared statement; its Close goes out with the next message.
    fn forget_statement(&mut self, sql: &str) {
        if let Some(p) = self.prepared.remove(sql) {
            let _ = frontend::close(b'S', &p.name, &mut self.wbuf);
        }
    }

    fn run_once(&mut self, sql: &str, params: &[String]) -> Result<Outcome, PgError> {
        let no_types: [u32; 0] = [];
        let text = |p: &String, buf: &mut BytesMut| {
            buf.extend_from_slice(p.as_bytes());
            Ok(IsNull::No)
        };
        // `known`: the columns of an already prepared statement; `new_name`: the name under
        // which this run prepares the statement (None: unnamed, the cache is full).
        let (known, new_name) = match self.prepared.get(sql) {
            Some(p) => {
                frontend::bind(
                    "",
                    &p.name,
                    [0i16],
                    params.iter(),
                    text,
                    [0i16],
                    &mut self.wbuf,
                )
                .map_err(|_| PgError::Client("too many parameters".into()))?;
                (Some(p.columns.clone()), None)
            }
            None => {
                let name = if self.prepared.len() < STATEMENT_CACHE {
                    let n = self.next_statement;
                    self.next_statement += 1;
                    Some(format!("s{n}"))
                } else {
                    None
                };
                let stmt = name.as_deref().unwrap_or("");
                frontend::parse(stmt, sql, no_types, &mut self.wbuf).map_err(io_err)?;
                frontend::bind(
                    "",
                    stmt,
                    [0i16],
                    params.iter(),
                    text,
                    [0i16],
                    &mut self.wbuf,
                )
                .map_err(|_| PgError::Client("too many parameters".into()))?;
                frontend::describe(b'P', "", &mut self.wbuf).map_err(io_err)?;
                (None, name)
            }
        };
        frontend::execute("", 0, &mut self.wbuf).map_err(io_err)?;
        frontend::sync(&mut self.wbuf);
        self.send()?;
        let mut out = Outcome::default();
        let mut columns: Arc<[String]> = known.unwrap_or_else(|| Arc::from(Vec::new()));
        let mut parsed = false;
        let mut error = None;
        loop {
            match self.recv()? {
                Message::ParseComplete => parsed = true,
                Message::RowDescription(body) => {
                    let mut names = Vec::new();
                    let mut fields = body.fields();
                    while let Ok(Some(f)) = fields.next() {
                        names.push(f.name().to_string());
                    }
                    columns = Arc::from(names);
                }
                Message::DataRow(body) => {
                    let buf = body.buffer();
                    let mut values = Vec::with_capacity(columns.len());
                    let mut ranges = body.ranges();
                    while let Ok(Some(r)) = ranges.next() {
                        values.push(r.map(|r| String::from_utf8_lossy(&buf[r]).into_owned()));
                    }
                    out.rows.push(make_row(&columns, values));
                }
                Message::CommandComplete(body) => {
                    let tag = body.tag().unwrap_or("");
                    out.affected = tag
                        .rsplit(' ')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                }
                Message::ErrorResponse(body) => {
                    error.get_or_insert(server_error(body.fields()));
                }
                Message::ReadyForQuery(body) => {
                    self.status = body.status();
                    break;
                }
                _ => {}
            }
        }
        if let (Some(name), true) = (new_name, parsed) {
            // The server holds the statement now (even if executing it failed).
            self.prepared
                .insert(sql.to_string(), Prepared { name, columns });
        }
        match error {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    /// Whether the connection still looks usable without a round trip: no failure seen, and
    /// the socket has neither been closed by the server nor received anything unasked (a
    /// server that shuts down sends an error and closes). A peer that vanished without
    /// closing is only found by the next statement, as with any check.
    pub fn looks_alive(&self) -> bool {
        if self.is_broken() || !self.rbuf.is_empty() {
            return false;
        }
        // Nothing arrived since the last answer was read: no system call needed. (A hang-up
        // or a server message since then fires a readiness event, and then the socket is
        // asked.)
        if self.stream.socket().known_empty() {
            return true;
        }
        let mut byte = [0u8; 1];
        matches!(self.stream.socket().peek(&mut byte), Err(e) if e.kind() == io::ErrorKind::WouldBlock)
    }

    /// Whether a transaction is open (or failed) on this connection.
    pub fn in_transaction(&self) -> bool {
        self.status != b'I'
    }

    /// Whether an I/O or protocol failure (or a statement cut short) made the connection
    /// unusable.
    pub fn is_broken(&self) -> bool {
        self.broken || self.in_flight
    }

    /// Sends Terminate (best effort) and closes the socket.
    pub fn terminate(mut self) {
        if self.in_flight {
            // Cut short mid-exchange: just close.
            return;
        }
        frontend::terminate(&mut self.wbuf);
        let _ = self.send();
        if let Stream::Tls(s) = &mut self.stream {
            let _ = s.shutdown(None);
        }
    }

    fn send(&mut self) -> Result<(), PgError> {
        let r = self.stream.write_all(&self.wbuf);
        self.wbuf.clear();
        r.map_err(|e| {
            self.broken = true;
            io_err(e)
        })
    }

    fn recv(&mut self) -> Result<Message, PgError> {
        loop {
            match Message::parse(&mut self.rbuf) {
                Ok(Some(m)) => return Ok(m),
                Ok(None) => {}
                Err(e) => {
                    self.broken = true;
                    return Err(PgError::Client(format!("protocol error: {e}")));
                }
            }
            // Into the reusable chunk, then only the bytes read into the buffer (an answer is
            // usually far smaller than the chunk, which is not cleared again).
            match self.stream.read(&mut self.chunk) {
                Ok(0) => {
                    self.broken = true;
                    return Err(PgError::Client("connection closed by the server".into()));
                }
                Ok(n) => self.rbuf.extend_from_slice(&self.chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.broken = true;
                    return Err(io_err(e));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Answers a real server never gives (it always offers SCRAM-SHA-256 with SASL and
    //! TLS when configured), from a scripted peer on a loopback socket.
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A peer that reads what the client sends first and answers `reply`.
    fn peer(reply: Vec<u8>) -> u16 {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            if let Ok((mut s, _)) = l.accept() {
                let mut buf = [0u8; 512];
                let _ = s.read(&mut buf);
                let _ = s.write_all(&reply);
                let _ = s.read(&mut buf);
            }
        });
        port
    }

    fn connect(port: u16, query: &str) -> String {
        let url = Url::parse(&format!("postgres://u:pw@127.0.0.1:{port}/d{query}")).expect("url");
        match Conn::connect(&url) {
            Ok(_) => "connected".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn require_without_server_tls_fails() {
        let port = peer(b"N".to_vec());
        assert_eq!(
            connect(port, "?sslmode=require"),
            "server does not support SSL, but sslmode=require"
        );
    }

    #[test]
    fn sasl_without_scram_sha_256_fails() {
        // AuthenticationSASL (code 10) offering only SCRAM-SHA-256-PLUS.
        let mech = b"SCRAM-SHA-256-PLUS\0\0";
        let mut msg = vec![b'R'];
        msg.extend_from_slice(&((4 + 4 + mech.len()) as u32).to_be_bytes());
        msg.extend_from_slice(&10u32.to_be_bytes());
        msg.extend_from_slice(mech);
        let port = peer(msg);
        assert_eq!(
            connect(port, "?sslmode=disable"),
            "server does not support SCRAM-SHA-256"
        );
    }

    #[test]
    fn unsupported_methods_are_named() {
        // AuthenticationGSS (code 7).
        let mut msg = vec![b'R'];
        msg.extend_from_slice(&8u32.to_be_bytes());
        msg.extend_from_slice(&7u32.to_be_bytes());
        let port = peer(msg);
        assert_eq!(
            connect(port, "?sslmode=disable"),
            "unsupported authentication method requested by the server"
        );
    }
}

//! The HTTP server's socket loop (stdlib §18.1, §18.5): `HTTP.serve` binds `[::]:port`, the
//! calling process accepts, every connection is a process of its own driving `conn::Conn`
//! over `net/`, and every request runs in a process of its own (spawned per request; the
//! connection's process parks until the reply), so a panic in a handler is a `500` for that
//! request only. What a request runs is the `App` the caller passes: the Mesh bindings
//! (`abi/http.rs`) route it and call the Mesh closures; Rust tests pass plain functions.
//!
//! `HTTP.serve_tls` is the same loop with a TLS handshake (`net::tls::TlsStream::accept`) at the
//! start of each connection's process: a failed or slow handshake ends only that connection.
//!
//! Graceful shutdown (runtime-cluster §11) is in `shutdown.rs`: SIGTERM/SIGINT stop accepting,
//! let requests in flight finish (up to `MESH_SHUTDOWN_GRACE_MS`, default 5 000) and exit 0.

use super::conn::{Action, Conn};
use super::request::Request;
use super::response::{self, Response};
use super::shutdown;
use super::Limits;
use crate::net::tls::{self, TlsStream};
use crate::net::{NetError, TcpListener, TcpStream};
use crate::sched;
use std::io::Write;
use std::net::{Ipv6Addr, Shutdown, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a request runs, inside its own process: the response to send.
pub type App = dyn Fn(Request) -> Response + Send + Sync;

/// How long writing one response may take before the connection is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// After a refused head, how long the server keeps reading (and discarding) what the client
/// still sends, so the close does not reset the connection before the answer is read.
const LINGER: Duration = Duration::from_secs(2);
/// Pause after a failed `accept` (out of descriptors, …) before trying again.
const ACCEPT_BACKOFF_MS: i64 = 10;

/// `HTTP.serve`: binds `[::]:port` (dual-stack), logs the listening line and serves on the
/// calling process until graceful shutdown begins; then parks (the shutdown thread ends the
/// program). A bind failure logs the spec's line and exits with status 1.
pub fn serve(port: i64, app: Arc<App>) {
    run(port, app, None);
}

/// `HTTP.serve_tls`: `serve` over TLS 1.2/1.3 with the PEM certificate chain at `cert_path`
/// and the private key at `key_path`. A file that cannot be read or used is logged as a
/// failure to start (the bind failure's line, the reason naming the file) and exits with 1.
pub fn serve_tls(port: i64, app: Arc<App>, cert_path: &str, key_path: &str) {
    match tls::server_config(cert_path, key_path) {
        Ok(config) => run(port, app, Some(config)),
        Err(e) => fail_to_start(port, &e.to_string()),
    }
}

fn run(port: i64, app: Arc<App>, tls: Option<Arc<rustls::ServerConfig>>) {
    let listener = match u16::try_from(port) {
        Ok(p) => TcpListener::bind(SocketAddr::from((Ipv6Addr::UNSPECIFIED, p)))
            .map_err(|e| e.to_string()),
        Err(_) => Err(format!("invalid port {port}")),
    };
    let listener = match listener {
        Ok(listener) => listener,
        Err(reason) => fail_to_start(port, &reason),
    };
    // Handlers first: whoever waits for the listening line may signal right after it.
    shutdown::install(&listener);
    eprintln!("{}", listening_line(port));
    // Startup work is triggered right after the listening line (runtime-cluster §4.2).
    crate::cluster::runtime::trigger_startup();
    accept_loop(&listener, &app, tls.as_ref());
    // Shutting down: the shutdown thread exits once requests in flight are done.
    loop {
        sched::park(None);
    }
}

/// Logs the spec's failure line and exits with status 1.
fn fail_to_start(port: i64, reason: &str) -> ! {
    let _ = std::io::stdout().flush();
    eprintln!("{}", bind_failure_line(port, reason));
    std::process::exit(1);
}

fn listening_line(port: i64) -> String {
    match u16::try_from(port) {
        Ok(p) => response::listening_line(p),
        Err(_) => format!("[mesh-rt] HTTP server listening on [::]:{port}"),
    }
}

fn bind_failure_line(port: i64, reason: &str) -> String {
    match u16::try_from(port) {
        Ok(p) => response::bind_failure_line(p, reason),
        Err(_) => format!("[mesh-rt] Failed to start HTTP server on [::]:{port}: {reason}"),
    }
}

/// Accepts connections until graceful shutdown begins, one process per connection (which
/// first completes a TLS handshake when `tls` is given).
pub fn accept_loop(
    listener: &TcpListener,
    app: &Arc<App>,
    tls: Option<&Arc<rustls::ServerConfig>>,
) {
    while !shutdown::started() {
        match listener.accept(None) {
            Ok((stream, _peer)) => {
                let app = Arc::clone(app);
                match tls {
                    None => crate::actor::spawn_native("http connection", move || {
                        tcp_connection(stream, app);
                    }),
                    Some(config) => {
                        let config = Arc::clone(config);
                        crate::actor::spawn_native("https connection", move || {
                            tls_connection(stream, config, app);
                        })
                    }
                };
            }
            Err(_) if shutdown::started() => return,
            Err(_) => sched::park(Some(sched::deadline_after(ACCEPT_BACKOFF_MS))),
        }
    }
}

/// The byte stream under a connection: TCP, or TLS over TCP.
trait Stream {
    fn read(&mut self, buf: &mut [u8], deadline: Option<Instant>) -> Result<usize, NetError>;
    fn write_all(&mut self, buf: &[u8], deadline: Option<Instant>) -> Result<(), NetError>;
    /// Ends the sending side (TLS: close_notify first).
    fn close_write(&mut self, deadline: Option<Instant>) -> Result<(), NetError>;
}

impl Stream for TcpStream {
    fn read(&mut self, buf: &mut [u8], deadline: Option<Instant>) -> Result<usize, NetError> {
        TcpStream::read(self, buf, deadline)
    }

    fn write_all(&mut self, buf: &[u8], deadline: Option<Instant>) -> Result<(), NetError> {
        TcpStream::write_all(self, buf, deadline)
    }

    fn close_write(&mut self, _deadline: Option<Instant>) -> Result<(), NetError> {
        self.shutdown(Shutdown::Write)
    }
}

impl Stream for TlsStream {
    fn read(&mut self, buf: &mut [u8], deadline: Option<Instant>) -> Result<usize, NetError> {
        TlsStream::read(self, buf, deadline)
    }

    fn write_all(&mut self, buf: &[u8], deadline: Option<Instant>) -> Result<(), NetError> {
        TlsStream::write_all(self, buf, deadline)
    }

    fn close_write(&mut self, deadline: Option<Instant>) -> Result<(), NetError> {
        self.shutdown(deadline)
    }
}

/// A TLS connection's process: the handshake (bounded by the idle timeout: a client that
/// sends nothing, or garbage, ends only this process), then the HTTP loop over TLS.
fn tls_connection(tcp: TcpStream, config: Arc<rustls::ServerConfig>, app: Arc<App>) {
    let _ = tcp.set_nodelay(true);
    let deadline = Instant::now() + Duration::from_millis(Limits::DEFAULT.idle_timeout_ms);
    if let Ok(stream) = TlsStream::accept(tcp, config, Some(deadline)) {
        connection(stream, app);
    }
}

/// One connection's process: reads, dispatches each request to a process of its own, writes
/// the responses in order, closes as `Conn` says.
fn tcp_connection(stream: TcpStream, app: Arc<App>) {
    let _ = stream.set_nodelay(true);
    connection(stream, app);
}

fn connection<S: Stream>(mut stream: S, app: Arc<App>) {
    // The times `Conn` and the deadlines need (idle and write timeouts of 30 s) come from
    // the coarse clock (ns, `sched::now_ns`'s scale; a tick's precision, no time-stamp
    // counter read), read once after each wait (a read, a request), not at every use.
    let epoch = sched::coarse_now_ns();
    let mut now = epoch;
    let ms = |at: u64| at.saturating_sub(epoch) / 1_000_000;
    let at = |ns: u64| Some(sched::instant_at(ns));
    let write_timeout = WRITE_TIMEOUT.as_nanos() as u64;
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    // Reused by every request of the connection: the reply slot its request processes fill,
    // and the bytes of each response.
    let reply = Arc::new(ReplySlot::default());
    let mut out = Vec::new();
    loop {
        if shutdown::started() {
            conn.shutdown();
        }
        match conn.poll(ms(now)) {
            Action::Read { deadline_ms } => {
                let deadline = epoch.saturating_add(deadline_ms.saturating_mul(1_000_000));
                let read = stream.read(conn.read_room(0), at(deadline));
                now = sched::coarse_now_ns();
                match read {
                    Ok(0) => conn.peer_closed(),
                    Ok(n) => conn.filled(n, ms(now)),
                    // The precise clock passed the deadline; the coarse one may lag a tick.
                    Err(NetError::TimedOut) => now = now.max(deadline),
                    Err(_) => return,
                }
            }
            Action::Write(bytes) => {
                if stream.write_all(bytes, at(now + write_timeout)).is_err() {
                    return;
                }
            }
            Action::Dispatch(request) => {
                let _in_flight = shutdown::InFlight::enter();
                let response = run_request(&app, &reply, request);
                if shutdown::started() {
                    conn.shutdown();
                }
                now = sched::coarse_now_ns();
                out.clear();
                let close_after =
                    with_date(|date| conn.respond(&response, Some(date), ms(now), &mut out));
                if stream.write_all(&out, at(now + write_timeout)).is_err() {
                    return;
                }
                if close_after {
                    return close(stream);
                }
            }
            Action::WriteAndClose(bytes) => {
                let _ = stream.write_all(&bytes, at(now + write_timeout));
                return close(stream);
            }
            // Responses are produced synchronously above, so a request is never left in
            // flight when the loop polls again.
            Action::AwaitResponse | Action::Close => return close(stream),
        }
    }
}

/// Closes after a last response: ends the sending side, then reads what the client still
/// sends (briefly) so the kernel does not answer it with a reset that could destroy the
/// response before the client read it.
fn close<S: Stream>(mut stream: S) {
    let deadline = Some(Instant::now() + LINGER);
    if stream.close_write(deadline).is_err() {
        return;
    }
    let mut sink = [0u8; 4096];
    let mut left: usize = 64 * 1024;
    while left > 0 {
        match stream.read(&mut sink, deadline) {
            Ok(n) if n > 0 => left = left.saturating_sub(n),
            _ => return,
        }
    }
}

/// Where a request's process leaves its response for the connection's process. One per
/// connection: it handles one request at a time, and takes each response out before the
/// next request is dispatched.
#[derive(Default)]
pub struct ReplySlot(Mutex<ReplyState>);

#[derive(Default)]
struct ReplyState {
    response: Option<Response>,
    /// The connection's process, once it parks for the response: the request's process
    /// wakes it when it leaves one. Usually never set: the request's process runs first and
    /// answers before the connection looks (see `run_request`).
    waiter: Option<std::task::Waker>,
}

impl ReplySlot {
    fn lock(&self) -> std::sync::MutexGuard<'_, ReplyState> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs `app` on `request` in a new process and returns its response, left in `slot`; a
/// crash of that process answers `500 Internal Server Error`. The process runs at once on
/// this thread (`spawn_native_here`): one that does not wait for anything (most handlers)
/// has answered when it returns here, and the connection's process goes on without parking;
/// otherwise it parks until the response comes.
pub fn run_request(app: &Arc<App>, slot: &Arc<ReplySlot>, request: Request) -> Response {
    let reply = Reply {
        slot: Arc::clone(slot),
        sent: false,
    };
    let app = Arc::clone(app);
    crate::actor::spawn_native_here("http request", move || {
        let mut reply = reply;
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app(request)));
        reply.send(run.unwrap_or_else(|_| Response::internal_error()));
    });
    loop {
        {
            let mut state = slot.lock();
            if let Some(response) = state.response.take() {
                state.waiter = None;
                return response;
            }
            let Some(waker) = sched::current_waker() else {
                return Response::internal_error();
            };
            state.waiter = Some(waker);
        }
        sched::park(None);
    }
}

/// The request process's side of the reply: sends a `500` if dropped without a response.
struct Reply {
    slot: Arc<ReplySlot>,
    sent: bool,
}

impl Reply {
    fn send(&mut self, response: Response) {
        self.sent = true;
        let waiter = {
            let mut state = self.slot.lock();
            state.response = Some(response);
            state.waiter.take()
        };
        if let Some(waker) = waiter {
            waker.wake();
        }
    }
}

impl Drop for Reply {
    fn drop(&mut self) {
        // Only when the process ended without answering: the 500 is built only then.
        if !self.sent {
            self.send(Response::internal_error());
        }
    }
}

thread_local! {
    /// The `Date` value of the current second, reused by every response in that second.
    static DATE: std::cell::RefCell<(u64, String)> = const { std::cell::RefCell::new((u64::MAX, String::new())) };
}

/// Calls `f` with the `Date` header value now.
fn with_date<R>(f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 32];
    let len = date_now(&mut buf);
    f(std::str::from_utf8(&buf[..len]).unwrap_or(""))
}

/// Writes the `Date` header value now into `buf` (from this thread's cache of the current
/// second) and returns its length. Never inlined: the connection loop that calls it suspends
/// and may resume on another thread, and a thread-local's address computed before that in
/// the same function would then be another thread's (two threads in one `RefCell`: the
/// "already borrowed" panics seen under load).
/// The second comes from the coarse wall clock (changes up to a tick late).
#[inline(never)]
fn date_now(buf: &mut [u8; 32]) -> usize {
    let secs = sched::coarse_unix_secs();
    DATE.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.0 != secs {
            *cached = (secs, response::http_date(secs));
        }
        let len = cached.1.len().min(buf.len());
        buf[..len].copy_from_slice(&cached.1.as_bytes()[..len]);
        len
    })
}

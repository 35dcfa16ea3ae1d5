//! TCP for Mesh processes: non-blocking sockets registered with the poller; an operation that
//! would block parks only the calling process (never its worker thread) until the socket is
//! ready or the deadline passes.
//!
//! Every operation that may wait takes a deadline (`None`: no limit) and must run in a Mesh
//! process (a coroutine on the scheduler): outside one it fails with
//! [`NetError::NotInProcess`] instead of blocking a thread. A process waiting on a socket
//! keeps the program running (a server's acceptor does not end with `main`).
//!
//! ```ignore
//! let listener = TcpListener::bind("127.0.0.1:0".parse()?)?;
//! let (mut conn, _peer) = listener.accept(None)?;
//! let n = conn.read(&mut buf, Some(Instant::now() + Duration::from_secs(5)))?;
//! conn.write_all(&buf[..n], None)?;
//! ```

use super::poller::{poller, Direction, Readiness};
use crate::sched;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Why a socket operation failed.
#[derive(Debug)]
pub enum NetError {
    /// The deadline passed before the socket was ready.
    TimedOut,
    /// The operation had to wait but was not called from a Mesh process.
    NotInProcess,
    /// The system's error (connection refused or reset, address in use, ...).
    Io(io::Error),
}

impl NetError {
    /// The error as an `io::ErrorKind` (`TimedOut` for a deadline).
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            NetError::TimedOut => io::ErrorKind::TimedOut,
            NetError::NotInProcess => io::ErrorKind::Unsupported,
            NetError::Io(e) => e.kind(),
        }
    }
}

impl std::fmt::Display for NetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetError::TimedOut => f.write_str("timed out"),
            NetError::NotInProcess => f.write_str("socket operation outside a Mesh process"),
            NetError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for NetError {}

impl From<io::Error> for NetError {
    fn from(e: io::Error) -> NetError {
        NetError::Io(e)
    }
}

/// The scheduler's clock value (ns) of `deadline` (no clock read).
fn deadline_ns(deadline: Instant) -> u64 {
    sched::ns_at(deadline)
}

/// A wait on a socket in progress: keeps the program busy, and forgets the waiter if the
/// wait ends otherwise than by readiness (a deadline, an exit signal unwinding).
struct Waiting<'a> {
    ready: &'a Readiness,
    dir: Direction,
    /// Counted in `busy` (not a daemon process's wait).
    counted: bool,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.ready.cancel(self.dir);
        if self.counted {
            sched::busy_sub(1);
        }
    }
}

/// Parks the calling process until `dir` may be ready (returns `Ok`: try the I/O again) or
/// the deadline passes.
fn wait(ready: &Readiness, dir: Direction, deadline: Option<Instant>) -> Result<(), NetError> {
    let waker = sched::current_waker().ok_or(NetError::NotInProcess)?;
    let at = deadline.map(deadline_ns);
    // A daemon's socket wait (node distribution) does not keep the program running. A wait
    // with a deadline keeps it busy already (see `sched::park`), so only one without needs
    // counting (a connection's reads have the idle deadline: no shared counter touched).
    let counted = at.is_none() && !sched::current().is_some_and(|p| p.daemon.get());
    if counted {
        sched::busy_add(1);
    }
    let _waiting = Waiting {
        ready,
        dir,
        counted,
    };
    // The first park does not look at the clock: a deadline already passed makes it return
    // at once (`sched::park`), and the next round reports it.
    let mut parked = false;
    loop {
        if ready.take_or_wait(dir, &waker) {
            return Ok(());
        }
        if parked && at.is_some_and(|at| at <= sched::now_ns()) {
            return Err(NetError::TimedOut);
        }
        sched::park(at);
        parked = true;
    }
}

/// Runs `op` until it does not report `WouldBlock`, waiting for `dir` in between.
fn retry<T>(
    ready: &Readiness,
    dir: Direction,
    deadline: Option<Instant>,
    mut op: impl FnMut() -> io::Result<T>,
) -> Result<T, NetError> {
    loop {
        match op() {
            Ok(v) => return Ok(v),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => wait(ready, dir, deadline)?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(NetError::Io(e)),
        }
    }
}

/// A listening socket.
pub struct TcpListener {
    inner: mio::net::TcpListener,
    ready: Arc<Readiness>,
}

impl TcpListener {
    /// Listens on `addr` (port 0: a free port, see [`local_addr`](Self::local_addr)).
    pub fn bind(addr: SocketAddr) -> Result<TcpListener, NetError> {
        let mut inner = mio::net::TcpListener::bind(addr)?;
        let ready = poller().register(&mut inner)?;
        Ok(TcpListener { inner, ready })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Result<SocketAddr, NetError> {
        Ok(self.inner.local_addr()?)
    }

    /// Waits for the next connection (until `deadline`).
    pub fn accept(&self, deadline: Option<Instant>) -> Result<(TcpStream, SocketAddr), NetError> {
        let (stream, peer) = retry(&self.ready, Direction::Read, deadline, || {
            self.inner.accept()
        })?;
        Ok((TcpStream::new(stream)?, peer))
    }
}

impl std::os::fd::AsRawFd for TcpListener {
    /// The socket's descriptor (graceful shutdown shuts the listener down from a signal
    /// thread, which wakes the accepting process with an error).
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        std::os::fd::AsRawFd::as_raw_fd(&self.inner)
    }
}

impl Drop for TcpListener {
    fn drop(&mut self) {
        poller().deregister(&mut self.inner, &self.ready);
    }
}

/// A connected socket.
pub struct TcpStream {
    inner: mio::net::TcpStream,
    ready: Arc<Readiness>,
    /// The last read returned less than asked: the socket was empty then, so the next read
    /// waits for a readiness event before trying (a request/response exchange saves the
    /// `read` that would fail with `WouldBlock`). Sound with edge-triggered events: bytes
    /// arriving after that read fire an event after it. Not once an event has reported a
    /// hang-up (`Readiness::closed`): the end of the stream may be pending behind the bytes
    /// read, announced only by the event already consumed before that read.
    /// Atomic so that a reader and a writer may share one stream (`&self` methods; node
    /// sessions read and write from two processes).
    drained: AtomicBool,
}

impl TcpStream {
    fn new(mut inner: mio::net::TcpStream) -> Result<TcpStream, NetError> {
        let ready = poller().register(&mut inner)?;
        Ok(TcpStream {
            inner,
            ready,
            drained: AtomicBool::new(false),
        })
    }

    /// Connects to `addr`, waiting until the connection is established (or refused) or the
    /// deadline passes.
    pub fn connect(addr: SocketAddr, deadline: Option<Instant>) -> Result<TcpStream, NetError> {
        let stream = TcpStream::new(mio::net::TcpStream::connect(addr)?)?;
        // A non-blocking connect completes when the socket becomes writable: then either an
        // error is pending or the peer address is known.
        loop {
            if let Some(e) = stream.inner.take_error()? {
                return Err(NetError::Io(e));
            }
            match stream.inner.peer_addr() {
                Ok(_) => return Ok(stream),
                Err(e) if e.kind() == io::ErrorKind::NotConnected => {}
                Err(e) => return Err(NetError::Io(e)),
            }
            wait(&stream.ready, Direction::Write, deadline)?;
        }
    }

    /// Reads what is available into `buf` (waiting for some until `deadline`): the number of
    /// bytes read, 0 at the end of the stream.
    pub fn read(&self, buf: &mut [u8], deadline: Option<Instant>) -> Result<usize, NetError> {
        if self.drained.swap(false, Ordering::Relaxed) && !buf.is_empty() && !self.ready.closed() {
            // Returns at once when an event came since that read (then read), else parks.
            wait(&self.ready, Direction::Read, deadline)?;
        }
        let (mut inner, ready) = (&self.inner, &self.ready);
        let n = retry(ready, Direction::Read, deadline, || inner.read(buf))?;
        self.drained
            .store(n > 0 && n < buf.len(), Ordering::Relaxed);
        Ok(n)
    }

    /// Writes some of `buf` (waiting for room until `deadline`): the number of bytes written.
    pub fn write(&self, buf: &[u8], deadline: Option<Instant>) -> Result<usize, NetError> {
        let (mut inner, ready) = (&self.inner, &self.ready);
        retry(ready, Direction::Write, deadline, || inner.write(buf))
    }

    /// Writes all of `buf`, all of it before `deadline` or a `TimedOut` error (some bytes may
    /// have been sent then).
    pub fn write_all(&self, mut buf: &[u8], deadline: Option<Instant>) -> Result<(), NetError> {
        while !buf.is_empty() {
            match self.write(buf, deadline)? {
                0 => return Err(NetError::Io(io::ErrorKind::WriteZero.into())),
                n => buf = &buf[n..],
            }
        }
        Ok(())
    }

    /// Shuts down the reading, writing or both halves (the peer reads the end of the stream
    /// after a write shutdown).
    pub fn shutdown(&self, how: Shutdown) -> Result<(), NetError> {
        Ok(self.inner.shutdown(how)?)
    }

    pub fn peer_addr(&self) -> Result<SocketAddr, NetError> {
        Ok(self.inner.peer_addr()?)
    }

    pub fn local_addr(&self) -> Result<SocketAddr, NetError> {
        Ok(self.inner.local_addr()?)
    }

    /// Sends small writes at once (disables Nagle's algorithm).
    pub fn set_nodelay(&self, on: bool) -> Result<(), NetError> {
        Ok(self.inner.set_nodelay(on)?)
    }
}

impl Drop for TcpStream {
    fn drop(&mut self) {
        poller().deregister(&mut self.inner, &self.ready);
    }
}

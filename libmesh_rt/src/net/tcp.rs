//! TCP for Mesh processes: non-blocking sockets registered with the poller; an operation that
//! would block parks only the calling process (never its worker thread) until the socket is
//! ready or the deadline passes.
//!
//! Every operation that may wait takes a deadline (`None`: no limit) and must run in a Mesh
//! process (a coroutine on the scheduler): outside one it fails with
//! [`NetError::NotInProcess`] instead of blocking a thread, except on a stream made with
//! [`TcpStream::connect_anywhere`] (the PostgreSQL client, whose Rust API also serves the CLI
//! and tests from plain threads): there a wait outside a process blocks the calling thread in
//! `poll(2)` on the descriptor. A process waiting on a socket keeps the program running (a
//! server's acceptor does not end with `main`).
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
use std::os::fd::{AsRawFd, RawFd};
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
    /// The wait ended by readiness: the waker is not registered any more (an event that
    /// set the readiness bit took it, or it was never registered), nothing to cancel.
    ready_seen: bool,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if !self.ready_seen {
            self.ready.cancel(self.dir);
        }
        if self.counted {
            sched::busy_sub(1);
        }
    }
}

/// Parks the calling process until `dir` may be ready (returns `Ok`: try the I/O again) or
/// the deadline passes. Outside a process: blocks the thread in `poll(2)` on `thread_fd` when
/// given, else fails with `NotInProcess`.
fn wait(
    ready: &Readiness,
    dir: Direction,
    deadline: Option<Instant>,
    thread_fd: Option<RawFd>,
) -> Result<(), NetError> {
    let Some(waker) = sched::current_waker() else {
        return match thread_fd {
            Some(fd) => wait_thread(fd, dir, deadline),
            None => Err(NetError::NotInProcess),
        };
    };
    let at = deadline.map(deadline_ns);
    // A daemon's socket wait (node distribution) does not keep the program running. A wait
    // with a deadline keeps it busy already (see `sched::park`), so only one without needs
    // counting (a connection's reads have the idle deadline: no shared counter touched).
    let counted = at.is_none() && !sched::current().is_some_and(|p| p.daemon.get());
    if counted {
        sched::busy_add(1);
    }
    let mut waiting = Waiting {
        ready,
        dir,
        counted,
        ready_seen: false,
    };
    // The first park does not look at the clock: a deadline already passed makes it return
    // at once (`sched::park`), and the next round reports it.
    let mut parked = false;
    loop {
        if ready.take_or_wait(dir, &waker) {
            waiting.ready_seen = true;
            return Ok(());
        }
        if parked && at.is_some_and(|at| at <= sched::now_ns()) {
            return Err(NetError::TimedOut);
        }
        sched::park(at);
        parked = true;
    }
}

/// `struct pollfd` of `poll(2)`.
#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

extern "C" {
    fn poll(fds: *mut PollFd, nfds: u64, timeout: i32) -> i32;
}

/// A thread's wait (not a process's) for `dir` on `fd`: `poll(2)`, level-triggered, so it
/// returns at once when the socket is already ready. Readiness events the poller records
/// meanwhile only cost a process a spurious retry later.
fn wait_thread(fd: RawFd, dir: Direction, deadline: Option<Instant>) -> Result<(), NetError> {
    const POLLIN: i16 = 0x1;
    const POLLOUT: i16 = 0x4;
    loop {
        let timeout = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(NetError::TimedOut);
                }
                // Rounded up, so a wait never ends just before its deadline.
                i32::try_from(left.as_millis() + 1).unwrap_or(i32::MAX)
            }
        };
        let mut p = PollFd {
            fd,
            events: if dir == Direction::Read {
                POLLIN
            } else {
                POLLOUT
            },
            revents: 0,
        };
        // SAFETY: one valid pollfd; `fd` is the caller's open socket.
        let n = unsafe { poll(&mut p, 1, timeout) };
        if n > 0 {
            // Readable, writable, an error or a hang-up: the retried I/O reports which.
            return Ok(());
        }
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(NetError::Io(e));
            }
        }
    }
}

/// Runs `op` until it does not report `WouldBlock`, waiting for `dir` in between (see
/// [`wait`] for `thread_fd`).
fn retry<T>(
    ready: &Readiness,
    dir: Direction,
    deadline: Option<Instant>,
    thread_fd: Option<RawFd>,
    mut op: impl FnMut() -> io::Result<T>,
) -> Result<T, NetError> {
    loop {
        match op() {
            Ok(v) => return Ok(v),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                wait(ready, dir, deadline, thread_fd)?
            }
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
        let (stream, peer) = retry(&self.ready, Direction::Read, deadline, None, || {
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
    /// Outside a process, a wait blocks the thread ([`TcpStream::connect_anywhere`]).
    thread_wait: bool,
}

impl TcpStream {
    fn new(mut inner: mio::net::TcpStream) -> Result<TcpStream, NetError> {
        let ready = poller().register(&mut inner)?;
        Ok(TcpStream {
            inner,
            ready,
            drained: AtomicBool::new(false),
            thread_wait: false,
        })
    }

    /// The descriptor to `poll(2)` when a wait happens outside a process, if allowed.
    fn thread_fd(&self) -> Option<RawFd> {
        self.thread_wait.then(|| self.inner.as_raw_fd())
    }

    /// Connects to `addr`, waiting until the connection is established (or refused) or the
    /// deadline passes.
    pub fn connect(addr: SocketAddr, deadline: Option<Instant>) -> Result<TcpStream, NetError> {
        TcpStream::connect_with(addr, deadline, false)
    }

    /// [`connect`](Self::connect) for a stream also used outside processes: there, this and
    /// every later wait on the stream blocks the calling thread instead of failing with
    /// `NotInProcess`; in a process it parks the process as usual.
    pub fn connect_anywhere(
        addr: SocketAddr,
        deadline: Option<Instant>,
    ) -> Result<TcpStream, NetError> {
        TcpStream::connect_with(addr, deadline, true)
    }

    fn connect_with(
        addr: SocketAddr,
        deadline: Option<Instant>,
        thread_wait: bool,
    ) -> Result<TcpStream, NetError> {
        let mut stream = TcpStream::new(mio::net::TcpStream::connect(addr)?)?;
        stream.thread_wait = thread_wait;
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
            wait(
                &stream.ready,
                Direction::Write,
                deadline,
                stream.thread_fd(),
            )?;
        }
    }

    /// Reads what is available into `buf` (waiting for some until `deadline`): the number of
    /// bytes read, 0 at the end of the stream.
    pub fn read(&self, buf: &mut [u8], deadline: Option<Instant>) -> Result<usize, NetError> {
        if self.drained.swap(false, Ordering::Relaxed) && !buf.is_empty() && !self.ready.closed() {
            // Returns at once when an event came since that read (then read), else parks.
            wait(&self.ready, Direction::Read, deadline, self.thread_fd())?;
        }
        let (mut inner, ready) = (&self.inner, &self.ready);
        let n = retry(ready, Direction::Read, deadline, self.thread_fd(), || {
            inner.read(buf)
        })?;
        self.drained
            .store(n > 0 && n < buf.len(), Ordering::Relaxed);
        Ok(n)
    }

    /// Writes some of `buf` (waiting for room until `deadline`): the number of bytes written.
    pub fn write(&self, buf: &[u8], deadline: Option<Instant>) -> Result<usize, NetError> {
        let (mut inner, ready) = (&self.inner, &self.ready);
        retry(ready, Direction::Write, deadline, self.thread_fd(), || {
            inner.write(buf)
        })
    }

    /// Whether the socket is known to hold nothing to read, without asking the kernel: the
    /// last read took all there was, and no readiness event (new bytes, a hang-up, an error)
    /// came since. Only known in a process: the scheduler's workers are what collect the
    /// poller's events (outside one, a thread may be the only thing running). `false` means
    /// "ask" ([`peek`](Self::peek)), not "there is something".
    pub fn known_empty(&self) -> bool {
        self.drained.load(Ordering::Relaxed)
            && self.ready.quiet(Direction::Read)
            && sched::current().is_some()
    }

    /// Looks at the bytes waiting to be read without taking them and without waiting
    /// (`WouldBlock` when there are none; 0 at the end of the stream).
    pub fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.peek(buf)
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

    /// Writes all of `bufs` in order (gathered: one system call for many pieces while the
    /// socket takes them), all before `deadline` or a `TimedOut` error. At most 1,024 pieces.
    pub fn write_all_vectored(
        &self,
        mut bufs: &mut [io::IoSlice<'_>],
        deadline: Option<Instant>,
    ) -> Result<(), NetError> {
        io::IoSlice::advance_slices(&mut bufs, 0);
        while !bufs.is_empty() {
            let (mut inner, ready) = (&self.inner, &self.ready);
            let n = retry(ready, Direction::Write, deadline, self.thread_fd(), || {
                inner.write_vectored(bufs)
            })?;
            if n == 0 {
                return Err(NetError::Io(io::ErrorKind::WriteZero.into()));
            }
            io::IoSlice::advance_slices(&mut bufs, n);
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

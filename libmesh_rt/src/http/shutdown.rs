//! Graceful shutdown of the HTTP server (runtime-cluster §11).
//!
//! `install` (called by `HTTP.serve` once bound) sets SIGTERM and SIGINT handlers that write
//! the signal number to a self-pipe (a Unix socket pair: `write` is async-signal-safe); a
//! thread reads it. At the first signal the thread marks shutdown as started and shuts the
//! listener down (`shutdown(2)` on a listening socket stops it accepting and wakes the
//! accepting process with an error), then a second thread waits until no request is in
//! flight (or `MESH_SHUTDOWN_GRACE_MS`, default 5 000 ms, passed) and exits the program with
//! status 0. Connections answer the request in flight with `Connection: close` and close at
//! their next poll. A second signal exits at once with 128 + the signal (130 for SIGINT,
//! 143 for SIGTERM).

use crate::net::TcpListener;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, IntoRawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, Once};
use std::time::Duration;

const SIGINT: i32 = 2;
const SIGTERM: i32 = 15;
const SHUT_RDWR: i32 = 2;
/// Default bound on waiting for requests in flight (runtime-cluster §11).
const DEFAULT_GRACE_MS: u64 = 5_000;

extern "C" {
    fn signal(signum: i32, handler: usize) -> usize;
    fn write(fd: i32, buf: *const u8, count: usize) -> isize;
    fn shutdown(fd: i32, how: i32) -> i32;
}

static STARTED: AtomicBool = AtomicBool::new(false);
/// The write end of the self-pipe (-1 before `install`).
static PIPE: AtomicI32 = AtomicI32::new(-1);
/// The listening socket to shut down (-1 before `install`).
static LISTENER: AtomicI32 = AtomicI32::new(-1);
/// Requests in flight. Counted without a lock: the drain thread is told (under `IDLE_LOCK`)
/// only when the count falls to zero after shutdown began, so serving costs no system call.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static IDLE_LOCK: Mutex<()> = Mutex::new(());
static IDLE: Condvar = Condvar::new();

/// Whether graceful shutdown has begun.
pub fn started() -> bool {
    STARTED.load(Ordering::Acquire)
}

/// A request in flight (from its dispatch until its response is written).
pub struct InFlight(());

impl InFlight {
    pub fn enter() -> InFlight {
        IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
        InFlight(())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // The last request out after shutdown began tells the drain thread. Either this load
        // sees `STARTED` (set before the drain thread first reads the count), or the drain
        // thread's read of the count comes after this decrement and sees zero.
        if IN_FLIGHT.fetch_sub(1, Ordering::SeqCst) == 1 && STARTED.load(Ordering::SeqCst) {
            let _g = IDLE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
            IDLE.notify_all();
        }
    }
}

extern "C" fn on_signal(signum: i32) {
    let fd = PIPE.load(Ordering::Relaxed);
    if fd >= 0 {
        let byte = signum as u8;
        // SAFETY: `write` is async-signal-safe; `byte` is a valid one-byte buffer.
        let _ = unsafe { write(fd, &byte, 1) };
    }
}

/// Installs the signal handlers (once per program) for the server listening on `listener`.
pub fn install(listener: &TcpListener) {
    LISTENER.store(listener.as_raw_fd(), Ordering::Release);
    install_handlers();
}

/// Installs the signal handlers for a program that keeps running without an HTTP listener
/// (a cluster node after `main` returned, runtime-cluster §4.2): the first SIGTERM/SIGINT
/// exits with status 0 once no request is in flight (its node sessions close with the
/// process, so peers see a closed socket, §11).
pub fn install_without_listener() {
    install_handlers();
}

fn install_handlers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let Ok((rx, tx)) = UnixStream::pair() else {
            eprintln!("[mesh-rt] graceful shutdown unavailable: no signal pipe");
            return;
        };
        PIPE.store(tx.into_raw_fd(), Ordering::Release);
        let spawned = std::thread::Builder::new()
            .name("mesh-signals".into())
            .spawn(move || signal_thread(rx));
        if spawned.is_err() {
            eprintln!("[mesh-rt] graceful shutdown unavailable: no signal thread");
            return;
        }
        let handler = on_signal as extern "C" fn(i32) as usize;
        // SAFETY: `on_signal` only loads an atomic and calls `write`, both async-signal-safe.
        unsafe {
            signal(SIGINT, handler);
            signal(SIGTERM, handler);
        }
    });
}

fn signal_thread(mut rx: UnixStream) {
    let mut byte = [0u8; 1];
    if rx.read_exact(&mut byte).is_err() {
        return;
    }
    begin();
    let _ = std::thread::Builder::new()
        .name("mesh-shutdown".into())
        .spawn(|| {
            drain(grace());
            exit(0);
        });
    if rx.read_exact(&mut byte).is_ok() {
        exit(128 + i32::from(byte[0]));
    }
}

/// Stops accepting: marks shutdown as started and shuts the listener down.
fn begin() {
    STARTED.store(true, Ordering::SeqCst);
    let fd = LISTENER.load(Ordering::Acquire);
    if fd >= 0 {
        // SAFETY: `fd` is the listening socket, open for the program's life (the serving
        // process never drops its listener); shutting it down only changes its state.
        let _ = unsafe { shutdown(fd, SHUT_RDWR) };
    }
}

/// Waits until no request is in flight or `grace` has passed.
fn drain(grace: Duration) {
    let g = IDLE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let _ = IDLE
        .wait_timeout_while(g, grace, |_| IN_FLIGHT.load(Ordering::SeqCst) > 0)
        .unwrap_or_else(|e| e.into_inner());
}

fn grace() -> Duration {
    let ms = std::env::var("MESH_SHUTDOWN_GRACE_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_GRACE_MS);
    Duration::from_millis(ms)
}

fn exit(code: i32) -> ! {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    std::process::exit(code)
}

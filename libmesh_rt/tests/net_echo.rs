//! An echo server on loopback with 200 concurrent client processes: each connection is
//! handled by a process of its own, and every socket wait parks only its process.
//! (Each integration test file is its own program: the scheduler is process-wide.)

use mesh_rt::actor;
use mesh_rt::net::{TcpListener, TcpStream};
use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CLIENTS: usize = 200;

static ECHOED: AtomicUsize = AtomicUsize::new(0);
static CORRECT: AtomicUsize = AtomicUsize::new(0);
static ACCEPTED: AtomicUsize = AtomicUsize::new(0);
static ERRORS: AtomicUsize = AtomicUsize::new(0);

fn soon() -> Option<Instant> {
    Some(Instant::now() + Duration::from_secs(20))
}

fn fail(what: &str, e: impl std::fmt::Display) {
    eprintln!("{what}: {e}");
    ERRORS.fetch_add(1, Ordering::SeqCst);
}

/// Echoes everything it reads until the client shuts down its side.
fn handle(conn: TcpStream) {
    let mut buf = [0u8; 1024];
    loop {
        match conn.read(&mut buf, soon()) {
            Ok(0) => break,
            Ok(n) => {
                if let Err(e) = conn.write_all(&buf[..n], soon()) {
                    return fail("server write", e);
                }
                ECHOED.fetch_add(n, Ordering::SeqCst);
            }
            Err(e) => return fail("server read", e),
        }
    }
}

fn client(addr: SocketAddr, i: usize) {
    let conn = match TcpStream::connect(addr, soon()) {
        Ok(c) => c,
        Err(e) => return fail("connect", e),
    };
    let message = format!("hello from client {i}, ").repeat(20);
    if let Err(e) = conn.write_all(message.as_bytes(), soon()) {
        return fail("client write", e);
    }
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while got.len() < message.len() {
        match conn.read(&mut buf, soon()) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => return fail("client read", e),
        }
    }
    if let Err(e) = conn.shutdown(Shutdown::Write) {
        return fail("shutdown", e);
    }
    if got == message.as_bytes() {
        CORRECT.fetch_add(1, Ordering::SeqCst);
    }
}

extern "C-unwind" fn entry() {
    let listener = match TcpListener::bind(([127, 0, 0, 1], 0).into()) {
        Ok(l) => l,
        Err(e) => return fail("bind", e),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return fail("local_addr", e),
    };
    actor::spawn_native("acceptor", move || {
        for _ in 0..CLIENTS {
            match listener.accept(soon()) {
                Ok((conn, _)) => {
                    ACCEPTED.fetch_add(1, Ordering::SeqCst);
                    actor::spawn_native("echo", move || handle(conn));
                }
                Err(e) => return fail("accept", e),
            }
        }
    });
    for i in 0..CLIENTS {
        actor::spawn_native("client", move || client(addr, i));
    }
}

#[test]
fn an_echo_server_serves_200_concurrent_clients() {
    let status = actor::run_main(entry);
    assert_eq!(status, 0);
    assert_eq!(ERRORS.load(Ordering::SeqCst), 0, "no operation failed");
    assert_eq!(ACCEPTED.load(Ordering::SeqCst), CLIENTS);
    assert_eq!(
        CORRECT.load(Ordering::SeqCst),
        CLIENTS,
        "every client got its echo"
    );
    let per_client = "hello from client 0, ".len() * 20;
    assert!(ECHOED.load(Ordering::SeqCst) >= CLIENTS * per_client);
}

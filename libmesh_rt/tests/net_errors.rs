//! Socket deadlines and errors: a read times out by its deadline, a connect to a closed port
//! fails, and an operation that must wait outside a process fails instead of blocking.

use mesh_rt::actor;
use mesh_rt::net::{NetError, TcpListener, TcpStream};
use std::io::ErrorKind;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What the processes saw, checked by the test after the program ends.
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn note(s: String) {
    SEEN.lock().unwrap_or_else(|e| e.into_inner()).push(s);
}

fn read_times_out() -> Result<String, NetError> {
    let listener = TcpListener::bind(([127, 0, 0, 1], 0).into())?;
    let addr = listener.local_addr()?;
    let deadline = Some(Instant::now() + Duration::from_secs(10));
    let client = TcpStream::connect(addr, deadline)?;
    // The server accepts and never writes.
    let (_server_side, _) = listener.accept(deadline)?;
    let start = Instant::now();
    let mut buf = [0u8; 16];
    let r = client.read(&mut buf, Some(start + Duration::from_millis(150)));
    let waited = start.elapsed();
    Ok(match r {
        Err(NetError::TimedOut) => format!("read: timed out after {} ms", waited.as_millis()),
        other => format!("read: unexpected {other:?}"),
    })
}

fn connect_to_closed_port() -> Result<String, NetError> {
    // A port that was free a moment ago: bind, learn the port, close.
    let port = TcpListener::bind(([127, 0, 0, 1], 0).into())?
        .local_addr()?
        .port();
    let r = TcpStream::connect(
        ([127, 0, 0, 1], port).into(),
        Some(Instant::now() + Duration::from_secs(10)),
    );
    Ok(match r {
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => "connect: refused".to_string(),
        Err(e) => format!("connect: unexpected error {e}"),
        Ok(_) => "connect: unexpectedly connected".to_string(),
    })
}

extern "C-unwind" fn entry() {
    actor::spawn_native("reader", || {
        note(read_times_out().unwrap_or_else(|e| format!("read setup failed: {e}")));
    });
    actor::spawn_native("connector", || {
        note(connect_to_closed_port().unwrap_or_else(|e| format!("connect setup failed: {e}")));
    });
}

#[test]
fn deadlines_and_refused_connections_are_errors() {
    let status = actor::run_main(entry);
    assert_eq!(status, 0);
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner()).clone();
    seen.sort();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0], "connect: refused");
    let ms: u64 = seen[1]
        .strip_prefix("read: timed out after ")
        .and_then(|s| s.strip_suffix(" ms"))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{}", seen[1]));
    assert!(
        (150..3000).contains(&ms),
        "the read waited for its deadline ({ms} ms)"
    );

    // Outside a process nothing can park: an accept with nobody connecting fails at once.
    let listener = TcpListener::bind(([127, 0, 0, 1], 0).into()).expect("bind");
    assert!(matches!(listener.accept(None), Err(NetError::NotInProcess)));
}

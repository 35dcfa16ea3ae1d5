//! A process parked on a socket does not stall the others: with one worker thread, a process
//! waiting to read keeps waiting while another process runs its timers, and the data it
//! waits for is sent by that other process afterwards.

use mesh_rt::actor;
use mesh_rt::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static TICKS: AtomicU64 = AtomicU64::new(0);
/// The ticks counted when the reader got its data, and what it read.
static READ: Mutex<Option<(u64, Vec<u8>)>> = Mutex::new(None);
static ERROR: Mutex<Option<String>> = Mutex::new(None);

fn fail(e: impl std::fmt::Display) {
    *ERROR.lock().unwrap_or_else(|e| e.into_inner()) = Some(e.to_string());
}

extern "C-unwind" fn entry() {
    let deadline = Some(Instant::now() + Duration::from_secs(20));
    let pair = (|| {
        let listener = TcpListener::bind(([127, 0, 0, 1], 0).into())?;
        let client = TcpStream::connect(listener.local_addr()?, deadline)?;
        let (server, _) = listener.accept(deadline)?;
        Ok::<_, mesh_rt::net::NetError>((client, server))
    })();
    let (client, server) = match pair {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    actor::spawn_native("reader", move || {
        let mut buf = [0u8; 16];
        match server.read(&mut buf, deadline) {
            Ok(n) => {
                let ticks = TICKS.load(Ordering::SeqCst);
                *READ.lock().unwrap_or_else(|e| e.into_inner()) = Some((ticks, buf[..n].to_vec()));
            }
            Err(e) => fail(e),
        }
    });
    actor::spawn_native("ticker", move || {
        for _ in 0..10 {
            actor::sleep(10);
            TICKS.fetch_add(1, Ordering::SeqCst);
        }
        if let Err(e) = client.write_all(b"ping", deadline) {
            fail(e);
        }
    });
}

#[test]
fn a_process_parked_on_a_socket_does_not_stall_a_single_worker() {
    std::env::set_var("MESH_WORKERS", "1");
    let status = actor::run_main(entry);
    assert_eq!(status, 0);
    assert_eq!(*ERROR.lock().unwrap_or_else(|e| e.into_inner()), None);
    let read = READ.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(
        read,
        Some((10, b"ping".to_vec())),
        "the reader woke after all ticks"
    );
}

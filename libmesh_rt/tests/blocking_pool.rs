//! A blocking call (run through `sched::blocking`) parks only its caller: with a single
//! worker thread, another process keeps running its timers while the call is in progress.
//! (Each integration test file is its own program: the scheduler is process-wide.)

use mesh_rt::{actor, sched};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

static SLOW_DONE_MS: AtomicU64 = AtomicU64::new(0);
static FAST_DONE_MS: AtomicU64 = AtomicU64::new(0);
static FAST_TICKS: AtomicU64 = AtomicU64::new(0);

fn since(start: Instant) -> u64 {
    start.elapsed().as_millis() as u64
}

extern "C-unwind" fn entry() {
    let start = Instant::now();
    actor::spawn_native("slow", move || {
        sched::blocking(|| std::thread::sleep(Duration::from_millis(400)));
        SLOW_DONE_MS.store(since(start), Ordering::SeqCst);
    });
    actor::spawn_native("fast", move || {
        for _ in 0..10 {
            actor::sleep(10);
            FAST_TICKS.fetch_add(1, Ordering::SeqCst);
        }
        FAST_DONE_MS.store(since(start), Ordering::SeqCst);
    });
}

#[test]
fn a_blocking_call_does_not_stall_other_processes() {
    std::env::set_var("MESH_WORKERS", "1");
    let status = actor::run_main(entry);
    assert_eq!(status, 0);
    let (slow, fast) = (
        SLOW_DONE_MS.load(Ordering::SeqCst),
        FAST_DONE_MS.load(Ordering::SeqCst),
    );
    assert_eq!(FAST_TICKS.load(Ordering::SeqCst), 10);
    assert!(slow >= 400, "the blocking call took its time ({slow} ms)");
    assert!(
        fast < slow,
        "the other process finished while the call blocked (fast {fast} ms, slow {slow} ms)"
    );
}

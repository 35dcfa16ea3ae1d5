//! A blocking class bounds how many of its jobs run at once: callers beyond the limit park
//! (never the worker thread: with one worker another process keeps ticking meanwhile).

use mesh_rt::{actor, sched};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const CALLERS: usize = 6;
const LIMIT: usize = 2;

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);
static DONE: AtomicUsize = AtomicUsize::new(0);
static TICKS: AtomicUsize = AtomicUsize::new(0);
/// Ticks counted when the last caller finished.
static TICKS_AT_END: AtomicUsize = AtomicUsize::new(0);

fn class() -> &'static Arc<sched::BlockingClass> {
    static C: OnceLock<Arc<sched::BlockingClass>> = OnceLock::new();
    C.get_or_init(|| Arc::new(sched::BlockingClass::new("test-db", LIMIT)))
}

extern "C-unwind" fn entry() {
    for _ in 0..CALLERS {
        actor::spawn_native("caller", || {
            sched::blocking_in(class(), || {
                let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                MOST.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(60));
                RUNNING.fetch_sub(1, Ordering::SeqCst);
            });
            if DONE.fetch_add(1, Ordering::SeqCst) + 1 == CALLERS {
                TICKS_AT_END.store(TICKS.load(Ordering::SeqCst), Ordering::SeqCst);
            }
        });
    }
    actor::spawn_native("ticker", || {
        for _ in 0..5 {
            actor::sleep(10);
            TICKS.fetch_add(1, Ordering::SeqCst);
        }
    });
}

#[test]
fn a_blocking_class_limits_its_concurrency_without_blocking_workers() {
    std::env::set_var("MESH_WORKERS", "1");
    let status = actor::run_main(entry);
    assert_eq!(status, 0);
    assert_eq!(DONE.load(Ordering::SeqCst), CALLERS);
    assert_eq!(
        MOST.load(Ordering::SeqCst),
        LIMIT,
        "at most {LIMIT} jobs ran at once"
    );
    assert_eq!(class().in_use(), 0);
    assert_eq!(class().queued(), 0);
    // Three rounds of 60 ms: the ticker's 50 ms ran meanwhile on the one worker.
    assert_eq!(TICKS_AT_END.load(Ordering::SeqCst), 5);
}

//! Deadlines of waits that follow waits ended early (a process has at most one timer entry,
//! `sched/worker.rs` `deadline_reached`): a later deadline is honoured by the earlier entry
//! re-arming itself, neither too early nor never; an earlier deadline gets an entry of its own
//! instead of waiting for the armed later one.

use mesh_rt::sched;
use std::sync::Mutex;
use std::time::{Duration, Instant};

static RESULTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn log(line: String) {
    RESULTS.lock().unwrap_or_else(|e| e.into_inner()).push(line);
}

/// Parks until woken from another thread after `wake_ms` or until `deadline_ms` passes;
/// returns how long the park took.
fn park_woken_after(wake_ms: u64, deadline_ms: i64) -> Duration {
    let waker = sched::current_waker().expect("in a process");
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(wake_ms));
        waker.wake();
    });
    let started = Instant::now();
    sched::park(Some(sched::deadline_after(deadline_ms)));
    started.elapsed()
}

/// Parks until the deadline: how long it took. A watchdog wakes the process after 2.5 s, so
/// a deadline that never fires fails the test instead of hanging it.
fn park_until(deadline_ms: i64) -> Duration {
    let waker = sched::current_waker().expect("in a process");
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(2500));
        waker.wake();
    });
    let started = Instant::now();
    let at = sched::deadline_after(deadline_ms);
    while sched::now_ns() < at && started.elapsed() < Duration::from_secs(2) {
        sched::park(Some(at));
    }
    started.elapsed()
}

extern "C-unwind" fn entry() {
    // A wait with a 150 ms deadline ends early (woken at ~20 ms); the next wait's 300 ms
    // deadline is served by the first entry re-arming when it fires at 150 ms.
    let early = park_woken_after(20, 150);
    let later = park_until(300);
    log(format!("early {}", early < Duration::from_millis(150)));
    log(format!(
        "later {}",
        later >= Duration::from_millis(300) && later < Duration::from_secs(2)
    ));
    // A wait with a 10 s deadline ends early; the next wait's 50 ms deadline must not wait
    // for the armed 10 s entry.
    let early = park_woken_after(20, 10_000);
    let sooner = park_until(50);
    log(format!("early {}", early < Duration::from_secs(5)));
    log(format!(
        "sooner {}",
        sooner >= Duration::from_millis(50) && sooner < Duration::from_secs(2)
    ));
}

#[test]
fn deadlines_after_waits_that_ended_early() {
    let status = mesh_rt::actor::run_main(entry);
    assert_eq!(status, 0);
    let results = RESULTS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(
        results,
        ["early true", "later true", "early true", "sooner true"]
    );
}

//! Waiting for PostgreSQL never blocks a scheduler worker: with a single worker, processes
//! waiting on an exhausted pool, a process waiting for a shared connection's turn, a process
//! whose checkout times out and processes running slow queries all park, while a ticker
//! process keeps running; and no blocking-pool thread is used for any of it (the server's
//! host is an IP address, so not even DNS goes there). Each integration test file is its own
//! program: the scheduler is process-wide.

#[path = "db/common.rs"]
mod common;

use common::TestDb;
use mesh_rt::actor;
use mesh_rt::db::{get, pg, Pool};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// A pool of one connection, and a second one with a short checkout timeout.
static POOL: OnceLock<Pool> = OnceLock::new();
static SHORT: OnceLock<Pool> = OnceLock::new();
static URL: OnceLock<String> = OnceLock::new();
const WAITERS: u64 = 6;
/// Processes that report to DONE: the waiters, the turn follower, the timeout probe.
const REPORTS: u64 = WAITERS + 2;
static DONE: AtomicU64 = AtomicU64::new(0);
static TICKS_WHILE_BUSY: AtomicU64 = AtomicU64::new(0);
static MOST_WAITERS: AtomicUsize = AtomicUsize::new(0);
static FINISHED: AtomicBool = AtomicBool::new(false);
static RESULTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn note(s: String) {
    RESULTS.lock().unwrap_or_else(|e| e.into_inner()).push(s);
}

extern "C-unwind" fn entry() {
    let pool = POOL.get().expect("pool set before the scheduler starts");
    let short = SHORT.get().expect("pool set before the scheduler starts");
    // Main holds the pool's only connection while the others queue for it.
    let held = pool.checkout().expect("checkout");
    let shared = pg::connect(URL.get().expect("url")).expect("connect");
    let short_held = short.checkout().expect("checkout");
    for i in 0..WAITERS {
        actor::spawn_native("waiter", move || {
            let pool = POOL.get().expect("pool");
            match pool.query("SELECT $1::int * 2 AS v", &[i.to_string()]) {
                Ok(rows) => note(format!("waiter {}", get(&rows[0], "v"))),
                Err(e) => note(format!("waiter error: {e}")),
            }
            DONE.fetch_add(1, Ordering::SeqCst);
        });
    }
    let sleeper = shared.clone();
    actor::spawn_native("sleeper", move || {
        if let Err(e) = pg::query(&sleeper, "SELECT pg_sleep(0.3)", &[]) {
            note(format!("sleeper error: {e}"));
        }
    });
    let follower = shared.clone();
    actor::spawn_native("follower", move || {
        // Arrives while the sleeper holds the connection's turn.
        actor::sleep(50);
        let start = Instant::now();
        match pg::query(&follower, "SELECT 7 AS v", &[]) {
            Ok(rows) => note(format!(
                "follower {} after {}",
                get(&rows[0], "v"),
                if start.elapsed().as_millis() >= 150 {
                    "the sleeper"
                } else {
                    "no wait"
                }
            )),
            Err(e) => note(format!("follower error: {e}")),
        }
        DONE.fetch_add(1, Ordering::SeqCst);
    });
    actor::spawn_native("probe", || {
        let short = SHORT.get().expect("pool");
        match short.checkout() {
            Ok(_) => note("probe got a connection".into()),
            Err(e) => note(format!("probe: {e}")),
        }
        DONE.fetch_add(1, Ordering::SeqCst);
    });
    actor::spawn_native("ticker", || {
        while !FINISHED.load(Ordering::SeqCst) {
            actor::sleep(5);
            let pool = POOL.get().expect("pool");
            MOST_WAITERS.fetch_max(pool.waiters(), Ordering::SeqCst);
            if !FINISHED.load(Ordering::SeqCst) {
                TICKS_WHILE_BUSY.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    // A slow query on the held connection: main parks, the worker runs the others.
    if let Err(e) = pg::query(&held, "SELECT pg_sleep(0.4)", &[]) {
        note(format!("main error: {e}"));
    }
    pool.checkin(&held);
    short.checkin(&short_held);
    while DONE.load(Ordering::SeqCst) < REPORTS {
        actor::sleep(5);
    }
    pg::close(&shared);
    FINISHED.store(true, Ordering::SeqCst);
}

fn blocking_pool_threads() -> usize {
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc/self/task");
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with("mesh-blocking"))
        .count()
}

#[test]
fn pool_waiters_and_slow_queries_park_their_processes_not_the_worker() {
    let db = TestDb::new("poolsched");
    let url = db.url();
    let host = pg::Url::parse(&url).expect("url").host;
    assert!(
        host.trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok(),
        "the test server's host is an IP address (scripts/pg.sh)"
    );
    let pool = Pool::open(&url, 1, 1, 30_000).expect("opens");
    let short = Pool::open(&url, 1, 1, 100).expect("opens");
    assert!(POOL.set(pool.clone()).is_ok());
    assert!(SHORT.set(short.clone()).is_ok());
    assert!(URL.set(url).is_ok());
    let before = blocking_pool_threads();
    std::env::set_var("MESH_WORKERS", "1");
    assert_eq!(actor::run_main(entry), 0);
    let mut results = RESULTS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    results.sort();
    let mut want: Vec<String> = (0..WAITERS).map(|i| format!("waiter {}", i * 2)).collect();
    want.push("follower 7 after the sleeper".into());
    want.push("probe: pool checkout timeout".into());
    want.sort();
    assert_eq!(results, want);
    // Main's 400 ms query: a worker blocked by it, by a waiter or by the turn would have let
    // the ticker (every 5 ms) run a few times at most.
    let ticks = TICKS_WHILE_BUSY.load(Ordering::SeqCst);
    assert!(ticks >= 20, "the ticker ran {ticks} times");
    assert!(
        MOST_WAITERS.load(Ordering::SeqCst) >= 1,
        "checkouts queued on the exhausted pool"
    );
    assert_eq!(pool.waiters(), 0);
    assert_eq!(pool.counts(), (1, 1));
    assert_eq!(short.counts(), (1, 1));
    assert_eq!(
        blocking_pool_threads(),
        before,
        "PostgreSQL work went to the blocking pool"
    );
    pool.close();
    short.close();
}

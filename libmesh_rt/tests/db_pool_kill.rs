//! Processes killed while they wait on the pool leave nothing behind: one killed while queued
//! for a connection leaves the queue (the next waiter is served), one killed in the middle of
//! a statement gives its place back (the half-used connection is closed and replaced), and
//! the pool serves every later checkout. Each integration test file is its own program: the
//! scheduler is process-wide.

#[path = "db/common.rs"]
mod common;

use common::TestDb;
use mesh_rt::actor;
use mesh_rt::db::{get, Pool};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// A pool of one connection.
static POOL: OnceLock<Pool> = OnceLock::new();
static RESULTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static WAITERS_AFTER_KILL: AtomicUsize = AtomicUsize::new(usize::MAX);
static COUNTS_AFTER_KILL: Mutex<Option<(usize, usize)>> = Mutex::new(None);

fn note(s: String) {
    RESULTS.lock().unwrap_or_else(|e| e.into_inner()).push(s);
}

fn pool() -> &'static Pool {
    POOL.get().expect("pool set before the scheduler starts")
}

extern "C-unwind" fn entry() {
    let held = pool().checkout().expect("checkout");
    // Queued behind main's checkout: the first is killed while it waits.
    let victim = actor::spawn_native("victim", || {
        let r = pool().checkout();
        note(format!("victim returned: {}", r.is_ok()));
    });
    actor::sleep(20);
    let survivor = actor::spawn_native("survivor", || match pool().query("SELECT 1 AS v", &[]) {
        Ok(rows) => note(format!("survivor {}", get(&rows[0], "v"))),
        Err(e) => note(format!("survivor error: {e}")),
    });
    let _ = survivor;
    actor::sleep(20);
    actor::kill(victim, "killed while waiting");
    actor::sleep(20);
    WAITERS_AFTER_KILL.store(pool().waiters(), Ordering::SeqCst);
    // Main's connection goes to the survivor, not to the killed victim.
    pool().checkin(&held);
    actor::sleep(100);
    // Killed in the middle of a statement: its connection must not come back as if idle.
    let sleeper = actor::spawn_native("sleeper", || {
        let r = pool().query("SELECT pg_sleep(5)", &[]);
        note(format!("sleeper returned: {}", r.is_ok()));
    });
    actor::sleep(100);
    actor::kill(sleeper, "killed mid-statement");
    actor::sleep(50);
    *COUNTS_AFTER_KILL.lock().unwrap_or_else(|e| e.into_inner()) = Some(pool().counts());
    // The place came back: a new connection serves the next statement at once.
    match pool().query("SELECT 2 AS v", &[]) {
        Ok(rows) => note(format!("after {}", get(&rows[0], "v"))),
        Err(e) => note(format!("after error: {e}")),
    }
}

#[test]
fn killed_waiters_and_killed_statements_leave_the_pool_usable() {
    let db = TestDb::new("poolkill");
    // One connection, a checkout timeout far beyond the test's length.
    let pool = Pool::open(&db.url(), 1, 1, 30_000).expect("opens");
    assert!(POOL.set(pool.clone()).is_ok());
    std::env::set_var("MESH_WORKERS", "2");
    let started = std::time::Instant::now();
    actor::run_main(entry);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "nothing waited for the killed statement's 5 s sleep"
    );
    let mut results = RESULTS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    results.sort();
    assert_eq!(
        results,
        vec!["after 2".to_string(), "survivor 1".to_string()]
    );
    assert_eq!(
        WAITERS_AFTER_KILL.load(Ordering::SeqCst),
        1,
        "the killed waiter left the queue"
    );
    // The killed statement's connection was closed, its place handed back (nothing idle,
    // nothing open), so the next statement opened a new one.
    assert_eq!(
        *COUNTS_AFTER_KILL.lock().unwrap_or_else(|e| e.into_inner()),
        Some((0, 0))
    );
    assert_eq!(pool.counts(), (1, 1));
    pool.close();
}

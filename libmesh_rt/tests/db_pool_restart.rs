//! The server drops every pooled connection while processes are querying through the pool
//! (what a server restart does to them): the pool replaces the dead connections, every
//! process gets through again, and the pool never exceeds its size. Runs in Mesh processes
//! (the sockets park them) on two workers. Each integration test file is its own program:
//! the scheduler is process-wide.

#[path = "db/common.rs"]
mod common;

use common::TestDb;
use mesh_rt::actor;
use mesh_rt::db::{get, Pool};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

static POOL: OnceLock<Pool> = OnceLock::new();
const PROCESSES: u64 = 8;
/// Set once the backends have been terminated.
static KILLED: AtomicBool = AtomicBool::new(false);
static DONE: AtomicU64 = AtomicU64::new(0);
/// Per process: (successes before the kill, successes after it, errors).
static SEEN: Mutex<Vec<(u64, u64, u64)>> = Mutex::new(Vec::new());
static PIDS_BEFORE: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// The backends the killer terminated.
static KILLED_PIDS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static PIDS_AFTER: Mutex<Vec<String>> = Mutex::new(Vec::new());
static KILLER_ERROR: Mutex<Option<String>> = Mutex::new(None);

fn pool() -> &'static Pool {
    POOL.get().expect("pool set before the scheduler starts")
}

fn backend() -> Result<String, String> {
    let rows = pool()
        .query("SELECT pg_backend_pid()::text AS pid, pg_sleep(0.002)", &[])
        .map_err(|e| e.to_string())?;
    Ok(get(&rows[0], "pid").to_string())
}

extern "C-unwind" fn entry() {
    for _ in 0..PROCESSES {
        actor::spawn_native("client", || {
            let (mut before, mut after, mut errors) = (0, 0, 0);
            // Query until the kill, then until 20 queries after it went through.
            while after < 20 && errors < 1000 {
                let killed = KILLED.load(Ordering::SeqCst);
                match backend() {
                    Ok(pid) if killed => {
                        after += 1;
                        PIDS_AFTER
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(pid);
                    }
                    Ok(pid) => {
                        before += 1;
                        PIDS_BEFORE
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(pid);
                    }
                    Err(_) => errors += 1,
                }
            }
            SEEN.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((before, after, errors));
            DONE.fetch_add(1, Ordering::SeqCst);
        });
    }
    actor::spawn_native("killer", || {
        actor::sleep(150);
        // A connection of its own (the pool's are busy): every other backend of this
        // database goes, as in a server restart.
        let url = std::env::var("MESH_POOL_RESTART_URL").unwrap_or_default();
        let killed = mesh_rt::db::pg::connect(&url).and_then(|c| {
            let r = mesh_rt::db::pg::query(
                &c,
                "SELECT pid::text AS pid, pg_terminate_backend(pid, 5000)::text AS gone \
                 FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
                &[],
            );
            mesh_rt::db::pg::close(&c);
            r
        });
        let mut error = KILLER_ERROR.lock().unwrap_or_else(|e| e.into_inner());
        match killed {
            Ok(rows) if rows.iter().all(|r| get(r, "gone") == "true") && !rows.is_empty() => {
                let mut pids = KILLED_PIDS.lock().unwrap_or_else(|e| e.into_inner());
                pids.extend(rows.iter().map(|r| get(r, "pid").to_string()));
            }
            Ok(rows) => *error = Some(format!("not all killed: {rows:?}")),
            Err(e) => *error = Some(e.to_string()),
        }
        drop(error);
        KILLED.store(true, Ordering::SeqCst);
    });
}

#[test]
fn the_pool_replaces_connections_the_server_dropped_mid_run() {
    let db = TestDb::new("poolrestart");
    let url = db.url();
    let pool = Pool::open(&url, 2, 4, 10_000).expect("opens");
    assert!(POOL.set(pool.clone()).is_ok());
    std::env::set_var("MESH_POOL_RESTART_URL", &url);
    std::env::set_var("MESH_WORKERS", "2");
    assert_eq!(actor::run_main(entry), 0);
    assert_eq!(
        *KILLER_ERROR.lock().unwrap_or_else(|e| e.into_inner()),
        None
    );
    assert_eq!(DONE.load(Ordering::SeqCst), PROCESSES);
    let seen = SEEN.lock().unwrap_or_else(|e| e.into_inner()).clone();
    for (before, after, errors) in &seen {
        assert!(*before > 0, "queried before the kill: {seen:?}");
        assert_eq!(
            *after, 20,
            "every process got through after the kill: {seen:?}"
        );
        // A statement in flight when its backend died fails; the pool then replaces the
        // connection, so a process sees at most a few failures, not one per query.
        assert!(*errors <= 4, "failures stay few: {seen:?}");
    }
    let before = PIDS_BEFORE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let after = PIDS_AFTER.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let killed = KILLED_PIDS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    assert!(
        killed.iter().any(|p| before.contains(p)),
        "the killed backends served the pool: {killed:?}"
    );
    // The kill waited for the backends to end (pg_terminate_backend's 5 s wait), so a query
    // begun after it ran on a new connection: none names a killed backend.
    let stale: Vec<&String> = after.iter().filter(|p| killed.contains(p)).collect();
    assert!(stale.is_empty(), "queries on killed backends: {stale:?}");
    let (_, open) = pool.counts();
    assert!(open <= 4, "never more than max connections ({open})");
    pool.close();
}

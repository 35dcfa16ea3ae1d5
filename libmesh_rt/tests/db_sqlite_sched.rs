//! A long SQLite call parks only its calling process: with a single scheduler worker, one
//! process writes through a connection whose database another connection holds locked
//! (`BEGIN EXCLUSIVE`), so SQLite waits in its busy handler; meanwhile a second process keeps
//! running and finally releases the lock. Were the worker blocked by the waiting write, the
//! second process could never run, and the write would fail with `database is locked` after
//! the busy timeout. The write is one the connection has run fast before, so it is first
//! tried on the worker without waiting, finds the database locked, and moves to the blocking
//! pool. (Each integration test file is its own program: the scheduler is process-wide.)

use mesh_rt::actor;
use mesh_rt::db::sqlite::{self, SqliteConn};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

static HOLDER: OnceLock<SqliteConn> = OnceLock::new();
static WRITER: OnceLock<SqliteConn> = OnceLock::new();
static STARTED: AtomicBool = AtomicBool::new(false);
static DONE: AtomicBool = AtomicBool::new(false);
static TICKS_WHILE_WAITING: AtomicU64 = AtomicU64::new(0);
static WRITE_RESULT: Mutex<Option<Result<i64, String>>> = Mutex::new(None);
const TICKS: u64 = 20;

extern "C-unwind" fn entry() {
    actor::spawn_native("writer", || {
        let db = WRITER.get().expect("set before the scheduler starts");
        STARTED.store(true, Ordering::SeqCst);
        let r = sqlite::execute(db, "INSERT INTO t (x) VALUES (?)", &["1".to_string()]);
        DONE.store(true, Ordering::SeqCst);
        *WRITE_RESULT.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
    });
    actor::spawn_native("ticker", || {
        while !STARTED.load(Ordering::SeqCst) {
            actor::sleep(1);
        }
        for _ in 0..TICKS {
            actor::sleep(2);
            if !DONE.load(Ordering::SeqCst) {
                TICKS_WHILE_WAITING.fetch_add(1, Ordering::SeqCst);
            }
        }
        let holder = HOLDER.get().expect("set before the scheduler starts");
        sqlite::commit(holder).expect("the holder commits");
    });
}

#[test]
fn a_waiting_sqlite_call_parks_its_process_not_the_worker() {
    let dir = std::env::temp_dir().join(format!("mesh_sqlite_sched_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("locked.db");
    let path = path.to_str().expect("utf-8 temp path");
    let holder = sqlite::open(path).expect("opens");
    sqlite::execute(&holder, "CREATE TABLE t (x INTEGER)", &[]).expect("table");
    let writer = sqlite::open(path).expect("second connection opens");
    // The write counts as fast (as after a run under the budget; marked, so that the test
    // does not depend on the machine's speed): it is first tried on the worker. Had that try
    // waited for the lock, the single worker would be blocked and the ticker could not run.
    let insert = "INSERT INTO t (x) VALUES (?)";
    sqlite::mark_fast(&writer, insert);
    assert!(
        sqlite::runs_inline(&writer, insert),
        "a fast write runs inline"
    );
    sqlite::execute(&holder, "BEGIN EXCLUSIVE", &[]).expect("locks");
    assert!(HOLDER.set(holder).is_ok());
    assert!(WRITER.set(writer.clone()).is_ok());
    std::env::set_var("MESH_WORKERS", "1");
    let started = std::time::Instant::now();
    assert_eq!(actor::run_main(entry), 0);
    // The ticks take about 40 ms; an inline try that waited in SQLite's busy handler would
    // hold the only worker for the whole busy timeout (5 s) first.
    assert!(
        started.elapsed() < std::time::Duration::from_millis(2500),
        "the worker was held for {:?}",
        started.elapsed()
    );
    let result = WRITE_RESULT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    assert_eq!(
        result,
        Some(Ok(1)),
        "the write waits for the lock, then succeeds"
    );
    assert_eq!(
        TICKS_WHILE_WAITING.load(Ordering::SeqCst),
        TICKS,
        "the ticker ran while the write was waiting"
    );
    let rows = sqlite::query(&writer, "SELECT count(*) AS n FROM t", &[]).expect("count");
    assert_eq!(mesh_rt::db::get(&rows[0], "n"), "1");
    let _ = std::fs::remove_dir_all(&dir);
}

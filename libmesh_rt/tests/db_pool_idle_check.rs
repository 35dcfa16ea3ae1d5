//! A pooled connection whose backend was terminated while it sat idle is replaced before a
//! one-statement run uses it, in a Mesh process, where the idle check asks the socket only
//! when a readiness event came since the last answer (`TcpStream::known_empty`): the
//! server's goodbye (an error message and the close) is such an event. A connection nobody
//! touched is kept (no system call, no replacement). Each integration test file is its own
//! program: the scheduler is process-wide.

#[path = "db/common.rs"]
mod common;

use common::TestDb;
use mesh_rt::actor;
use mesh_rt::db::{get, pg, Pool};
use std::sync::{Mutex, OnceLock};

static POOL: OnceLock<Pool> = OnceLock::new();
static URL: OnceLock<String> = OnceLock::new();
/// One round: the backend's pid before, after, and whether it was killed in between.
type Round = (String, String, bool);

/// Every round's outcome, up to the first failure.
static ROUNDS: Mutex<Vec<Result<Round, String>>> = Mutex::new(Vec::new());

fn pid(pool: &Pool) -> Result<String, String> {
    let rows = pool
        .query("SELECT pg_backend_pid()::text AS pid", &[])
        .map_err(|e| e.to_string())?;
    Ok(get(&rows[0], "pid").to_string())
}

fn round(pool: &Pool, kill: bool) -> Result<Round, String> {
    let before = pid(pool)?;
    if kill {
        let url = URL.get().ok_or("no url")?;
        let killer = pg::connect(url).map_err(|e| e.to_string())?;
        let r = pg::query(
            &killer,
            "SELECT pg_terminate_backend($1::int, 5000)::text AS gone",
            std::slice::from_ref(&before),
        );
        pg::close(&killer);
        let rows = r.map_err(|e| e.to_string())?;
        if get(&rows[0], "gone") != "true" {
            return Err(format!("backend {before} not terminated"));
        }
    }
    // The very next statement must succeed: on a new connection after a kill.
    let after = pid(pool).map_err(|e| format!("first statement after the kill: {e}"))?;
    Ok((before, after, kill))
}

extern "C-unwind" fn entry() {
    actor::spawn_native("client", || {
        let pool = POOL.get().expect("pool set before the scheduler starts");
        for i in 0..6 {
            let r = round(pool, i % 2 == 1);
            let failed = r.is_err();
            ROUNDS.lock().unwrap_or_else(|e| e.into_inner()).push(r);
            if failed {
                break;
            }
        }
    });
}

#[test]
fn an_idle_connection_whose_backend_died_is_replaced_before_use() {
    let db = TestDb::new("poolidle");
    let pool = Pool::open(&db.url(), 1, 1, 10_000).expect("opens");
    assert!(POOL.set(pool).is_ok());
    assert!(URL.set(db.url()).is_ok());
    assert_eq!(actor::run_main(entry), 0);
    let rounds = ROUNDS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(rounds.len(), 6, "{rounds:?}");
    for r in &rounds {
        let (before, after, killed) = r.clone().unwrap_or_else(|e| panic!("{e}: {rounds:?}"));
        if killed {
            assert_ne!(before, after, "a dead connection is replaced: {rounds:?}");
        } else {
            assert_eq!(before, after, "a live idle connection is kept: {rounds:?}");
        }
    }
}

//! Database calls park only their calling process: with a single scheduler worker, 16
//! processes query through a pool of 3 connections (each query sleeps on the server) while
//! another process keeps ticking. (Each integration test file is its own program: the
//! scheduler is process-wide.)

#[path = "db/common.rs"]
mod common;

use common::TestDb;
use mesh_rt::actor;
use mesh_rt::db::{get, Pool};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::OnceLock;

static POOL: OnceLock<Pool> = OnceLock::new();
static SUM: AtomicI64 = AtomicI64::new(0);
static DONE: AtomicU64 = AtomicU64::new(0);
static TICKS_WHILE_BUSY: AtomicU64 = AtomicU64::new(0);
const QUERIES: i64 = 16;

extern "C-unwind" fn entry() {
    for i in 0..QUERIES {
        actor::spawn_native("query", move || {
            let pool = POOL.get().expect("pool set before the scheduler starts");
            let rows = pool
                .query("SELECT $1::int * 3 AS v, pg_sleep(0.05)", &[i.to_string()])
                .expect("query");
            let v: i64 = get(&rows[0], "v").parse().expect("int");
            SUM.fetch_add(v, Ordering::SeqCst);
            DONE.fetch_add(1, Ordering::SeqCst);
        });
    }
    actor::spawn_native("ticker", || {
        while DONE.load(Ordering::SeqCst) < QUERIES as u64 {
            actor::sleep(5);
            if DONE.load(Ordering::SeqCst) < QUERIES as u64 {
                TICKS_WHILE_BUSY.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
}

#[test]
fn queries_park_their_processes_not_the_worker() {
    let db = TestDb::new("sched");
    let pool = Pool::open(&db.url(), 1, 3, 30_000).expect("opens");
    assert!(POOL.set(pool.clone()).is_ok());
    std::env::set_var("MESH_WORKERS", "1");
    assert_eq!(actor::run_main(entry), 0);
    assert_eq!(DONE.load(Ordering::SeqCst), QUERIES as u64);
    assert_eq!(
        SUM.load(Ordering::SeqCst),
        (0..QUERIES).map(|i| i * 3).sum::<i64>()
    );
    // 16 queries of 50 ms on 3 connections take at least ~270 ms; a blocked worker would
    // have let the ticker run at most once or twice in that time.
    let ticks = TICKS_WHILE_BUSY.load(Ordering::SeqCst);
    assert!(
        ticks >= 10,
        "the ticker ran {ticks} times while the queries were in flight"
    );
    assert!(pool.counts().1 <= 3);
    pool.close();
}

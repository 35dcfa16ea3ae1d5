//! The Rust peer of scripts/bench/db.sh (see bench.mpl for the workload): PostgreSQL point
//! SELECTs and single-row INSERTs from 16 tasks through a pool of 8 tokio-postgres clients
//! (each query checks a client out and back in, as `Pool.query` does; statements are prepared
//! once per client, as a Rust service would), then SQLite inserts in one transaction and point
//! reads through rusqlite. Prints the same `key value` lines as bench.mpl.
//!
//! Usage: DATABASE_URL=… db-bench (settings as bench.mpl: BENCH_SELECTS, BENCH_INSERTS,
//! BENCH_SQLITE, BENCH_KEYS, BENCH_SQLITE_PATH).

use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{Mutex, Semaphore};
use tokio_postgres::{Client, NoTls, Statement};

const POOL: usize = 8;
const TASKS: usize = 16;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A client with its prepared statements.
struct Conn {
    client: Client,
    select: Statement,
    insert: Statement,
}

/// A fixed pool of clients: a semaphore of free slots over a stack of idle clients.
struct Pool {
    slots: Semaphore,
    idle: Mutex<Vec<Conn>>,
}

impl Pool {
    async fn with<T>(&self, f: impl AsyncFnOnce(&Conn) -> T) -> T {
        let _permit = self.slots.acquire().await.expect("pool semaphore");
        let conn = self.idle.lock().await.pop().expect("a free client");
        let r = f(&conn).await;
        self.idle.lock().await.push(conn);
        r
    }
}

async fn connect(url: &str) -> Conn {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("connection: {e}");
        }
    });
    let select = client
        .prepare("SELECT v FROM bench_kv WHERE id = $1")
        .await
        .expect("prepare select");
    let insert = client
        .prepare("INSERT INTO bench_ins (worker, v) VALUES ($1, $2)")
        .await
        .expect("prepare insert");
    Conn {
        client,
        select,
        insert,
    }
}

/// Runs `per_task` operations in each of 16 tasks; returns (operations, seconds).
async fn run(
    pool: &Arc<Pool>,
    per_task: usize,
    op: fn(Arc<Pool>, usize, usize) -> tokio::task::JoinHandle<usize>,
) -> (usize, f64) {
    let start = Instant::now();
    let handles: Vec<_> = (0..TASKS).map(|w| op(pool.clone(), w, per_task)).collect();
    let mut done = 0;
    for h in handles {
        done += h.await.expect("task");
    }
    (done, start.elapsed().as_secs_f64())
}

fn selects(pool: Arc<Pool>, worker: usize, n: usize) -> tokio::task::JoinHandle<usize> {
    let keys = setting("BENCH_KEYS", 1000);
    tokio::spawn(async move {
        let mut found = 0;
        for i in 0..n {
            let id = ((worker * 7919 + i * 31) % keys + 1) as i64;
            let rows = pool
                .with(async |c: &Conn| c.client.query(&c.select, &[&id]).await)
                .await
                .expect("select");
            // Read the value (Mesh gets it in each row's map), borrowed: the least a read costs.
            for row in &rows {
                let v: &str = row.get(0);
                found += usize::from(!v.is_empty());
            }
        }
        found
    })
}

fn inserts(pool: Arc<Pool>, worker: usize, n: usize) -> tokio::task::JoinHandle<usize> {
    tokio::spawn(async move {
        let mut done = 0;
        for i in 0..n {
            let (w, v) = (worker as i64, format!("row {i}"));
            let count = pool
                .with(async |c: &Conn| c.client.execute(&c.insert, &[&w, &v]).await)
                .await
                .expect("insert");
            done += count as usize;
        }
        done
    })
}

fn report(key: &str, (ops, secs): (usize, f64)) {
    println!("{key}_ops {ops}");
    println!("{key}_per_s {}", (ops as f64 / secs) as u64);
}

fn sqlite(path: &str) {
    let n = setting("BENCH_SQLITE", 100_000);
    let _ = std::fs::remove_file(path);
    let mut db = rusqlite::Connection::open(path).expect("sqlite open");
    db.execute(
        "CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT NOT NULL)",
        [],
    )
    .expect("create");
    let start = Instant::now();
    let tx = db.transaction().expect("begin");
    {
        let mut insert = tx
            .prepare_cached("INSERT INTO kv (id, v) VALUES (?1, ?2)")
            .expect("prepare");
        for i in 1..=n {
            insert
                .execute(rusqlite::params![i.to_string(), format!("value {i}")])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
    report("sqlite_insert", (n, start.elapsed().as_secs_f64()));
    let start = Instant::now();
    let mut found = 0;
    let mut select = db
        .prepare_cached("SELECT v FROM kv WHERE id = ?1")
        .expect("prepare");
    for i in 0..n {
        let id = (i * 7919) % n + 1;
        let mut rows = select.query([id.to_string()]).expect("select");
        // Read the value (Mesh gets it in each row's map), borrowed: the least a read costs.
        while let Some(row) = rows.next().expect("row") {
            let v = row.get_ref(0).expect("column").as_str().expect("text");
            found += usize::from(!v.is_empty());
        }
    }
    report("sqlite_select", (found, start.elapsed().as_secs_f64()));
}

#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let sqlite_path = std::env::var("BENCH_SQLITE_PATH").unwrap_or_else(|_| "bench.sqlite".into());
    let keys = setting("BENCH_KEYS", 1000);
    let setup = tokio_postgres::connect(&url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    tokio::spawn(setup.1);
    setup
        .0
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS bench_kv, bench_ins; \
             CREATE TABLE bench_kv (id BIGINT PRIMARY KEY, v TEXT NOT NULL); \
             INSERT INTO bench_kv SELECT g, 'value ' || g FROM generate_series(1, {keys}) AS g; \
             CREATE TABLE bench_ins (id BIGSERIAL PRIMARY KEY, worker BIGINT NOT NULL, v TEXT NOT NULL)"
        ))
        .await
        .expect("setup");
    drop(setup.0);
    let mut conns = Vec::new();
    for _ in 0..POOL {
        conns.push(connect(&url).await);
    }
    let pool = Arc::new(Pool {
        slots: Semaphore::new(POOL),
        idle: Mutex::new(conns),
    });
    let per_task = setting("BENCH_SELECTS", 100_000) / TASKS;
    report("pg_select", run(&pool, per_task, selects).await);
    let per_task = setting("BENCH_INSERTS", 20_000) / TASKS;
    report("pg_insert", run(&pool, per_task, inserts).await);
    sqlite(&sqlite_path);
}

//! The PostgreSQL connection pool (stdlib spec §23 `Pool.*`): `min` connections opened
//! eagerly, growth to `max`, a checkout timeout, validation (`SELECT 1`) and replacement of
//! dead idle connections, rollback of an open transaction on check-in, and close.
//!
//! Waiting for a connection happens on the blocking pool (a condition variable with a
//! deadline), never on a scheduler worker. A waiter occupies a blocking-pool thread while it
//! waits; see ARCHITECTURE.md ("Databases") for what that means under heavy contention.
//!
//! For the migration runner a connection can be *pinned* ([`Pool::pin`]): while pinned,
//! every checkout returns that same connection (inside its transaction) and check-in of it
//! keeps it checked out, so a migration's `Pool.execute` calls join the runner's transaction.

use super::pg::{Conn, Outcome, PgConn, PgError, Url};
use super::{offload, Row};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

struct State {
    idle: Vec<Conn>,
    /// Open connections, idle or checked out (or being opened).
    total: usize,
    closed: bool,
    pinned: Option<PgConn>,
    /// Checkouts waiting for a connection.
    waiters: usize,
}

struct Inner {
    url: Url,
    max: usize,
    timeout: Duration,
    state: Mutex<State>,
    freed: Condvar,
}

/// A pool handle: cheap to clone and share between processes.
#[derive(Clone)]
pub struct Pool {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pool")
    }
}

/// How an idle connection is checked before it is handed out.
#[derive(Clone, Copy)]
enum Check {
    /// `SELECT 1` on the server (`Pool.checkout`, as stdlib §23 says).
    Query,
    /// The socket is open and quiet ([`Conn::looks_alive`]): for the pool's own one-statement
    /// runs (`Pool.execute`/`query`, Repo).
    Socket,
}

fn client(s: &str) -> PgError {
    PgError::Client(s.to_string())
}

impl Pool {
    /// `Pool.open(url, min, max, checkout_timeout_ms)` with the spec's clamping.
    pub fn open(url: &str, min: i64, max: i64, timeout_ms: i64) -> Result<Pool, PgError> {
        let url = Url::parse(url).map_err(|e| PgError::Client(format!("pool open: {e}")))?;
        let min = min.max(0) as usize;
        let max = (max.max(1) as usize).max(min);
        let timeout = Duration::from_millis(timeout_ms.max(100) as u64);
        offload(move || {
            let mut idle = Vec::with_capacity(min);
            for _ in 0..min {
                match Conn::connect(&url) {
                    Ok(c) => idle.push(c),
                    Err(e) => {
                        idle.into_iter().for_each(Conn::terminate);
                        return Err(PgError::Client(format!("pool open: {e}")));
                    }
                }
            }
            let total = idle.len();
            Ok(Pool {
                inner: Arc::new(Inner {
                    url,
                    max,
                    timeout,
                    state: Mutex::new(State {
                        idle,
                        total,
                        closed: false,
                        pinned: None,
                        waiters: 0,
                    }),
                    freed: Condvar::new(),
                }),
            })
        })
    }

    /// This pool's id (the address of its shared state), stamped on its connections.
    fn id(&self) -> usize {
        Arc::as_ptr(&self.inner) as usize
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Pool.checkout(pool)` on the calling thread (already off the workers): an idle
    /// connection is validated with `SELECT 1` (stdlib §23).
    pub fn checkout_sync(&self) -> Result<PgConn, PgError> {
        self.take(Check::Query)
    }

    /// Takes a connection for the calling thread: an idle one that passes `check` (dead ones
    /// are replaced), else a new one under `max`, else waits up to the checkout timeout.
    fn take(&self, check: Check) -> Result<PgConn, PgError> {
        let deadline = Instant::now() + self.inner.timeout;
        let mut st = self.state();
        loop {
            if st.closed {
                return Err(client("pool is closed"));
            }
            if let Some(p) = &st.pinned {
                return Ok(p.clone());
            }
            if let Some(mut conn) = st.idle.pop() {
                drop(st);
                let alive = match check {
                    Check::Query => conn.run("SELECT 1", &[]).is_ok(),
                    Check::Socket => conn.looks_alive(),
                };
                if alive && !conn.in_transaction() {
                    return Ok(PgConn::owned(conn, self.id()));
                }
                // Dead (or confused): replace it by a new connection below.
                conn.terminate();
                st = self.state();
                st.total -= 1;
                continue;
            }
            if st.total < self.inner.max {
                st.total += 1;
                drop(st);
                return match Conn::connect(&self.inner.url) {
                    Ok(c) => Ok(PgConn::owned(c, self.id())),
                    Err(e) => {
                        self.forget_one();
                        Err(PgError::Client(format!("pool connect: {e}")))
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(client("pool checkout timeout"));
            }
            st.waiters += 1;
            st = self
                .inner
                .freed
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
            st.waiters -= 1;
        }
    }

    /// A connection left the pool for good: make room for a new one.
    fn forget_one(&self) {
        let mut st = self.state();
        st.total = st.total.saturating_sub(1);
        drop(st);
        self.inner.freed.notify_one();
    }

    /// `Pool.checkin(pool, conn)` on the calling thread: an open transaction is rolled back
    /// first (a failed rollback discards the connection); after close the connection closes.
    /// A connection that did not come from this pool is closed (the pool's counts stay).
    pub fn checkin_sync(&self, handle: &PgConn) {
        if self.state().pinned.as_ref().is_some_and(|p| p.same(handle)) {
            return;
        }
        if handle.owner() != self.id() {
            if let Some(conn) = handle.take() {
                conn.terminate();
            }
            return;
        }
        let Some(mut conn) = handle.take() else {
            return;
        };
        let mut usable = !conn.is_broken();
        if usable && conn.in_transaction() {
            usable = conn.run("ROLLBACK", &[]).is_ok() && !conn.in_transaction();
        }
        let mut st = self.state();
        if usable && !st.closed {
            st.idle.push(conn);
            drop(st);
            self.inner.freed.notify_one();
        } else {
            st.total = st.total.saturating_sub(1);
            drop(st);
            self.inner.freed.notify_one();
            conn.terminate();
        }
    }

    /// `Pool.checkout(pool)`.
    pub fn checkout(&self) -> Result<PgConn, PgError> {
        let pool = self.clone();
        offload(move || pool.checkout_sync())
    }

    /// `Pool.checkin(pool, conn)`.
    pub fn checkin(&self, conn: &PgConn) {
        let (pool, conn) = (self.clone(), conn.clone());
        offload(move || pool.checkin_sync(&conn));
    }

    /// Check out, run one statement, check in (on the calling thread). The idle connection
    /// is checked without a round trip ([`Check::Socket`]): a statement costs one round trip,
    /// not two, and a connection the server closed (a restart) is still replaced first.
    pub fn run_sync(&self, sql: &str, params: &[String]) -> Result<Outcome, PgError> {
        let conn = self.take(Check::Socket)?;
        let r = conn.run_sync(sql, params);
        self.checkin_sync(&conn);
        r
    }

    fn run(&self, sql: &str, params: &[String]) -> Result<Outcome, PgError> {
        let (pool, sql, params) = (self.clone(), sql.to_string(), params.to_vec());
        offload(move || pool.run_sync(&sql, &params))
    }

    /// `Pool.execute`: the affected-row count.
    pub fn execute(&self, sql: &str, params: &[String]) -> Result<i64, PgError> {
        self.run(sql, params).map(|o| o.affected)
    }

    /// `Pool.query`: all rows.
    pub fn query(&self, sql: &str, params: &[String]) -> Result<Vec<Row>, PgError> {
        self.run(sql, params).map(|o| o.rows)
    }

    /// `Pool.query_as`: each row mapped by `from_row` (in the calling process).
    pub fn query_as<T>(
        &self,
        sql: &str,
        params: &[String],
        from_row: impl Fn(&Row) -> Result<T, String>,
    ) -> Result<Vec<Result<T, String>>, PgError> {
        Ok(self.query(sql, params)?.iter().map(from_row).collect())
    }

    /// `Pool.close(pool)`: idle connections close now, checked-out ones at check-in.
    pub fn close(&self) {
        let pool = self.clone();
        offload(move || {
            let mut st = pool.state();
            st.closed = true;
            let idle = std::mem::take(&mut st.idle);
            st.total -= idle.len();
            drop(st);
            pool.inner.freed.notify_all();
            idle.into_iter().for_each(Conn::terminate);
        });
    }

    /// Pins `conn` (checked out of this pool): until [`Pool::unpin`] every checkout returns
    /// it and its check-in is a no-op (the migration runner's one-transaction mode).
    pub fn pin(&self, conn: &PgConn) {
        self.state().pinned = Some(conn.clone());
    }

    /// Ends [`Pool::pin`]; the caller checks the connection in afterwards.
    pub fn unpin(&self) {
        self.state().pinned = None;
        self.inner.freed.notify_all();
    }

    /// Checkouts waiting for a connection right now (tests and diagnostics).
    pub fn waiters(&self) -> usize {
        self.state().waiters
    }

    /// (idle, open) connection counts, for tests and diagnostics.
    pub fn counts(&self) -> (usize, usize) {
        let st = self.state();
        (st.idle.len(), st.total)
    }
}

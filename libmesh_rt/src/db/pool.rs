//! The PostgreSQL connection pool (stdlib spec §23 `Pool.*`): `min` connections opened
//! eagerly, growth to `max`, a checkout timeout, validation (`SELECT 1`) and replacement of
//! dead idle connections, rollback of an open transaction on check-in, and close.
//!
//! Everything runs on the calling thread; nothing here blocks a scheduler worker. A checkout
//! that finds no idle connection and no room to open one queues a ticket and parks its process
//! (`db::wait`; a thread outside the scheduler parks itself) until a check-in hands it a
//! connection, or room for a new one, or the checkout timeout passes. Tickets are served
//! first come, first served, and a newcomer does not overtake queued waiters. A waiter that
//! leaves (timeout, exit signal) gives back whatever it was handed meanwhile.
//!
//! For the migration runner a connection can be *pinned* ([`Pool::pin`]): while pinned,
//! every checkout returns that same connection (inside its transaction) and check-in of it
//! keeps it checked out, so a migration's `Pool.execute` calls join the runner's transaction.

use super::pg::{Conn, Outcome, PgConn, PgError, Url};
use super::wait::Waiter;
use super::Row;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;
use std::time::{Duration, Instant};

struct State {
    idle: Vec<Conn>,
    /// Open connections, idle or checked out (or being opened), and rooms handed to waiters.
    total: usize,
    closed: bool,
    pinned: Option<PgConn>,
    /// Checkouts waiting for a connection, first come first served.
    waiters: VecDeque<Arc<Ticket>>,
}

/// What a check-in hands to the first waiter.
enum Grant {
    /// An idle connection (not yet validated).
    Conn(Conn),
    /// Room for one more connection (already counted in `total`): open one.
    Room,
    /// The pool was pinned while the checkout waited: its pinned connection (never handed
    /// back).
    Pinned(PgConn),
}

/// A waiting checkout's place in the queue.
struct Ticket {
    waker: Waker,
    /// Set (under the pool's lock) when the ticket leaves the queue with something.
    grant: Mutex<Option<Grant>>,
}

impl Ticket {
    fn take(&self) -> Option<Grant> {
        self.grant.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

struct Inner {
    url: Url,
    max: usize,
    timeout: Duration,
    state: Mutex<State>,
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

/// A checkout's place in the pool (counted in `total`) while it validates or opens its
/// connection: handed on as room for a new one when dropped still held.
struct Place<'a> {
    pool: &'a Pool,
    held: bool,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        if self.held {
            self.pool.hand_back(Grant::Room);
        }
    }
}

/// Checks a connection in when dropped ([`Pool::run`]).
struct Back<'a> {
    pool: &'a Pool,
    conn: &'a PgConn,
}

impl Drop for Back<'_> {
    fn drop(&mut self) {
        self.pool.checkin(self.conn);
    }
}

/// A queued checkout: leaves the queue when dropped, and hands on a grant it did not use.
struct Queued<'a> {
    pool: &'a Pool,
    ticket: Arc<Ticket>,
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        let mut st = self.pool.state();
        st.waiters.retain(|t| !Arc::ptr_eq(t, &self.ticket));
        drop(st);
        if let Some(g) = self.ticket.take() {
            self.pool.hand_back(g);
        }
    }
}

impl Pool {
    /// `Pool.open(url, min, max, checkout_timeout_ms)` with the spec's clamping.
    pub fn open(url: &str, min: i64, max: i64, timeout_ms: i64) -> Result<Pool, PgError> {
        let url = Url::parse(url).map_err(|e| PgError::Client(format!("pool open: {e}")))?;
        let min = min.max(0) as usize;
        let max = (max.max(1) as usize).max(min);
        let timeout = Duration::from_millis(timeout_ms.max(100) as u64);
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
                    waiters: VecDeque::new(),
                }),
            }),
        })
    }

    /// This pool's id (the address of its shared state), stamped on its connections.
    fn id(&self) -> usize {
        Arc::as_ptr(&self.inner) as usize
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes a connection for the caller: an idle one that passes `check` (a dead one is
    /// replaced), else a new one under `max`, else a place in the queue until the checkout
    /// timeout.
    fn take(&self, check: Check) -> Result<PgConn, PgError> {
        let deadline = Instant::now() + self.inner.timeout;
        let grant = {
            let mut st = self.state();
            if st.closed {
                return Err(client("pool is closed"));
            }
            if let Some(p) = &st.pinned {
                return Ok(p.clone());
            }
            if !st.waiters.is_empty() {
                drop(st);
                self.wait(deadline)?
            } else if let Some(conn) = st.idle.pop() {
                Grant::Conn(conn)
            } else if st.total < self.inner.max {
                st.total += 1;
                Grant::Room
            } else {
                drop(st);
                self.wait(deadline)?
            }
        };
        if let Grant::Pinned(p) = grant {
            return Ok(p);
        }
        // Validating or opening may park the process; should an exit signal unwind it there,
        // the place in the pool goes back (the connection itself closes as it is dropped).
        let mut place = Place {
            pool: self,
            held: true,
        };
        if let Grant::Conn(mut conn) = grant {
            let alive = match check {
                Check::Query => conn.run("SELECT 1", &[]).is_ok(),
                Check::Socket => conn.looks_alive(),
            };
            if alive && !conn.in_transaction() {
                place.held = false;
                return Ok(PgConn::owned(conn, self.id()));
            }
            // Dead (or confused): its place goes to a new connection.
            conn.terminate();
        }
        let opened = Conn::connect(&self.inner.url);
        if opened.is_ok() {
            place.held = false;
        }
        // On failure `place` hands the room on as it drops.
        opened
            .map(|c| PgConn::owned(c, self.id()))
            .map_err(|e| PgError::Client(format!("pool connect: {e}")))
    }

    /// Queues the caller and waits for a grant until `deadline` (see the module header).
    fn wait(&self, deadline: Instant) -> Result<Grant, PgError> {
        let waiter = Waiter::current();
        let queued = Queued {
            pool: self,
            ticket: Arc::new(Ticket {
                waker: waiter.waker().clone(),
                grant: Mutex::new(None),
            }),
        };
        let mut st = self.state();
        st.waiters.push_back(Arc::clone(&queued.ticket));
        loop {
            if let Some(g) = queued.ticket.take() {
                return Ok(g);
            }
            if st.closed {
                return Err(client("pool is closed"));
            }
            if let Some(p) = &st.pinned {
                // Pinned meanwhile: the caller takes the pinned connection after all.
                return Ok(Grant::Pinned(p.clone()));
            }
            if Instant::now() >= deadline {
                return Err(client("pool checkout timeout"));
            }
            drop(st);
            waiter.wait(Some(deadline));
            st = self.state();
        }
    }

    /// Gives a connection, or room for one, to the first waiter, else back to the pool.
    fn hand_back(&self, g: Grant) {
        if let Grant::Pinned(_) = g {
            return;
        }
        let mut st = self.state();
        if let (Grant::Conn(_), true) = (&g, st.closed) {
            st.total = st.total.saturating_sub(1);
            drop(st);
            if let Grant::Conn(c) = g {
                c.terminate();
            }
            return;
        }
        if let Some(t) = st.waiters.pop_front() {
            *t.grant.lock().unwrap_or_else(|e| e.into_inner()) = Some(g);
            drop(st);
            t.waker.wake_by_ref();
            return;
        }
        match g {
            Grant::Conn(c) => st.idle.push(c),
            Grant::Room => st.total = st.total.saturating_sub(1),
            Grant::Pinned(_) => {}
        }
    }

    /// `Pool.checkout(pool)`: an idle connection is validated with `SELECT 1` (stdlib §23).
    pub fn checkout(&self) -> Result<PgConn, PgError> {
        self.take(Check::Query)
    }

    /// `Pool.checkin(pool, conn)`: an open transaction is rolled back first (a failed
    /// rollback discards the connection); after close the connection closes. A connection
    /// that did not come from this pool is closed (the pool's counts stay).
    pub fn checkin(&self, handle: &PgConn) {
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
        if usable {
            self.hand_back(Grant::Conn(conn));
        } else {
            conn.terminate();
            self.hand_back(Grant::Room);
        }
    }

    /// Check out, run one statement, check in. The idle connection is checked without a
    /// round trip ([`Check::Socket`]): a statement costs one round trip, not two, and a
    /// connection the server closed (a restart) is still replaced first.
    fn run(&self, sql: &str, params: &[String]) -> Result<Outcome, PgError> {
        let conn = self.take(Check::Socket)?;
        // Checked in when this returns, or when an exit signal unwinds the process parked
        // in the statement (the connection is broken then, and replaced).
        let _back = Back {
            pool: self,
            conn: &conn,
        };
        conn.run(sql, params)
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

    /// `Pool.close(pool)`: idle connections close now, checked-out ones at check-in;
    /// waiting checkouts fail with `pool is closed`.
    pub fn close(&self) {
        let mut st = self.state();
        st.closed = true;
        let idle = std::mem::take(&mut st.idle);
        st.total -= idle.len();
        let waiters = std::mem::take(&mut st.waiters);
        drop(st);
        waiters.iter().for_each(|t| t.waker.wake_by_ref());
        idle.into_iter().for_each(Conn::terminate);
    }

    /// Wakes every waiting checkout (to see a pin).
    fn wake_all(&self) {
        let waiters: Vec<Waker> = self
            .state()
            .waiters
            .iter()
            .map(|t| t.waker.clone())
            .collect();
        waiters.into_iter().for_each(Waker::wake);
    }

    /// Pins `conn` (checked out of this pool): until [`Pool::unpin`] every checkout returns
    /// it and its check-in is a no-op (the migration runner's one-transaction mode).
    pub fn pin(&self, conn: &PgConn) {
        self.state().pinned = Some(conn.clone());
        self.wake_all();
    }

    /// Ends [`Pool::pin`]; the caller checks the connection in afterwards.
    pub fn unpin(&self) {
        self.state().pinned = None;
    }

    /// Checkouts waiting for a connection right now (tests and diagnostics).
    pub fn waiters(&self) -> usize {
        self.state().waiters.len()
    }

    /// (idle, open) connection counts, for tests and diagnostics.
    pub fn counts(&self) -> (usize, usize) {
        let st = self.state();
        (st.idle.len(), st.total)
    }
}

//! SQLite (stdlib spec §22) through rusqlite with SQLite compiled in. A [`SqliteConn`] is a
//! shareable handle; each call locks it. Parameters bind positionally as text; rows follow
//! spec §21 (`NULL` → `""`).
//!
//! Where a statement runs: a statement runs on the blocking pool ([`offload`]) unless its
//! last run on this connection took under [`INLINE_BUDGET`]; such a statement (a point read,
//! an insert inside a transaction) runs on the calling worker, because handing a
//! microsecond statement to another thread costs many times the statement. The inline run
//! never waits: it needs the connection's lock free at once and runs with SQLite's busy
//! timeout at zero, and a busy database or a held lock sends the statement to the blocking
//! pool after all (a busy statement has had no effect, so running it again is safe). An
//! inline run that turns out slow loses its place, so a statement whose cost grows (a table
//! scan over a growing table, a commit that syncs) moves back to the blocking pool.
//!
//! Per-statement costs on the inline path are kept close to SQLite's own: each connection
//! keeps its prepared statements in its own cache (up to [`STATEMENTS`], by SQL text, with a
//! cheap hash, and the statement used last checked first by comparing its text; one lookup
//! finds the statement and whether it is fast), so a statement the program runs again is
//! bound, stepped and reset, not compiled again, and not moved in and out of rusqlite's LRU
//! cache (two hashes and a list update per run); the connection's busy timeout stays at zero
//! (only a blocking-pool run sets [`BUSY_TIMEOUT`] around itself); and the parameters bind
//! straight from the caller's bytes without being copied or checked again (the Mesh bindings
//! pass borrowed Mesh strings; only a hand-off to the blocking pool copies them). Cached
//! statements are driven through SQLite's C API ([`raw`]), which is what allows binding in
//! place; rusqlite opens, configures and closes the connection.

mod raw;

use super::{offload, Row};
pub use raw::{Cell, Discard, Rows};
use raw::{Failure, RawStmt};
use rusqlite::Connection;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
#[cfg(not(target_arch = "x86_64"))]
use std::time::Instant;

/// A statement that last ran faster than this runs on the calling worker.
const INLINE_BUDGET: Duration = Duration::from_micros(200);

/// Times one run of a statement for the inline rule, more cheaply than two clock reads (a
/// point insert takes well under a microsecond, and two `clock_gettime` calls were 7% of
/// it): on x86-64 the time-stamp counter, which ticks at the processor's base frequency,
/// at least 1 GHz on any x86-64 this runs on, so `INLINE_BUDGET`'s worth of nanoseconds in
/// ticks is at most that long (a statement may be judged slow sooner, never later).
struct RunTimer {
    #[cfg(target_arch = "x86_64")]
    start: u64,
    #[cfg(not(target_arch = "x86_64"))]
    start: Instant,
}

impl RunTimer {
    fn start() -> RunTimer {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `rdtsc` is part of every x86-64 processor.
        let start = unsafe { core::arch::x86_64::_rdtsc() };
        #[cfg(not(target_arch = "x86_64"))]
        let start = Instant::now();
        RunTimer { start }
    }

    /// Whether the run since `start` stayed within [`INLINE_BUDGET`].
    fn fast(&self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: as above.
            let now = unsafe { core::arch::x86_64::_rdtsc() };
            // A counter that went back (another core's, not synchronised) counts as slow.
            now >= self.start && now - self.start < INLINE_BUDGET.as_nanos() as u64
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self.start.elapsed() < INLINE_BUDGET
        }
    }
}

/// How many prepared statements a connection keeps (later texts are prepared per run).
const STATEMENTS: usize = 256;

/// How long a statement on the blocking pool waits for a locked database (rusqlite's
/// default); inline runs wait not at all.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A cheap hash for SQL texts (FxHash's mixing, 8 bytes at a time): the statement cache is
/// consulted on every statement, and SipHash over the text cost more than the lookup's
/// worth. The texts are the program's own (no adversary to flood the cache, which is
/// bounded).
#[derive(Default)]
struct TextHasher(u64);

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type TextMap<V> = HashMap<Box<[u8]>, V, BuildHasherDefault<TextHasher>>;

/// A connection handle; `connection closed` after [`close`].
#[derive(Clone)]
pub struct SqliteConn {
    inner: Arc<Mutex<State>>,
}

/// A prepared statement of the connection, its SQL text, and whether its last run was fast.
struct Cached {
    sql: Box<[u8]>,
    stmt: RawStmt,
    fast: bool,
}

/// The connection (None once closed) and its prepared statements.
///
/// The statements belong to the connection; they are declared first, so they are dropped
/// (finalized) first, and [`close`] clears them before it drops the connection. `index`
/// finds a statement by its text; `last` is the one used last, checked before the index
/// (a loop runs one statement over and over: comparing its text is cheaper than hashing it).
struct State {
    stmts: Vec<Cached>,
    index: TextMap<usize>,
    last: usize,
    conn: Option<Box<Connection>>,
}

impl State {
    fn new(conn: Connection) -> State {
        State {
            stmts: Vec::new(),
            index: TextMap::default(),
            last: 0,
            conn: Some(Box::new(conn)),
        }
    }

    /// Forgets the prepared statements, then closes the connection.
    fn close(&mut self) {
        self.stmts.clear();
        self.index.clear();
        self.conn = None;
    }

    /// The cached statement of `sql`, if any.
    fn find(&mut self, sql: &[u8]) -> Option<usize> {
        if self.stmts.get(self.last).is_some_and(|c| *c.sql == *sql) {
            return Some(self.last);
        }
        let at = *self.index.get(sql)?;
        self.last = at;
        Some(at)
    }

    /// The connection's raw handle (`None` once closed).
    fn handle(&self) -> Option<*mut rusqlite::ffi::sqlite3> {
        // SAFETY: the handle is only used while the connection lives, under the state's lock.
        self.conn.as_deref().map(|c| unsafe { c.handle() })
    }

    /// Caches a newly prepared statement of `sql`, if there is room: its index.
    fn keep(&mut self, sql: &[u8], stmt: RawStmt) -> Result<usize, RawStmt> {
        if self.stmts.len() >= STATEMENTS {
            return Err(stmt);
        }
        let at = self.stmts.len();
        self.stmts.push(Cached {
            sql: sql.into(),
            stmt,
            fast: false,
        });
        self.index.insert(sql.into(), at);
        self.last = at;
        Ok(at)
    }
}

impl SqliteConn {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl std::fmt::Debug for SqliteConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteConn")
    }
}

fn message(e: rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(err, Some(msg)) if msg.is_empty() => err.to_string(),
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg,
        rusqlite::Error::SqliteFailure(err, None) => err.to_string(),
        // rusqlite appends " in <sql> at offset <n>" to prepare errors; keep SQLite's text.
        rusqlite::Error::SqlInputError { msg, .. } => msg,
        other => other.to_string(),
    }
}

/// `Sqlite.open(path)`: read-write, created when missing; `":memory:"` is private.
pub fn open(path: &str) -> Result<SqliteConn, String> {
    let path = path.to_string();
    offload(move || {
        // rusqlite appends ": <path>" to SQLite's message; the spec's text is SQLite's own.
        let conn = Connection::open(&path).map_err(|e| {
            let m = message(e);
            m.strip_suffix(&format!(": {path}"))
                .map_or(m.clone(), str::to_string)
        })?;
        conn.busy_timeout(Duration::ZERO).map_err(message)?;
        Ok(SqliteConn {
            inner: Arc::new(Mutex::new(State::new(conn))),
        })
    })
}

/// `Sqlite.close(db)`.
pub fn close(db: &SqliteConn) {
    let db = db.clone();
    offload(move || db.lock().close());
}

/// Refuses NUL bytes, which SQLite's C strings cannot carry.
fn check_nul<P: AsRef<[u8]>>(sql: &[u8], params: &[P]) -> Result<(), Failure> {
    if sql.contains(&0) {
        return Err(Failure::Other("SQL contains null byte".into()));
    }
    if params.iter().any(|p| p.as_ref().contains(&0)) {
        return Err(Failure::Other("parameter contains null byte".into()));
    }
    Ok(())
}

/// Runs `sql` on the state's connection through its statement cache and records whether the
/// run was fast (on the blocking pool, with the busy timeout set: see [`statement`]).
fn run<P: AsRef<[u8]>, R: Rows + ?Sized>(
    st: &mut State,
    sql: &[u8],
    params: &[P],
    rows: &mut R,
) -> Result<i64, Failure> {
    check_nul(sql, params)?;
    let db = st
        .handle()
        .ok_or_else(|| Failure::Other("connection closed".into()))?;
    let at = match st.find(sql) {
        Some(at) => at,
        // SAFETY: `db` is the state's live connection, used under its lock.
        None => match st.keep(sql, unsafe { RawStmt::prepare(db, sql) }?) {
            Ok(at) => at,
            // The cache is full: this text runs freshly prepared, and never inline.
            // SAFETY: as above; the statement was prepared on `db`.
            Err(mut stmt) => return unsafe { stmt.run(db, params, rows) },
        },
    };
    let c = &mut st.stmts[at];
    let timer = RunTimer::start();
    // SAFETY: as above.
    let r = unsafe { c.stmt.run(db, params, rows) };
    c.fast = timer.fast();
    r
}

/// Runs one statement: on the calling worker when it is known to be fast and can run at
/// once (its rows go to `rows` one by one), else on the blocking pool (see the module header;
/// its rows go to `rows` all at once after it). Returns the change count.
fn statement<P: AsRef<[u8]>, R: Rows + ?Sized>(
    db: &SqliteConn,
    sql: &[u8],
    params: &[P],
    rows: &mut R,
) -> Result<i64, String> {
    if let Ok(mut g) = db.inner.try_lock() {
        let st = &mut *g;
        if let (Some(handle), Some(at)) = (st.handle(), st.find(sql)) {
            let c = &mut st.stmts[at];
            if c.fast {
                // The busy timeout is zero here (see the module header).
                let timer = RunTimer::start();
                let r = check_nul(sql, params)
                    // SAFETY: the state's live connection, used under its lock.
                    .and_then(|()| unsafe { c.stmt.run(handle, params, rows) });
                let fast = timer.fast();
                if let Err(Failure::Busy(_)) = r {
                    c.fast = false;
                } else {
                    c.fast = fast;
                    return r.map_err(String::from);
                }
            }
        }
    }
    let params: Vec<Vec<u8>> = params.iter().map(|p| p.as_ref().to_vec()).collect();
    let (db, sql) = (db.clone(), sql.to_vec());
    let (found, changed) = offload(move || {
        let mut st = db.lock();
        let Some(conn) = st.conn.as_deref() else {
            return Err("connection closed".to_string());
        };
        // A statement here may wait for a locked database (see the module header).
        let _ = conn.busy_timeout(BUSY_TIMEOUT);
        let mut found: Vec<Row> = Vec::new();
        let r = run(&mut st, &sql, &params, &mut found);
        if let Some(conn) = st.conn.as_deref() {
            let _ = conn.busy_timeout(Duration::ZERO);
        }
        r.map(|changed| (found, changed)).map_err(String::from)
    })?;
    rows.all(found);
    Ok(changed)
}

/// Whether `sql` would run on the calling worker now (for tests of the placement rule).
#[doc(hidden)]
pub fn runs_inline(db: &SqliteConn, sql: &str) -> bool {
    let mut st = db.lock();
    st.find(sql.as_bytes()).is_some_and(|at| st.stmts[at].fast)
}

/// Records `sql` as fast on this connection, as a run under the budget would (for tests
/// that must not depend on how fast the machine is). Prepares it if need be.
#[doc(hidden)]
pub fn mark_fast(db: &SqliteConn, sql: &str) {
    let mut st = db.lock();
    let Some(handle) = st.handle() else {
        return;
    };
    let sql = sql.as_bytes();
    let at = match st.find(sql) {
        Some(at) => Some(at),
        // SAFETY: the state's live connection, used under its lock.
        None => unsafe { RawStmt::prepare(handle, sql) }
            .ok()
            .and_then(|stmt| st.keep(sql, stmt).ok()),
    };
    if let Some(at) = at {
        st.stmts[at].fast = true;
    }
}

/// `Sqlite.execute`: one statement; the number of rows it changed.
pub fn execute(db: &SqliteConn, sql: &str, params: &[String]) -> Result<i64, String> {
    statement(db, sql.as_bytes(), params, &mut Discard)
}

/// `Sqlite.query`: one statement; all its rows.
pub fn query(db: &SqliteConn, sql: &str, params: &[String]) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    statement(db, sql.as_bytes(), params, &mut rows)?;
    Ok(rows)
}

/// [`execute`] with borrowed parameters as bytes (the Mesh bindings: no copy and no UTF-8
/// check on the inline path).
pub fn execute_bytes(db: &SqliteConn, sql: &[u8], params: &[&[u8]]) -> Result<i64, String> {
    statement(db, sql, params, &mut Discard)
}

/// [`query`] with borrowed parameters as bytes, its rows handed to `rows` (the Mesh
/// bindings build Mesh values from SQLite's own buffers on the inline path).
pub fn query_into<R: Rows + ?Sized>(
    db: &SqliteConn,
    sql: &[u8],
    params: &[&[u8]],
    rows: &mut R,
) -> Result<(), String> {
    statement(db, sql, params, rows).map(|_| ())
}

/// `Sqlite.begin`.
pub fn begin(db: &SqliteConn) -> Result<(), String> {
    execute(db, "BEGIN", &[]).map(|_| ())
}

/// `Sqlite.commit`.
pub fn commit(db: &SqliteConn) -> Result<(), String> {
    execute(db, "COMMIT", &[]).map(|_| ())
}

/// `Sqlite.rollback`.
pub fn rollback(db: &SqliteConn) -> Result<(), String> {
    execute(db, "ROLLBACK", &[]).map(|_| ())
}

//! PostgreSQL connections (stdlib spec §23 `Pg.*`): a shareable [`PgConn`] handle over the
//! protocol client in `pg/wire.rs`. A call takes the handle's turn, so it is atomic with
//! respect to other callers of the same handle, and runs on the calling thread: the socket
//! parks only the calling process while the server answers (`pg/wire.rs`), and a caller
//! waiting for the turn parks too ([`super::wait`]), so no scheduler worker ever waits.

pub mod tls;
pub mod url;
pub mod wire;

use super::wait::Waiter;
use super::Row;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;
pub use url::{SslMode, Url};
pub use wire::{AuthMethod, Conn, Outcome};

/// A server error's fields (spec §21 structured form).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerError {
    pub code: String,
    pub constraint: String,
    pub table: String,
    pub column: String,
    pub message: String,
}

/// A PostgreSQL failure: a server error, or a client-side sentence (connect, I/O, pool).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PgError {
    Server(ServerError),
    Client(String),
}

impl PgError {
    /// SQLSTATE 28P01 (invalid password) or 28000 (invalid authorization).
    pub fn is_auth_failure(&self) -> bool {
        matches!(self, PgError::Server(e) if e.code == "28P01" || e.code == "28000")
    }
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PgError::Server(e) => write!(
                f,
                "{}\t{}\t{}\t{}\t{}",
                e.code, e.constraint, e.table, e.column, e.message
            ),
            PgError::Client(s) => f.write_str(s),
        }
    }
}

impl From<PgError> for String {
    fn from(e: PgError) -> String {
        e.to_string()
    }
}

/// A connection handle: cheap to clone and share between processes. Closed once closed (or
/// checked in to a pool); later calls fail with `connection closed`.
#[derive(Clone)]
pub struct PgConn {
    inner: Arc<Mutex<Slot>>,
    /// The id of the pool it was checked out of (0: a plain `Pg.connect` connection).
    owner: usize,
}

/// Where a handle's connection is, and who waits for it.
struct Slot {
    state: State,
    /// Callers waiting for the turn, all woken when it is given back.
    waiting: Vec<Waker>,
}

enum State {
    Free(Conn),
    /// A caller holds the turn (the connection is in its [`Turn`]).
    InUse,
    Closed,
}

/// A caller's exclusive use of a handle's connection, given back on drop (an unwinding
/// caller included: a statement cut short leaves the connection marked broken).
struct Turn<'a> {
    handle: &'a PgConn,
    conn: Option<Conn>,
    /// Close the handle when the turn ends (the connection was taken out).
    close: bool,
}

impl Deref for Turn<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
            .as_ref()
            .expect("a turn holds its connection until dropped")
    }
}

impl DerefMut for Turn<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn
            .as_mut()
            .expect("a turn holds its connection until dropped")
    }
}

impl Turn<'_> {
    /// Takes the connection out; the handle is closed from now on.
    fn take(mut self) -> Conn {
        self.close = true;
        self.conn
            .take()
            .expect("a turn holds its connection until taken")
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let waiting = {
            let mut g = self.handle.lock();
            g.state = match self.conn.take() {
                Some(c) if !self.close => State::Free(c),
                _ => State::Closed,
            };
            std::mem::take(&mut g.waiting)
        };
        waiting.into_iter().for_each(Waker::wake);
    }
}

impl fmt::Debug for PgConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PgConn")
    }
}

fn closed() -> PgError {
    PgError::Client("connection closed".into())
}

impl PgConn {
    /// Wraps an open connection.
    pub fn new(conn: Conn) -> PgConn {
        PgConn::owned(conn, 0)
    }

    /// Wraps a connection checked out of the pool with id `owner`.
    pub fn owned(conn: Conn, owner: usize) -> PgConn {
        PgConn {
            inner: Arc::new(Mutex::new(Slot {
                state: State::Free(conn),
                waiting: Vec::new(),
            })),
            owner,
        }
    }

    /// The id of the pool the connection belongs to (0 for none).
    pub fn owner(&self) -> usize {
        self.owner
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits (parked) for the connection's turn; `connection closed` once closed.
    fn turn(&self) -> Result<Turn<'_>, PgError> {
        let mut waiter = None;
        loop {
            let mut g = self.lock();
            match std::mem::replace(&mut g.state, State::InUse) {
                State::Free(conn) => {
                    return Ok(Turn {
                        handle: self,
                        conn: Some(conn),
                        close: false,
                    })
                }
                State::Closed => {
                    g.state = State::Closed;
                    return Err(closed());
                }
                State::InUse => {
                    let w: &Waiter = waiter.get_or_insert_with(Waiter::current);
                    if !g.waiting.iter().any(|x| x.will_wake(w.waker())) {
                        g.waiting.push(w.waker().clone());
                    }
                    drop(g);
                    w.wait(None);
                }
            }
        }
    }

    /// Takes the connection out of the handle (pool check-in; waits for a statement in
    /// progress on it); the handle is closed after.
    pub fn take(&self) -> Option<Conn> {
        self.turn().ok().map(Turn::take)
    }

    /// Whether two handles are the same connection.
    pub fn same(&self, other: &PgConn) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Runs one statement (see the module header for where it waits).
    pub fn run(&self, sql: &str, params: &[String]) -> Result<Outcome, PgError> {
        self.turn()?.run(sql, params)
    }

    /// The authentication method used when the connection was opened.
    pub fn auth_method(&self) -> Option<AuthMethod> {
        self.turn().ok().map(|c| c.auth)
    }

    /// Whether the connection uses TLS.
    pub fn is_tls(&self) -> bool {
        self.turn().is_ok_and(|c| c.tls)
    }
}

/// `Pg.connect(url)`.
pub fn connect(url: &str) -> Result<PgConn, PgError> {
    let url = Url::parse(url).map_err(PgError::Client)?;
    Conn::connect(&url).map(PgConn::new)
}

/// `Pg.close(conn)`: sends Terminate and closes; later calls fail with `connection closed`.
pub fn close(conn: &PgConn) {
    if let Some(c) = conn.take() {
        c.terminate();
    }
}

fn run(conn: &PgConn, sql: &str, params: &[String]) -> Result<Outcome, PgError> {
    conn.run(sql, params)
}

/// `Pg.execute`: the affected-row count.
pub fn execute(conn: &PgConn, sql: &str, params: &[String]) -> Result<i64, PgError> {
    run(conn, sql, params).map(|o| o.affected)
}

/// `Pg.query`: all rows.
pub fn query(conn: &PgConn, sql: &str, params: &[String]) -> Result<Vec<Row>, PgError> {
    run(conn, sql, params).map(|o| o.rows)
}

/// `Pg.query_as`: each row mapped by `from_row` (in the calling process), results kept
/// per row.
pub fn query_as<T>(
    conn: &PgConn,
    sql: &str,
    params: &[String],
    from_row: impl Fn(&Row) -> Result<T, String>,
) -> Result<Vec<Result<T, String>>, PgError> {
    Ok(query(conn, sql, params)?.iter().map(from_row).collect())
}

/// `Pg.begin`.
pub fn begin(conn: &PgConn) -> Result<(), PgError> {
    run(conn, "BEGIN", &[]).map(|_| ())
}

/// `Pg.commit`.
pub fn commit(conn: &PgConn) -> Result<(), PgError> {
    run(conn, "COMMIT", &[]).map(|_| ())
}

/// `Pg.rollback`.
pub fn rollback(conn: &PgConn) -> Result<(), PgError> {
    run(conn, "ROLLBACK", &[]).map(|_| ())
}

/// `Pg.transaction(conn, f)`: `BEGIN`; `f`; `COMMIT` on `Ok` (a failed commit rolls back and
/// gives `COMMIT: <reason>`), `ROLLBACK` on `Err` (the same `Err`) and on a panic in `f`
/// (`transaction aborted: panic in callback`). `f` runs in the calling process.
pub fn transaction<T>(
    conn: &PgConn,
    f: impl FnOnce(&PgConn) -> Result<T, String>,
) -> Result<T, String> {
    begin(conn).map_err(|e| format!("BEGIN: {e}"))?;
    match catch_unwind(AssertUnwindSafe(|| f(conn))) {
        Ok(Ok(v)) => match commit(conn) {
            Ok(()) => Ok(v),
            Err(e) => {
                let _ = rollback(conn);
                Err(format!("COMMIT: {e}"))
            }
        },
        Ok(Err(e)) => {
            let _ = rollback(conn);
            Err(e)
        }
        Err(_) => {
            let _ = rollback(conn);
            Err("transaction aborted: panic in callback".to_string())
        }
    }
}

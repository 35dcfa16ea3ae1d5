//! PostgreSQL connections (stdlib spec §23 `Pg.*`): a shareable [`PgConn`] handle over the
//! protocol client in `pg/wire.rs`. Each call locks the handle, so a call is atomic with
//! respect to other callers of the same handle, and runs through [`offload`] so the calling
//! process parks instead of its worker blocking.

pub mod tls;
pub mod url;
pub mod wire;

use super::{offload, Row};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};
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

/// A connection handle: cheap to clone and share between processes. `None` inside once
/// closed (or checked in to a pool); later calls fail with `connection closed`.
#[derive(Clone)]
pub struct PgConn {
    inner: Arc<Mutex<Option<Conn>>>,
    /// The id of the pool it was checked out of (0: a plain `Pg.connect` connection).
    owner: usize,
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
            inner: Arc::new(Mutex::new(Some(conn))),
            owner,
        }
    }

    /// The id of the pool the connection belongs to (0 for none).
    pub fn owner(&self) -> usize {
        self.owner
    }

    fn lock(&self) -> MutexGuard<'_, Option<Conn>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the connection out of the handle (pool check-in); the handle is closed after.
    pub fn take(&self) -> Option<Conn> {
        self.lock().take()
    }

    /// Whether two handles are the same connection.
    pub fn same(&self, other: &PgConn) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Runs one statement on the calling thread (already off the workers).
    pub fn run_sync(&self, sql: &str, params: &[String]) -> Result<Outcome, PgError> {
        let mut g = self.lock();
        let conn = g.as_mut().ok_or_else(closed)?;
        conn.run(sql, params)
    }

    /// The authentication method used when the connection was opened.
    pub fn auth_method(&self) -> Option<AuthMethod> {
        self.lock().as_ref().map(|c| c.auth)
    }

    /// Whether the connection uses TLS.
    pub fn is_tls(&self) -> bool {
        self.lock().as_ref().is_some_and(|c| c.tls)
    }
}

/// `Pg.connect(url)`.
pub fn connect(url: &str) -> Result<PgConn, PgError> {
    let url = Url::parse(url).map_err(PgError::Client)?;
    offload(move || Conn::connect(&url).map(PgConn::new))
}

/// `Pg.close(conn)`: sends Terminate and closes; later calls fail with `connection closed`.
pub fn close(conn: &PgConn) {
    if let Some(c) = conn.take() {
        offload(move || c.terminate());
    }
}

fn run(conn: &PgConn, sql: &str, params: &[String]) -> Result<Outcome, PgError> {
    let (conn, sql, params) = (conn.clone(), sql.to_string(), params.to_vec());
    offload(move || conn.run_sync(&sql, &params))
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

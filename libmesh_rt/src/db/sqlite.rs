//! SQLite (stdlib spec §22) through rusqlite with SQLite compiled in. A [`SqliteConn`] is a
//! shareable handle; each call locks it and runs on the blocking pool ([`offload`]).
//! Parameters bind positionally as text; rows follow spec §21 (`NULL` → `""`).

use super::{make_row, offload, Row};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::sync::{Arc, Mutex};

/// A connection handle; `connection closed` after [`close`].
#[derive(Clone)]
pub struct SqliteConn {
    inner: Arc<Mutex<Option<Connection>>>,
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
        Ok(SqliteConn {
            inner: Arc::new(Mutex::new(Some(conn))),
        })
    })
}

/// `Sqlite.close(db)`.
pub fn close(db: &SqliteConn) {
    let db = db.clone();
    offload(move || {
        let conn = db.inner.lock().unwrap_or_else(|e| e.into_inner()).take();
        drop(conn);
    });
}

/// The statement's rows and its change count (0 unless it changed rows).
fn run(conn: &Connection, sql: &str, params: &[String]) -> Result<(Vec<Row>, i64), String> {
    if sql.contains('\0') {
        return Err("SQL contains null byte".into());
    }
    if params.iter().any(|p| p.contains('\0')) {
        return Err("parameter contains null byte".into());
    }
    let before = conn.total_changes();
    // Cached per connection (rusqlite clears the bindings when a statement goes back), so a
    // statement the program runs again is not compiled again.
    let mut stmt = conn.prepare_cached(sql).map_err(message)?;
    let n = stmt.parameter_count().min(params.len());
    for (i, p) in params.iter().take(n).enumerate() {
        stmt.raw_bind_parameter(i + 1, p.as_str())
            .map_err(message)?;
    }
    let columns: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut rows = Vec::new();
    let mut cursor = stmt.raw_query();
    while let Some(row) = cursor.next().map_err(message)? {
        let mut values = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            values.push(text(row.get_ref(i).map_err(message)?));
        }
        rows.push(make_row(&columns, values));
    }
    drop(cursor);
    let changed = if conn.total_changes() != before {
        conn.changes() as i64
    } else {
        0
    };
    Ok((rows, changed))
}

/// A column value as text: integers and reals as decimal text, `NULL` as `None`.
fn text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => {
            Some(format!("{f:.1}"))
        }
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

fn with<R: Send + 'static>(
    db: &SqliteConn,
    f: impl FnOnce(&Connection) -> Result<R, String> + Send + 'static,
) -> Result<R, String> {
    let db = db.clone();
    offload(move || {
        let g = db.inner.lock().unwrap_or_else(|e| e.into_inner());
        let conn = g.as_ref().ok_or("connection closed")?;
        f(conn)
    })
}

/// `Sqlite.execute`: one statement; the number of rows it changed.
pub fn execute(db: &SqliteConn, sql: &str, params: &[String]) -> Result<i64, String> {
    let (sql, params) = (sql.to_string(), params.to_vec());
    with(db, move |c| run(c, &sql, &params).map(|r| r.1))
}

/// `Sqlite.query`: one statement; all its rows.
pub fn query(db: &SqliteConn, sql: &str, params: &[String]) -> Result<Vec<Row>, String> {
    let (sql, params) = (sql.to_string(), params.to_vec());
    with(db, move |c| run(c, &sql, &params).map(|r| r.0))
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

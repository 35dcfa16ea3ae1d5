//! Databases (stdlib spec §21–§27) as a Rust API over plain Rust values: SQLite, a
//! PostgreSQL client and connection pool, the query builder with `Expr`, `Repo` statements,
//! the migration DDL helpers and the core of the migration runner. The Mesh bindings (ABI
//! rows) convert Mesh values to these types and back; nothing here touches a Mesh heap.
//!
//! No scheduler worker ever waits for a database: PostgreSQL runs on the calling worker over
//! the scheduler's non-blocking sockets, so only the calling process waits for the server
//! (`pg/wire.rs`), and waiting for a pool's connection or a shared connection parks the
//! process too (`wait.rs`). SQLite statements known to be fast run on the calling worker;
//! others go to the blocking pool through [`offload`] (`sqlite.rs`).

pub mod changeset;
pub mod expr;
pub mod migrate;
pub mod migration;
pub mod orm;
pub mod pg;
pub mod pool;
pub mod query;
pub mod repo;
pub mod sqlite;
pub mod wait;

pub use expr::Expr;
pub use pg::{PgConn, PgError};
pub use pool::Pool;
pub use query::Query;

/// One result row (spec §21): `(column name, text)` in select order. SQL `NULL` is `""`;
/// when two columns share a name the later value wins (at the first one's position).
pub type Row = Vec<(String, String)>;

/// Builds a [`Row`] from column names and nullable texts by the §21 rules.
pub fn make_row<N: AsRef<str>>(columns: &[N], values: Vec<Option<String>>) -> Row {
    let mut row: Row = Vec::with_capacity(columns.len());
    for (name, value) in columns.iter().zip(values) {
        let (name, value) = (name.as_ref(), value.unwrap_or_default());
        match row.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => row.push((name.to_string(), value)),
        }
    }
    row
}

/// A row's value for `column`, `""` when missing (like `Map.get` on a row, spec §21).
pub fn get<'a>(row: &'a Row, column: &str) -> &'a str {
    row.iter()
        .find(|(n, _)| n == column)
        .map_or("", |(_, v)| v.as_str())
}

/// Runs a database call off the scheduler's workers (see the module header).
pub fn offload<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    crate::sched::blocking(f)
}

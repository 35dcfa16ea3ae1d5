//! Prepared statements driven through SQLite's C API (rusqlite's `ffi`), for the per-statement
//! path of [`super`]: rusqlite still opens, configures and closes the connection, but a cached
//! statement is bound, stepped and reset here. Two things rusqlite's `Statement` cannot do are
//! why: parameters bind as `SQLITE_STATIC` (SQLite reads the caller's bytes in place instead
//! of copying each one, which rusqlite always does for text), and parameters and SQL are bytes,
//! so no UTF-8 check is made per statement (Mesh strings are UTF-8 already; SQLite stores
//! text as given).
//!
//! Binding rule (what makes `SQLITE_STATIC` sound): the bytes bound to a statement are only
//! read by `sqlite3_step`, and every [`RawStmt::run`] binds every parameter before it steps,
//! or clears all bindings first when it has fewer values than parameters, so a step never
//! reads bytes bound by an earlier run.

use crate::db::{make_row, Row};
use rusqlite::ffi;
use std::ffi::{c_char, c_int, CStr};
use std::ptr::{self, NonNull};

/// Why a statement failed: the database was busy or locked (the statement had no effect), or
/// anything else; both carry SQLite's message.
pub(super) enum Failure {
    Busy(String),
    Other(String),
}

impl From<Failure> for String {
    fn from(f: Failure) -> String {
        match f {
            Failure::Busy(m) | Failure::Other(m) => m,
        }
    }
}

/// A prepared statement of one connection; `None` inside for SQL with no statement in it
/// (empty text or only a comment), which runs as a no-op. Finalized when dropped, which
/// must happen before its connection closes (the cache drops statements first).
pub(super) struct RawStmt(Option<NonNull<ffi::sqlite3_stmt>>);

// SAFETY: a statement is used only under its connection's lock (`State`), one thread at a time.
unsafe impl Send for RawStmt {}

impl Drop for RawStmt {
    fn drop(&mut self) {
        if let Some(stmt) = self.0 {
            // SAFETY: the statement is live and finalized once.
            unsafe { ffi::sqlite3_finalize(stmt.as_ptr()) };
        }
    }
}

/// The failure SQLite reported for `code` on `db`, with its message.
///
/// # Safety
/// `db` must be a live connection handle.
unsafe fn failure(db: *mut ffi::sqlite3, code: c_int) -> Failure {
    // SAFETY: forwarded contract; `sqlite3_errmsg` returns a NUL-terminated string.
    let text = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }.to_string_lossy();
    let err = ffi::Error::new(code);
    let text = if text.is_empty() {
        err.to_string()
    } else {
        text.into_owned()
    };
    match err.code {
        ffi::ErrorCode::DatabaseBusy | ffi::ErrorCode::DatabaseLocked => Failure::Busy(text),
        _ => Failure::Other(text),
    }
}

impl RawStmt {
    /// Compiles the first statement of `sql` (later ones are ignored, as rusqlite does).
    ///
    /// # Safety
    /// `db` must be a live connection handle, used only by this thread for the call.
    pub(super) unsafe fn prepare(db: *mut ffi::sqlite3, sql: &[u8]) -> Result<RawStmt, Failure> {
        let Ok(len) = c_int::try_from(sql.len()) else {
            return Err(Failure::Other("string or blob too big".into()));
        };
        let mut stmt = ptr::null_mut();
        // SAFETY: `sql` is `len` readable bytes; SQLite copies what it keeps.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                db,
                sql.as_ptr().cast::<c_char>(),
                len,
                &mut stmt,
                ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            // SAFETY: forwarded contract.
            return Err(unsafe { failure(db, rc) });
        }
        Ok(RawStmt(NonNull::new(stmt)))
    }

    /// Binds `params` (missing ones are NULL, extra ones ignored), steps to the end, and
    /// resets: hands each row to `rows` (only when the statement has columns) and returns
    /// the change count (0 unless this run changed rows).
    ///
    /// # Safety
    /// `db` must be the live connection this statement was prepared on, used only by this
    /// thread for the call.
    pub(super) unsafe fn run<P: AsRef<[u8]>, R: Rows + ?Sized>(
        &mut self,
        db: *mut ffi::sqlite3,
        params: &[P],
        rows: &mut R,
    ) -> Result<i64, Failure> {
        let Some(stmt) = self.0 else {
            return Ok(0);
        };
        let stmt = stmt.as_ptr();
        // SAFETY: `db` and `stmt` are live (contract); every pointer handed to SQLite below
        // points to memory that outlives the call that reads it (binding rule, module header),
        // and the names and cells read from SQLite are used before the next step.
        unsafe {
            let before = ffi::sqlite3_total_changes64(db);
            let count = ffi::sqlite3_bind_parameter_count(stmt) as usize;
            if params.len() < count {
                ffi::sqlite3_clear_bindings(stmt);
            }
            for (i, p) in params.iter().take(count).enumerate() {
                let p = p.as_ref();
                let Ok(len) = c_int::try_from(p.len()) else {
                    return Err(Failure::Other("string or blob too big".into()));
                };
                // A non-null pointer even for an empty text (`""`, not NULL).
                let at = if p.is_empty() {
                    b"".as_ptr()
                } else {
                    p.as_ptr()
                };
                let rc = ffi::sqlite3_bind_text(
                    stmt,
                    (i + 1) as c_int,
                    at.cast::<c_char>(),
                    len,
                    ffi::SQLITE_STATIC(),
                );
                if rc != ffi::SQLITE_OK {
                    return Err(failure(db, rc));
                }
            }
            // Names and width are read at the first row: the first step may compile the
            // statement again (the schema changed), which can change both and frees the
            // names read before it.
            let mut names: Option<Inline<&str>> = None;
            let mut cells: Inline<Cell<'_>> = Inline::new(0, Cell::Null);
            let outcome = loop {
                match ffi::sqlite3_step(stmt) {
                    ffi::SQLITE_ROW => {
                        let names = names.get_or_insert_with(|| {
                            let width = ffi::sqlite3_column_count(stmt) as usize;
                            cells = Inline::new(width, Cell::Null);
                            let mut names = Inline::new(width, "");
                            for (i, name) in names.iter_mut().enumerate() {
                                let at = ffi::sqlite3_column_name(stmt, i as c_int);
                                if !at.is_null() {
                                    *name = std::str::from_utf8(CStr::from_ptr(at).to_bytes())
                                        .unwrap_or("");
                                }
                            }
                            names
                        });
                        if names.is_empty() {
                            continue;
                        }
                        for (i, cell) in cells.iter_mut().enumerate() {
                            *cell = Cell::read(stmt, i as c_int);
                        }
                        rows.row(names, &cells);
                    }
                    ffi::SQLITE_DONE => break Ok(()),
                    rc => break Err(failure(db, rc)),
                }
            };
            ffi::sqlite3_reset(stmt);
            outcome?;
            Ok(if ffi::sqlite3_total_changes64(db) != before {
                ffi::sqlite3_changes64(db)
            } else {
                0
            })
        }
    }
}

/// Where a statement's rows go.
pub trait Rows {
    /// One row as SQLite has it: the column names (the same for every row of a statement)
    /// and the values, borrowed until the next row.
    fn row(&mut self, names: &[&str], cells: &[Cell<'_>]);
    /// All the statement's rows at once (it ran on the blocking pool), in place of any row
    /// given before (a run that found the database busy and was run again there).
    fn all(&mut self, rows: Vec<Row>);
}

/// A row's rows collected as Rust values.
impl Rows for Vec<Row> {
    fn row(&mut self, names: &[&str], cells: &[Cell<'_>]) {
        self.push(make_row(names, cells.iter().map(Cell::text).collect()));
    }

    fn all(&mut self, rows: Vec<Row>) {
        *self = rows;
    }
}

/// No rows wanted (`Sqlite.execute`).
pub struct Discard;

impl Rows for Discard {
    fn row(&mut self, _: &[&str], _: &[Cell<'_>]) {}
    fn all(&mut self, _: Vec<Row>) {}
}

/// A column value of the current row, borrowed from SQLite.
#[derive(Clone, Copy)]
pub enum Cell<'a> {
    Null,
    Int(i64),
    Real(f64),
    /// Text or a blob, as stored.
    Bytes(&'a [u8]),
}

impl Cell<'_> {
    /// Column `i` of the current row.
    ///
    /// # Safety
    /// `stmt` must be a live statement positioned on a row with more than `i` columns; the
    /// cell is valid until the statement next steps or resets.
    unsafe fn read<'a>(stmt: *mut ffi::sqlite3_stmt, i: c_int) -> Cell<'a> {
        // SAFETY: forwarded contract; the pointer and length are read before any other
        // call on the column.
        unsafe {
            match ffi::sqlite3_column_type(stmt, i) {
                ffi::SQLITE_NULL => Cell::Null,
                ffi::SQLITE_INTEGER => Cell::Int(ffi::sqlite3_column_int64(stmt, i)),
                ffi::SQLITE_FLOAT => Cell::Real(ffi::sqlite3_column_double(stmt, i)),
                kind => {
                    let at = if kind == ffi::SQLITE_TEXT {
                        ffi::sqlite3_column_text(stmt, i)
                    } else {
                        ffi::sqlite3_column_blob(stmt, i).cast::<u8>()
                    };
                    let len = ffi::sqlite3_column_bytes(stmt, i) as usize;
                    if at.is_null() || len == 0 {
                        Cell::Bytes(&[])
                    } else {
                        Cell::Bytes(std::slice::from_raw_parts(at, len))
                    }
                }
            }
        }
    }

    /// The value as §21 text: integers and reals as decimal text, `NULL` as `None`, text
    /// and blobs as (lossy) UTF-8.
    pub fn text(&self) -> Option<String> {
        match *self {
            Cell::Null => None,
            Cell::Int(n) => Some(itoa::Buffer::new().format(n).to_string()),
            Cell::Real(f) => Some(real_text(f)),
            Cell::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
        }
    }
}

/// Up to [`INLINE`] values on the frame, more on the heap: a row's names and cells without
/// an allocation per statement.
struct Inline<T: Copy> {
    few: [T; INLINE],
    many: Vec<T>,
    len: usize,
}

const INLINE: usize = 8;

impl<T: Copy> Inline<T> {
    fn new(len: usize, fill: T) -> Inline<T> {
        Inline {
            few: [fill; INLINE],
            many: if len > INLINE {
                vec![fill; len]
            } else {
                Vec::new()
            },
            len,
        }
    }
}

impl<T: Copy> std::ops::Deref for Inline<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        if self.len > INLINE {
            &self.many
        } else {
            &self.few[..self.len]
        }
    }
}

impl<T: Copy> std::ops::DerefMut for Inline<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        if self.len > INLINE {
            &mut self.many
        } else {
            &mut self.few[..self.len]
        }
    }
}

/// A REAL as text: whole numbers with one decimal (`3.0`), others as Rust prints them.
fn real_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

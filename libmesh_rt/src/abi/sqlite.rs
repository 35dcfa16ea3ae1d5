//! The `Sqlite` module (stdlib spec §21–§22): thin wrappers over `db::sqlite` that convert
//! Mesh values at the boundary. A `SqliteConn` is an `Int` handle into a process-wide table of
//! open connections; handles are never reused, and a closed or unknown handle answers
//! `Err("connection closed")` (spec §21). The handle is a plain Int, so it can be stored in
//! service state and sent to other processes; each call locks the connection, so calls through
//! one handle are atomic with respect to each other.
//!
//! A statement runs on the calling worker when `db::sqlite` knows it to be fast, else on the
//! blocking pool (`db::offload`; the calling process is parked and may resume on another
//! worker thread). The SQL text and parameters are passed as borrowed Mesh strings (nothing
//! allocates on the caller's heap until the statement is done; a hand-off to the blocking
//! pool copies them); results are allocated on the caller's heap after the call.

use crate::db::sqlite::{self, Cell, Rows, SqliteConn};
use crate::db::Row;
use crate::stdlib::option;
use crate::value::list::{Builder, List, Shape};
use crate::value::map::{Kind, Table};
use crate::value::string::{alloc_str, as_str, bytes};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// The open connections by handle.
fn table() -> MutexGuard<'static, HashMap<i64, SqliteConn>> {
    static TABLE: OnceLock<Mutex<HashMap<i64, SqliteConn>>> = OnceLock::new();
    TABLE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// The next handle; starts at 1 and only grows, so a closed handle never names a new
/// connection.
static NEXT_HANDLE: AtomicI64 = AtomicI64::new(1);

const CLOSED: &str = "connection closed";

thread_local! {
    /// The handle this thread looked up last, and its connection: a program mostly talks to
    /// one database, so most lookups skip the table's lock. Sound because a handle names one
    /// connection forever; a closed connection answers `connection closed` itself.
    static LAST: RefCell<Option<(i64, SqliteConn)>> = const { RefCell::new(None) };
}

/// The connection behind `handle`, or the spec's error for a closed (or never opened) one.
#[inline(never)] // reads a thread-local: see `sched::current`
fn conn(handle: i64) -> Result<SqliteConn, String> {
    let hit = LAST.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(h, _)| *h == handle)
            .map(|(_, c)| c.clone())
    });
    if let Some(c) = hit {
        return Ok(c);
    }
    let c = table().get(&handle).cloned().ok_or(CLOSED)?;
    LAST.with(|l| *l.borrow_mut() = Some((handle, c.clone())));
    Ok(c)
}

/// Calls `f` with the strings of a `List<String>` as bytes, borrowed (on this frame for up to
/// [`FEW`] of them: no allocation, and nothing moved to hand them over).
///
/// # Safety
/// `list` must be a live `List<String>`; `f` must not allocate on the calling process's heap
/// (a collection could free the strings).
unsafe fn with_strs<R>(list: *mut u8, f: impl FnOnce(&[&[u8]]) -> R) -> R {
    let mut few: [&[u8]; FEW] = [b""; FEW];
    let mut many: Vec<&[u8]> = Vec::new();
    let mut len = 0;
    // SAFETY: forwarded contract: every element is a live Mesh string.
    for w in unsafe { List::from_raw(list) }.iter() {
        // SAFETY: as above.
        let s = unsafe { bytes(w as *const u8) };
        if len < FEW {
            few[len] = s;
        } else {
            if many.is_empty() {
                many.extend_from_slice(&few);
            }
            many.push(s);
        }
        len += 1;
    }
    if len <= FEW {
        f(&few[..len])
    } else {
        f(&many)
    }
}

/// Parameters held inline up to this many (no allocation for a statement's few).
const FEW: usize = 8;

/// `Ok(word)` or `Err(text)` of the result type `desc`.
///
/// # Safety
/// `desc` must be a `Result<T, String>` descriptor and an `Ok` word a value of `T`.
unsafe fn result(desc: *mut u8, r: Result<u64, String>) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(word) => option::ok(desc, word),
            Err(text) => option::err(desc, alloc_str(&text) as u64),
        }
    }
}

/// A statement's rows built as a `List<Map<String, String>>` (entries in column order, spec
/// §21) as they come: on the inline path straight from SQLite's buffers, with each column
/// name allocated once per statement.
///
/// Each map goes into the list as soon as it is built and each string into its map at once,
/// so the collector sees every new object (through the builder, which lives on the calling
/// process's stack, or the stack itself). The names kept for later rows are the keys of the
/// first row's map, so the list keeps them alive.
struct MeshRows {
    list: Builder,
    shape: Shape,
    kind: Kind,
    /// The first row's key of each column (a repeated name reuses its first column's key).
    names: Vec<u64>,
}

impl MeshRows {
    fn new(list_desc: Desc) -> MeshRows {
        let shape = Shape::list(list_desc);
        MeshRows {
            list: Builder::new(shape),
            shape,
            kind: Kind::of(list_desc.item(0)),
            names: Vec::new(),
        }
    }

    fn finish(self) -> *mut u8 {
        self.list.finish().as_ptr()
    }
}

/// A cell as a new Mesh string (§21: `NULL` is `""`, numbers decimal text, text as stored,
/// invalid UTF-8 replaced).
fn cell_string(cell: &Cell<'_>) -> u64 {
    let s = match *cell {
        Cell::Null => alloc_str(""),
        Cell::Int(n) => alloc_str(itoa::Buffer::new().format(n)),
        Cell::Bytes(b) => match std::str::from_utf8(b) {
            Ok(text) => alloc_str(text),
            Err(_) => alloc_str(&String::from_utf8_lossy(b)),
        },
        Cell::Real(_) => alloc_str(&cell.text().unwrap_or_default()),
    };
    s as u64
}

impl Rows for MeshRows {
    fn row(&mut self, names: &[&str], cells: &[Cell<'_>]) {
        let first = self.names.is_empty();
        let mut map = Table::empty(self.kind);
        for (i, (name, cell)) in names.iter().zip(cells).enumerate() {
            let k = if first {
                let k = match names[..i].iter().position(|n| n == name) {
                    Some(j) => self.names[j],
                    None => alloc_str(name) as u64,
                };
                self.names.push(k);
                k
            } else {
                self.names[i]
            };
            let v = cell_string(cell);
            // SAFETY: keys and values are strings, the types of a Map<String, String>.
            map = unsafe { map.put(self.kind, k, v) };
        }
        self.list.push(map.as_word());
    }

    fn all(&mut self, rows: Vec<Row>) {
        self.list = Builder::new(self.shape);
        self.names.clear();
        for row in rows {
            let mut map = Table::empty(self.kind);
            for (column, value) in &row {
                let k = alloc_str(column);
                let v = alloc_str(value);
                // SAFETY: as in `row`.
                map = unsafe { map.put(self.kind, k as u64, v as u64) };
            }
            self.list.push(map.as_word());
        }
    }
}

/// `Sqlite.open(path)`: `Ok(handle)` or `Err(<SQLite message>)`.
///
/// # Safety
/// `desc` must be the `Result<SqliteConn, String>` descriptor and `path` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_sqlite_open(desc: *mut u8, path: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let path = unsafe { as_str(path) }.to_string();
    let opened = sqlite::open(&path).map(|c| {
        let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
        table().insert(handle, c);
        handle as u64
    });
    // SAFETY: forwarded contract; a SqliteConn is an Int word.
    unsafe { result(desc, opened) }
}

/// `Sqlite.close(db)`: closes the connection; later calls answer `connection closed`.
/// Closing a closed handle does nothing.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_sqlite_close(db: i64) {
    let taken = table().remove(&db);
    if let Some(c) = taken {
        sqlite::close(&c);
    }
}

/// `Sqlite.execute(db, sql, params)`: `Ok(<rows changed>)` or `Err(<message>)`.
///
/// # Safety
/// `desc` must be the `Result<Int, String>` descriptor, `sql` a live Mesh string and `params`
/// a live `List<String>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_sqlite_execute(
    desc: *mut u8,
    db: i64,
    sql: *mut u8,
    params: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract; nothing allocates on the caller's heap until the statement
    // is done.
    let changed = unsafe {
        with_strs(params, |params| {
            conn(db).and_then(|c| sqlite::execute_bytes(&c, bytes(sql), params))
        })
    };
    // SAFETY: forwarded contract; an Int is its own word.
    unsafe { result(desc, changed.map(|n| n as u64)) }
}

/// `Sqlite.query(db, sql, params)`: `Ok(<rows as maps>)` or `Err(<message>)`.
///
/// # Safety
/// `desc` must be the `Result<List<Map<String, String>>, String>` descriptor, `sql` a live
/// Mesh string and `params` a live `List<String>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_sqlite_query(
    desc: *mut u8,
    db: i64,
    sql: *mut u8,
    params: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract: a compiler-emitted descriptor whose `Ok` case holds the
    // `List<Map<String, String>>`.
    let list_desc = unsafe { Desc::from_ptr(desc as *const TypeDesc) }
        .item(0)
        .item(0);
    let mut rows = MeshRows::new(list_desc);
    // SAFETY: forwarded contract. The rows are allocated on the caller's heap while the
    // statement runs with the parameters bound in place, so the parameter list is kept
    // alive (on this frame, seen by the collector's stack scan) until it is done.
    let found = unsafe {
        with_strs(params, |ps| {
            conn(db).and_then(|c| sqlite::query_into(&c, bytes(sql), ps, &mut rows))
        })
    };
    std::hint::black_box(params);
    let found = found.map(|()| rows.finish() as u64);
    // SAFETY: forwarded contract.
    unsafe { result(desc, found) }
}

/// `Sqlite.begin` / `commit` / `rollback`: `Ok(())` or `Err(<SQLite message>)`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor.
unsafe fn transaction_step(
    desc: *mut u8,
    db: i64,
    step: fn(&SqliteConn) -> Result<(), String>,
) -> *mut u8 {
    let r = conn(db).and_then(|c| step(&c));
    // SAFETY: forwarded contract; `()` is the word 0.
    unsafe { result(desc, r.map(|()| 0)) }
}

/// `Sqlite.begin(db)`: issues `BEGIN`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_sqlite_begin(desc: *mut u8, db: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { transaction_step(desc, db, sqlite::begin) }
}

/// `Sqlite.commit(db)`: issues `COMMIT`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_sqlite_commit(desc: *mut u8, db: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { transaction_step(desc, db, sqlite::commit) }
}

/// `Sqlite.rollback(db)`: issues `ROLLBACK`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_sqlite_rollback(desc: *mut u8, db: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { transaction_step(desc, db, sqlite::rollback) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::stdlib_string::tests::string_list_desc;
    use crate::stdlib::option::testing::{read, sum_desc, text};

    fn mesh(s: &str) -> *mut u8 {
        alloc_str(s)
    }

    #[test]
    fn handles_are_fresh_ints_and_closed_ones_answer_connection_closed() {
        let desc = sum_desc("Result", &["Ok", "Err"]) as *mut u8;
        let no_params = string_list_desc();
        // SAFETY: a Result desc (the payload is read back as a word), fresh Mesh strings and
        // an empty List<String> built from its descriptor.
        unsafe {
            let empty = crate::abi::list::mesh_rt_list_new(no_params);
            let (a, b) = (
                read(mesh_rt_sqlite_open(desc, mesh(":memory:"))),
                read(mesh_rt_sqlite_open(desc, mesh(":memory:"))),
            );
            assert_eq!((a.2, b.2), (0, 0), "both open");
            let (a, b) = (a.3.expect("handle") as i64, b.3.expect("handle") as i64);
            assert!(a > 0 && b > a, "handles grow: {a} then {b}");
            let made = read(mesh_rt_sqlite_execute(
                desc,
                a,
                mesh("CREATE TABLE t (x)"),
                empty,
            ));
            assert_eq!((made.2, made.3), (0, Some(0)));
            mesh_rt_sqlite_close(a);
            mesh_rt_sqlite_close(a);
            let closed = read(mesh_rt_sqlite_execute(desc, a, mesh("SELECT 1"), empty));
            assert_eq!(closed.2, 1);
            assert_eq!(text(closed.3.expect("message")), "connection closed");
            let unknown = read(mesh_rt_sqlite_begin(desc, i64::MAX));
            assert_eq!(text(unknown.3.expect("message")), "connection closed");
            let other = read(mesh_rt_sqlite_execute(desc, b, mesh("SELECT 1"), empty));
            assert_eq!(other.2, 0, "closing one handle leaves the other open");
            mesh_rt_sqlite_close(b);
        }
    }
}

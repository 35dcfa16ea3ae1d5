//! PostgreSQL connections and the pool (stdlib spec §21, §23): thin wrappers over `db::pg`
//! and `db::pool`. A `PgConn` or `PoolHandle` crosses as an Int: the id of a Rust handle in a
//! process-wide registry. Ids come from one counter and are never reused; an id that is not
//! (or no longer) registered is a closed handle (`connection closed` / `pool is closed`).
//! Connections checked out of a pool are registered under a new id and unregistered at
//! check-in. Every call that talks to the server runs on the calling worker and parks the
//! calling process while it waits for the server or for a pool connection (`db::pg`,
//! `db::pool`); callbacks (`from_row`, a transaction's function) run in the calling process.

use crate::db::pg::{self, PgConn, PgError};
use crate::db::pool::Pool;
use crate::db::Row;
use crate::stdlib::option;
use crate::value::generic::object::call1;
use crate::value::list::{Builder, List, Shape};
use crate::value::map::{Kind, Table};
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::{PAYLOAD_OFFSET, TY_MAP, TY_STRING};
use mesh_rt_abi::{StrRef, TypeDesc};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{LazyLock, Mutex};

/// The next handle id (shared by connections and pools, starting at 1).
static NEXT_ID: AtomicI64 = AtomicI64::new(1);
static CONNS: LazyLock<Mutex<HashMap<i64, PgConn>>> = LazyLock::new(Default::default);
static POOLS: LazyLock<Mutex<HashMap<i64, Pool>>> = LazyLock::new(Default::default);

fn register<T>(table: &Mutex<HashMap<i64, T>>, value: T) -> i64 {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    table
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, value);
    id
}

fn lookup<T: Clone>(table: &Mutex<HashMap<i64, T>>, id: i64) -> Option<T> {
    table
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
        .cloned()
}

fn unregister<T>(table: &Mutex<HashMap<i64, T>>, id: i64) -> Option<T> {
    table.lock().unwrap_or_else(|e| e.into_inner()).remove(&id)
}

/// Registers `pool` under a new id (the migration runner's pool).
pub(crate) fn register_pool(pool: Pool) -> i64 {
    register(&POOLS, pool)
}

/// The connection with id `id`, or the closed-handle error.
pub(crate) fn conn(id: i64) -> Result<PgConn, String> {
    lookup(&CONNS, id).ok_or_else(|| "connection closed".to_string())
}

/// The pool with id `id`, or the closed-handle error.
pub(crate) fn pool(id: i64) -> Result<Pool, String> {
    lookup(&POOLS, id).ok_or_else(|| "pool is closed".to_string())
}

/// The elements of a `List<String>` (also `List<Atom>`, `List<Expr>`: all strings at run
/// time) as Rust strings.
///
/// # Safety
/// `list` must be a live list of Mesh strings.
pub(crate) unsafe fn strings(list: *mut u8) -> Vec<String> {
    // SAFETY: forwarded contract.
    let list = unsafe { List::from_raw(list) };
    list.iter()
        // SAFETY: every element is a live string (contract).
        .map(|w| unsafe { as_str(w as *const u8) }.to_string())
        .collect()
}

/// The entries of a `Map<String, String>` (or `Map<String, Expr>`) in insertion order.
///
/// # Safety
/// `desc` must be the map's MAP descriptor and `map` a live map of strings to strings.
pub(crate) unsafe fn string_pairs(desc: *mut u8, map: *mut u8) -> Vec<(String, String)> {
    // SAFETY: forwarded contract.
    let (kind, t) = unsafe {
        (
            Kind::of(Desc::from_ptr(desc as *const TypeDesc)),
            Table::from_raw(map),
        )
    };
    t.entries(kind)
        // SAFETY: keys and values are live strings (contract).
        .map(|(k, v)| unsafe {
            (
                as_str(k as *const u8).to_string(),
                as_str(v as *const u8).to_string(),
            )
        })
        .collect()
}

/// A row as a new `Map<String, String>` of the MAP descriptor `desc`.
pub(crate) fn row_map(desc: Desc, row: &Row) -> *mut u8 {
    let kind = Kind::of(desc);
    let mut t = Table::empty(kind);
    for (k, v) in row {
        // Each string is reachable from the stack (conservative scan) until it is in `t`.
        let key = alloc_str(k);
        let value = alloc_str(v);
        // SAFETY: `t` is a live map of strings; key and value are live strings.
        t = unsafe { t.put(kind, key as u64, value as u64) };
    }
    t.as_ptr()
}

/// Rows as a new `List<Map<String, String>>` of the LIST descriptor `desc`.
pub(crate) fn rows_list(desc: Desc, rows: &[Row]) -> *mut u8 {
    let mut list = Builder::new(Shape::list(desc));
    for row in rows {
        list.push(row_map(desc.elem(), row) as u64);
    }
    list.finish().as_ptr()
}

/// The `Ok` payload descriptor of the `Result` descriptor `desc`.
///
/// # Safety
/// `desc` must be a `Result<T, E>` descriptor.
pub(crate) unsafe fn ok_desc(desc: *mut u8) -> Desc {
    // SAFETY: forwarded contract: a SUM whose case 0 (`Ok`) holds the payload desc.
    unsafe { Desc::from_ptr(desc as *const TypeDesc) }
        .item(0)
        .item(0)
}

/// `Err(text)` of the Result descriptor `desc`.
///
/// # Safety
/// `desc` must be a `Result<T, String>` descriptor.
pub(crate) unsafe fn err(desc: *mut u8, text: &str) -> *mut u8 {
    let s = alloc_str(text);
    // SAFETY: forwarded contract.
    unsafe { option::err(desc as *const TypeDesc, s as u64) }
}

/// `Ok(word)` of the Result descriptor `desc`.
///
/// # Safety
/// `desc` must be a `Result<T, String>` descriptor and `word` a value of `T`.
pub(crate) unsafe fn ok(desc: *mut u8, word: u64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { option::ok(desc as *const TypeDesc, word) }
}

/// A `Result<Int, String>`.
///
/// # Safety
/// `desc` must be a `Result<Int, String>` descriptor.
pub(crate) unsafe fn int_result(desc: *mut u8, r: Result<i64, String>) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(n) => ok(desc, n as u64),
            Err(e) => err(desc, &e),
        }
    }
}

/// A `Result<(), String>`.
///
/// # Safety
/// `desc` must be a `Result<(), String>` descriptor.
unsafe fn unit_result(desc: *mut u8, r: Result<(), PgError>) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(()) => ok(desc, 0),
            Err(e) => err(desc, &e.to_string()),
        }
    }
}

/// A `Result<List<Map<String, String>>, String>`.
///
/// # Safety
/// `desc` must be that Result descriptor.
pub(crate) unsafe fn rows_result(desc: *mut u8, r: Result<Vec<Row>, String>) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(rows) => {
                let list = rows_list(ok_desc(desc), &rows);
                ok(desc, list as u64)
            }
            Err(e) => err(desc, &e),
        }
    }
}

/// A `Result<Map<String, String>, String>`.
///
/// # Safety
/// `desc` must be that Result descriptor.
pub(crate) unsafe fn row_result(desc: *mut u8, r: Result<Row, String>) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(row) => {
                let map = row_map(ok_desc(desc), &row);
                ok(desc, map as u64)
            }
            Err(e) => err(desc, &e),
        }
    }
}

/// Whether a Result value is `Ok` (tag 0: the compiler declares `Ok` first).
///
/// # Safety
/// `value` must be a live `Result` object.
unsafe fn is_ok(value: *mut u8) -> bool {
    // SAFETY: a variant's payload word 0 is its tag (ARCHITECTURE.md "Value representation").
    unsafe { (value.add(PAYLOAD_OFFSET) as *const u64).read() == 0 }
}

/// The payload word of a one-field variant.
///
/// # Safety
/// `value` must be a live `Ok(x)` or `Err(x)` object.
unsafe fn payload(value: *mut u8) -> u64 {
    // SAFETY: word 1 of the payload is the single field.
    unsafe { (value.add(PAYLOAD_OFFSET) as *const u64).add(1).read() }
}

/// `f(conn)` for a transaction: the callback's result object kept as a word when `Ok`, its
/// error text when `Err`.
///
/// # Safety
/// `f` must be a live closure from `PgConn` to a `Result<T, String>`.
pub(crate) unsafe fn run_callback(f: *mut u8, id: i64) -> Result<u64, String> {
    // SAFETY: forwarded contract.
    unsafe {
        let r = call1(f, id as u64) as *mut u8;
        if is_ok(r) {
            Ok(r as u64)
        } else {
            Err(as_str(payload(r) as *const u8).to_string())
        }
    }
}

/// The transaction's result: the callback's own `Ok` object, or `Err(text)`.
///
/// # Safety
/// `desc` must be the `Result<T, String>` descriptor.
unsafe fn transaction_result(desc: *mut u8, r: Result<u64, String>) -> *mut u8 {
    match r {
        Ok(obj) => obj as *mut u8,
        // SAFETY: forwarded contract.
        Err(e) => unsafe { err(desc, &e) },
    }
}

/// A descriptor in a `static`.
struct StaticDesc(TypeDesc);
// SAFETY: the descriptors below are immutable constants pointing only at other constants.
unsafe impl Sync for StaticDesc {}
struct Items([*const TypeDesc; 2]);
// SAFETY: as above.
unsafe impl Sync for Items {}

static STRING: StaticDesc = StaticDesc(TypeDesc {
    kind: TY_STRING,
    count: 0,
    name: StrRef {
        ptr: std::ptr::null(),
        len: 0,
    },
    items: std::ptr::null(),
    names: std::ptr::null(),
    user: mesh_rt_abi::UserFns::NONE,
});
static ROW_ITEMS: Items = Items([&STRING.0, &STRING.0]);
/// The descriptor of a row, `Map<String, String>`, laid out as the compiler emits it: the
/// `from_row` callbacks of `query_as` take rows, and no argument carries their descriptor.
static ROW: StaticDesc = StaticDesc(TypeDesc {
    kind: TY_MAP,
    count: 2,
    name: StrRef {
        ptr: "Map".as_ptr(),
        len: 3,
    },
    items: &ROW_ITEMS.0 as *const [*const TypeDesc; 2] as *const *const TypeDesc,
    names: std::ptr::null(),
    user: mesh_rt_abi::UserFns::NONE,
});

/// Each row mapped by `from_row` into a `List<T ! String>`, wrapped in `Ok`.
///
/// # Safety
/// `desc` must be the `Result<List<Result<T, String>>, String>` descriptor and `from_row` a
/// live closure from a row to `T ! String`.
unsafe fn mapped_rows(desc: *mut u8, from_row: *mut u8, rows: Result<Vec<Row>, String>) -> *mut u8 {
    let rows = match rows {
        Ok(rows) => rows,
        // SAFETY: forwarded contract.
        Err(e) => return unsafe { err(desc, &e) },
    };
    // SAFETY: forwarded contract; `ROW` is a constant MAP descriptor.
    let (list_desc, row_desc) = unsafe { (ok_desc(desc), Desc::from_ptr(&ROW.0)) };
    let mut list = Builder::new(Shape::list(list_desc));
    for row in &rows {
        let map = row_map(row_desc, row);
        // SAFETY: forwarded contract.
        list.push(unsafe { call1(from_row, map as u64) });
    }
    let list = list.finish().as_ptr();
    // SAFETY: forwarded contract.
    unsafe { ok(desc, list as u64) }
}

/// `Pg.connect(url)`.
///
/// # Safety
/// `desc` must be the `Result<PgConn, String>` descriptor and `url` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_connect(desc: *mut u8, url: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let url = unsafe { as_str(url) }.to_string();
    let r = pg::connect(&url);
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(c) => ok(desc, register(&CONNS, c) as u64),
            Err(e) => err(desc, &e.to_string()),
        }
    }
}

/// `Pg.close(conn)`: Terminate and close; the id is closed from now on.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_pg_close(conn: i64) {
    if let Some(c) = unregister(&CONNS, conn) {
        pg::close(&c);
    }
}

/// Runs `f` on the connection `id` with the statement and its parameters as Rust values.
///
/// # Safety
/// `sql` must be a live string and `params` a live `List<String>`.
unsafe fn with_conn<R>(
    id: i64,
    sql: *mut u8,
    params: *mut u8,
    f: impl FnOnce(&PgConn, &str, &[String]) -> Result<R, PgError>,
) -> Result<R, String> {
    // SAFETY: forwarded contract.
    let (sql, params) = unsafe { (as_str(sql).to_string(), strings(params)) };
    let c = conn(id)?;
    f(&c, &sql, &params).map_err(String::from)
}

/// `Pg.execute(conn, sql, params)`.
///
/// # Safety
/// `desc` must be the `Result<Int, String>` descriptor; `sql` a live string; `params` a live
/// `List<String>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_execute(
    desc: *mut u8,
    conn: i64,
    sql: *mut u8,
    params: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { int_result(desc, with_conn(conn, sql, params, pg::execute)) }
}

/// `Pg.query(conn, sql, params)`.
///
/// # Safety
/// As [`mesh_rt_pg_execute`], `desc` being `Result<List<Map<String, String>>, String>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_query(
    desc: *mut u8,
    conn: i64,
    sql: *mut u8,
    params: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { rows_result(desc, with_conn(conn, sql, params, pg::query)) }
}

/// `Pg.query_as(conn, sql, params, from_row)`: each row mapped in the calling process.
///
/// # Safety
/// See [`mapped_rows`]; `sql` a live string and `params` a live `List<String>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_query_as(
    desc: *mut u8,
    conn: i64,
    sql: *mut u8,
    params: *mut u8,
    from_row: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        let rows = with_conn(conn, sql, params, pg::query);
        mapped_rows(desc, from_row, rows)
    }
}

/// `Pg.begin` / `Pg.commit` / `Pg.rollback`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor.
unsafe fn plain(desc: *mut u8, id: i64, f: fn(&PgConn) -> Result<(), PgError>) -> *mut u8 {
    let r = match conn(id) {
        Ok(c) => f(&c),
        Err(e) => Err(PgError::Client(e)),
    };
    // SAFETY: forwarded contract.
    unsafe { unit_result(desc, r) }
}

/// `Pg.begin(conn)`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_begin(desc: *mut u8, conn: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { plain(desc, conn, pg::begin) }
}

/// `Pg.commit(conn)`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_commit(desc: *mut u8, conn: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { plain(desc, conn, pg::commit) }
}

/// `Pg.rollback(conn)`.
///
/// # Safety
/// `desc` must be the `Result<(), String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_rollback(desc: *mut u8, conn: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { plain(desc, conn, pg::rollback) }
}

/// `Pg.transaction(conn, f)`: see `db::pg::transaction`. A panic in `f` (in a process other
/// than `main`, whose panics end the program) is reported as usual and then caught here.
///
/// # Safety
/// `desc` must be the `Result<T, String>` descriptor and `f` a live closure from `PgConn` to
/// it.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_transaction(
    desc: *mut u8,
    conn: i64,
    f: *mut u8,
) -> *mut u8 {
    let r = match self::conn(conn) {
        // SAFETY: forwarded contract.
        Ok(c) => pg::transaction(&c, |_| unsafe { run_callback(f, conn) }),
        Err(e) => Err(e),
    };
    // SAFETY: forwarded contract.
    unsafe { transaction_result(desc, r) }
}

/// `Pool.open(url, min, max, checkout_timeout_ms)`.
///
/// # Safety
/// `desc` must be the `Result<PoolHandle, String>` descriptor and `url` a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pool_open(
    desc: *mut u8,
    url: *mut u8,
    min: i64,
    max: i64,
    timeout_ms: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let url = unsafe { as_str(url) }.to_string();
    let r = Pool::open(&url, min, max, timeout_ms);
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(p) => ok(desc, register(&POOLS, p) as u64),
            Err(e) => err(desc, &e.to_string()),
        }
    }
}

/// Runs `f` on the pool `id` with the statement and its parameters as Rust values.
///
/// # Safety
/// `sql` must be a live string and `params` a live `List<String>`.
unsafe fn with_pool<R>(
    id: i64,
    sql: *mut u8,
    params: *mut u8,
    f: impl FnOnce(&Pool, &str, &[String]) -> Result<R, PgError>,
) -> Result<R, String> {
    // SAFETY: forwarded contract.
    let (sql, params) = unsafe { (as_str(sql).to_string(), strings(params)) };
    let p = pool(id)?;
    f(&p, &sql, &params).map_err(String::from)
}

/// `Pool.execute(pool, sql, params)`.
///
/// # Safety
/// As [`mesh_rt_pg_execute`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pool_execute(
    desc: *mut u8,
    pool: i64,
    sql: *mut u8,
    params: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        int_result(
            desc,
            with_pool(pool, sql, params, |p, s, a| p.execute(s, a)),
        )
    }
}

/// `Pool.query(pool, sql, params)`.
///
/// # Safety
/// As [`mesh_rt_pg_query`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pool_query(
    desc: *mut u8,
    pool: i64,
    sql: *mut u8,
    params: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { rows_result(desc, with_pool(pool, sql, params, |p, s, a| p.query(s, a))) }
}

/// `Pool.query_as(pool, sql, params, from_row)`.
///
/// # Safety
/// As [`mesh_rt_pg_query_as`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pool_query_as(
    desc: *mut u8,
    pool: i64,
    sql: *mut u8,
    params: *mut u8,
    from_row: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        let rows = with_pool(pool, sql, params, |p, s, a| p.query(s, a));
        mapped_rows(desc, from_row, rows)
    }
}

/// `Pool.checkout(pool)`: the connection under a new id.
///
/// # Safety
/// `desc` must be the `Result<PgConn, String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pool_checkout(desc: *mut u8, pool: i64) -> *mut u8 {
    let r = self::pool(pool).and_then(|p| p.checkout().map_err(String::from));
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(c) => ok(desc, register(&CONNS, c) as u64),
            Err(e) => err(desc, &e),
        }
    }
}

/// `Pool.checkin(pool, conn)`: the id is closed from now on; a connection of another pool or
/// an already closed id is ignored.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_pool_checkin(pool: i64, conn: i64) {
    let Ok(p) = self::pool(pool) else { return };
    if let Some(c) = unregister(&CONNS, conn) {
        p.checkin(&c);
    }
}

/// `Pool.close(pool)`. The id stays registered: the pool itself answers `pool is closed`
/// and closes checked-out connections when they come back.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_pool_close(pool: i64) {
    if let Ok(p) = self::pool(pool) {
        p.close();
    }
}

/// `Repo.transaction(pool, f)`: one checked-out connection, registered for the callback's
/// duration, `Pg.transaction` on it, checked in in every case.
///
/// # Safety
/// As [`mesh_rt_pg_transaction`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_transaction(
    desc: *mut u8,
    pool: i64,
    f: *mut u8,
) -> *mut u8 {
    let r = self::pool(pool).and_then(|p| {
        crate::db::repo::transaction(&p, |c| {
            let id = register(&CONNS, c.clone());
            // SAFETY: forwarded contract.
            let r = unsafe { run_callback(f, id) };
            unregister(&CONNS, id);
            r
        })
    });
    // SAFETY: forwarded contract.
    unsafe { transaction_result(desc, r) }
}

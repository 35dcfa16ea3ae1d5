//! `Repo` (stdlib spec §26) over `db::repo`: every function checks a connection out of the
//! pool, runs one statement and checks it in (parking the calling process while it waits). Query and
//! Expr arguments are replayed into their Rust values (abi/query.rs); field maps are read in
//! insertion order.

use crate::abi::changeset::changeset_of;
use crate::abi::pg::{
    err, int_result, ok, ok_desc, pool, row_map, row_result, rows_result, string_pairs, strings,
};
use crate::abi::query::{decode_expr, query_of};
use crate::db::changeset::Changeset;
use crate::db::expr::Expr;
use crate::db::{repo, Row};
use crate::value::list::List;
use crate::value::string::as_str;
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// Runs a Repo function on the pool `id` (`pool is closed` for an unknown id).
fn on_pool<R>(
    id: i64,
    f: impl FnOnce(&crate::db::pool::Pool) -> Result<R, String>,
) -> Result<R, String> {
    pool(id).and_then(|p| f(&p))
}

/// The text of a live Mesh string.
///
/// # Safety
/// `s` must be a live string.
unsafe fn text(s: *mut u8) -> String {
    // SAFETY: forwarded contract.
    unsafe { as_str(s) }.to_string()
}

/// The rows of a live `List<Map<String, String>>` whose LIST descriptor is `desc`.
///
/// # Safety
/// `desc` must be that descriptor and `list` a live list of such maps.
unsafe fn rows_of(desc: *mut u8, list: *mut u8) -> Vec<Row> {
    // SAFETY: forwarded contract: the list desc's element is the maps' MAP descriptor.
    let map_desc = unsafe { Desc::from_ptr(desc as *const TypeDesc) }
        .elem()
        .as_ptr() as *mut u8;
    // SAFETY: forwarded contract.
    let list = unsafe { List::from_raw(list) };
    list.iter()
        // SAFETY: every element is a live map of strings (contract).
        .map(|m| unsafe { string_pairs(map_desc, m as *mut u8) })
        .collect()
}

/// A `Result<Map<String, String>, Changeset>`: the row, or the changeset (a string at run
/// time) in `Err`.
///
/// # Safety
/// `desc` must be that Result descriptor.
unsafe fn changeset_result(desc: *mut u8, r: Result<Row, Changeset>) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(row) => {
                let map = row_map(ok_desc(desc), &row);
                ok(desc, map as u64)
            }
            Err(cs) => err(desc, &cs.encode()),
        }
    }
}

/// A pool id that names no pool: the changeset with `pool is closed` on `base`, as any
/// other failure to run the statement.
fn no_pool(mut cs: Changeset, e: &str) -> Changeset {
    cs.add_error(repo::BASE, e);
    cs
}

/// Field maps with Expr values.
///
/// # Safety
/// As [`string_pairs`].
unsafe fn expr_pairs(desc: *mut u8, map: *mut u8) -> Vec<(String, Expr)> {
    // SAFETY: forwarded contract.
    unsafe { string_pairs(desc, map) }
        .into_iter()
        .map(|(k, v)| (k, decode_expr(v.as_bytes())))
        .collect()
}

/// `Repo.all(pool, q)`.
///
/// # Safety
/// `desc` must be the `Result<List<Map<String, String>>, String>` descriptor; `q` a live Query.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_all(desc: *mut u8, pool: i64, q: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let q = unsafe { query_of(q) };
    // SAFETY: forwarded contract.
    unsafe { rows_result(desc, on_pool(pool, |p| repo::all(p, &q))) }
}

/// `Repo.one(pool, q)`.
///
/// # Safety
/// `desc` must be the `Result<Map<String, String>, String>` descriptor; `q` a live Query.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_one(desc: *mut u8, pool: i64, q: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let q = unsafe { query_of(q) };
    // SAFETY: forwarded contract.
    unsafe { row_result(desc, on_pool(pool, |p| repo::one(p, &q))) }
}

/// `Repo.get(pool, table, id)`.
///
/// # Safety
/// As [`mesh_rt_repo_one`]; `table` and `id` live strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_get(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    id: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, id) = unsafe { (text(table), text(id)) };
    // SAFETY: forwarded contract.
    unsafe { row_result(desc, on_pool(pool, |p| repo::get(p, &table, &id))) }
}

/// `Repo.get_by(pool, table, field, value)`.
///
/// # Safety
/// As [`mesh_rt_repo_one`]; the other arguments live strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_get_by(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    field: *mut u8,
    value: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, field, value) = unsafe { (text(table), text(field), text(value)) };
    // SAFETY: forwarded contract.
    unsafe {
        row_result(
            desc,
            on_pool(pool, |p| repo::get_by(p, &table, &field, &value)),
        )
    }
}

/// `Repo.count(pool, q)`.
///
/// # Safety
/// `desc` must be the `Result<Int, String>` descriptor; `q` a live Query.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_count(
    desc: *mut u8,
    pool: i64,
    q: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let q = unsafe { query_of(q) };
    // SAFETY: forwarded contract.
    unsafe { int_result(desc, on_pool(pool, |p| repo::count(p, &q))) }
}

/// `Repo.exists(pool, q)`.
///
/// # Safety
/// `desc` must be the `Result<Bool, String>` descriptor; `q` a live Query.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_exists(
    desc: *mut u8,
    pool: i64,
    q: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let q = unsafe { query_of(q) };
    let r = on_pool(pool, |p| repo::exists(p, &q)).map(i64::from);
    // SAFETY: forwarded contract; a Bool is the word 0 or 1.
    unsafe { int_result(desc, r) }
}

/// `Repo.insert(pool, table, fields)`.
///
/// # Safety
/// `desc` must be the `Result<Map<String, String>, String>` descriptor, `map_desc` the
/// fields' `Map<String, String>` descriptor, `table` a live string and `fields` a live map.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_insert(
    desc: *mut u8,
    map_desc: *mut u8,
    pool: i64,
    table: *mut u8,
    fields: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, fields) = unsafe { (text(table), string_pairs(map_desc, fields)) };
    // SAFETY: forwarded contract.
    unsafe { row_result(desc, on_pool(pool, |p| repo::insert(p, &table, &fields))) }
}

/// `Repo.insert_expr(pool, table, fields)`.
///
/// # Safety
/// As [`mesh_rt_repo_insert`] with a `Map<String, Expr>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_insert_expr(
    desc: *mut u8,
    map_desc: *mut u8,
    pool: i64,
    table: *mut u8,
    fields: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, fields) = unsafe { (text(table), expr_pairs(map_desc, fields)) };
    // SAFETY: forwarded contract.
    unsafe {
        row_result(
            desc,
            on_pool(pool, |p| repo::insert_expr(p, &table, &fields)),
        )
    }
}

/// `Repo.update(pool, table, id, fields)`.
///
/// # Safety
/// As [`mesh_rt_repo_insert`]; `id` a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_update(
    desc: *mut u8,
    map_desc: *mut u8,
    pool: i64,
    table: *mut u8,
    id: *mut u8,
    fields: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, id, fields) = unsafe { (text(table), text(id), string_pairs(map_desc, fields)) };
    // SAFETY: forwarded contract.
    unsafe {
        row_result(
            desc,
            on_pool(pool, |p| repo::update(p, &table, &id, &fields)),
        )
    }
}

/// `Repo.update_where(pool, table, fields, q)`.
///
/// # Safety
/// As [`mesh_rt_repo_insert`]; `q` a live Query.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_update_where(
    desc: *mut u8,
    map_desc: *mut u8,
    pool: i64,
    table: *mut u8,
    fields: *mut u8,
    q: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, fields, q) = unsafe { (text(table), string_pairs(map_desc, fields), query_of(q)) };
    // SAFETY: forwarded contract.
    unsafe {
        row_result(
            desc,
            on_pool(pool, |p| repo::update_where(p, &table, &fields, &q)),
        )
    }
}

/// `Repo.update_where_expr(pool, table, fields, q)`.
///
/// # Safety
/// As [`mesh_rt_repo_update_where`] with a `Map<String, Expr>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_update_where_expr(
    desc: *mut u8,
    map_desc: *mut u8,
    pool: i64,
    table: *mut u8,
    fields: *mut u8,
    q: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, fields, q) = unsafe { (text(table), expr_pairs(map_desc, fields), query_of(q)) };
    let r = on_pool(pool, |p| repo::update_where_expr(p, &table, &fields, &q));
    // SAFETY: forwarded contract.
    unsafe { row_result(desc, r) }
}

/// `Repo.delete(pool, table, id)`.
///
/// # Safety
/// As [`mesh_rt_repo_get`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_delete(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    id: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, id) = unsafe { (text(table), text(id)) };
    // SAFETY: forwarded contract.
    unsafe { row_result(desc, on_pool(pool, |p| repo::delete(p, &table, &id))) }
}

/// `Repo.delete_where(pool, table, q)`.
///
/// # Safety
/// `desc` must be the `Result<Int, String>` descriptor; `table` a live string; `q` a Query.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_delete_where(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    q: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, q) = unsafe { (text(table), query_of(q)) };
    // SAFETY: forwarded contract.
    unsafe { int_result(desc, on_pool(pool, |p| repo::delete_where(p, &table, &q))) }
}

/// `Repo.delete_where_returning(pool, table, q)`.
///
/// # Safety
/// As [`mesh_rt_repo_all`]; `table` a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_delete_where_returning(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    q: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, q) = unsafe { (text(table), query_of(q)) };
    let r = on_pool(pool, |p| repo::delete_where_returning(p, &table, &q));
    // SAFETY: forwarded contract.
    unsafe { rows_result(desc, r) }
}

/// `Repo.insert_or_update(pool, table, fields, conflict, update)`.
///
/// # Safety
/// As [`mesh_rt_repo_insert`]; `conflict` and `update` live lists of strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_insert_or_update(
    desc: *mut u8,
    map_desc: *mut u8,
    pool: i64,
    table: *mut u8,
    fields: *mut u8,
    conflict: *mut u8,
    update: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, fields, conflict, update) = unsafe {
        (
            text(table),
            string_pairs(map_desc, fields),
            strings(conflict),
            strings(update),
        )
    };
    let r = on_pool(pool, |p| {
        repo::insert_or_update(p, &table, &fields, &conflict, &update)
    });
    // SAFETY: forwarded contract.
    unsafe { row_result(desc, r) }
}

/// `Repo.insert_or_update_expr(pool, table, fields, conflict, update)`: the update
/// assignments are expressions.
///
/// # Safety
/// As [`mesh_rt_repo_insert_or_update`]; `update_desc` is the descriptor of `update`, a live
/// `Map<String, Expr>`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C-unwind" fn mesh_rt_repo_insert_or_update_expr(
    desc: *mut u8,
    map_desc: *mut u8,
    update_desc: *mut u8,
    pool: i64,
    table: *mut u8,
    fields: *mut u8,
    conflict: *mut u8,
    update: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, fields, conflict, update) = unsafe {
        (
            text(table),
            string_pairs(map_desc, fields),
            strings(conflict),
            expr_pairs(update_desc, update),
        )
    };
    let r = on_pool(pool, |p| {
        repo::insert_or_update_expr(p, &table, &fields, &conflict, &update)
    });
    // SAFETY: forwarded contract.
    unsafe { row_result(desc, r) }
}

/// `Repo.query_raw(pool, sql, params)`.
///
/// # Safety
/// As [`mesh_rt_repo_all`]; `sql` a live string and `params` a live `List<String>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_query_raw(
    desc: *mut u8,
    pool: i64,
    sql: *mut u8,
    params: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (sql, params) = unsafe { (text(sql), strings(params)) };
    // SAFETY: forwarded contract.
    unsafe { rows_result(desc, on_pool(pool, |p| repo::query_raw(p, &sql, &params))) }
}

/// `Repo.execute_raw(pool, sql, params)`.
///
/// # Safety
/// `desc` must be the `Result<Int, String>` descriptor; as [`mesh_rt_repo_query_raw`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_execute_raw(
    desc: *mut u8,
    pool: i64,
    sql: *mut u8,
    params: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (sql, params) = unsafe { (text(sql), strings(params)) };
    // SAFETY: forwarded contract.
    unsafe { int_result(desc, on_pool(pool, |p| repo::execute_raw(p, &sql, &params))) }
}

/// `Repo.insert_changeset(pool, table, cs)`: an invalid changeset comes back in `Err` without
/// a statement; a failed statement adds its error (`db::repo::statement_error`).
///
/// # Safety
/// `desc` must be the `Result<Map<String, String>, Changeset>` descriptor; `table` a live
/// string; `cs` a live Changeset.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_insert_changeset(
    desc: *mut u8,
    pool_id: i64,
    table: *mut u8,
    cs: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, cs) = unsafe { (text(table), changeset_of(cs)) };
    let r = if !cs.is_valid() {
        Err(cs)
    } else {
        match pool(pool_id) {
            Ok(p) => repo::insert_changeset(&p, &table, cs),
            Err(e) => Err(no_pool(cs, &e)),
        }
    };
    // SAFETY: forwarded contract.
    unsafe { changeset_result(desc, r) }
}

/// `Repo.update_changeset(pool, table, id, cs)`.
///
/// # Safety
/// As [`mesh_rt_repo_insert_changeset`]; `id` a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_update_changeset(
    desc: *mut u8,
    pool_id: i64,
    table: *mut u8,
    id: *mut u8,
    cs: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, id, cs) = unsafe { (text(table), text(id), changeset_of(cs)) };
    let r = if !cs.is_valid() {
        Err(cs)
    } else {
        match pool(pool_id) {
            Ok(p) => repo::update_changeset(&p, &table, &id, cs),
            Err(e) => Err(no_pool(cs, &e)),
        }
    };
    // SAFETY: forwarded contract.
    unsafe { changeset_result(desc, r) }
}

/// `Repo.preload(pool, rows, assocs, relationships)`.
///
/// # Safety
/// `desc` must be the `Result<List<Map<String, String>>, String>` descriptor, `rows_desc`
/// the `List<Map<String, String>>` descriptor of the live list `rows`; `assocs` and
/// `relationships` live `List<String>`s.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_repo_preload(
    desc: *mut u8,
    rows_desc: *mut u8,
    pool_id: i64,
    rows: *mut u8,
    assocs: *mut u8,
    relationships: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (rows, assocs, relationships) = unsafe {
        (
            rows_of(rows_desc, rows),
            strings(assocs),
            strings(relationships),
        )
    };
    let r = on_pool(pool_id, |p| {
        repo::preload(p, &rows, &assocs, &relationships)
    });
    // SAFETY: forwarded contract.
    unsafe { rows_result(desc, r) }
}

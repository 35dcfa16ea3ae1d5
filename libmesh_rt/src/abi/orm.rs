//! `Orm` (stdlib spec §28.4) over `db::orm`: the SQL text of a statement as a new string.
//! An entry the builders cannot render (an unknown operator or direction, an update without
//! columns) is a program mistake: it panics the calling process with the builder's message.
//! None of these suspend.

use crate::abi::pg::strings;
use crate::abi::process::panic_with;
use crate::db::orm;
use crate::value::string::{alloc_str, as_str};

/// The SQL as a Mesh string, or the panic of a bad entry.
fn sql(r: Result<String, String>) -> *mut u8 {
    match r {
        Ok(text) => alloc_str(&text),
        Err(e) => panic_with(&e),
    }
}

/// `Orm.build_select(table, columns, where_clauses, order_by, limit, offset)`.
///
/// # Safety
/// `table` must be a live string; the lists live `List<String>`s.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_orm_build_select(
    table: *mut u8,
    columns: *mut u8,
    wheres: *mut u8,
    order_by: *mut u8,
    limit: i64,
    offset: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, columns, wheres, order_by) = unsafe {
        (
            as_str(table).to_string(),
            strings(columns),
            strings(wheres),
            strings(order_by),
        )
    };
    sql(orm::build_select(
        &table, &columns, &wheres, &order_by, limit, offset,
    ))
}

/// `Orm.build_insert(table, columns, returning)`.
///
/// # Safety
/// As [`mesh_rt_orm_build_select`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_orm_build_insert(
    table: *mut u8,
    columns: *mut u8,
    returning: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, columns, returning) = unsafe {
        (
            as_str(table).to_string(),
            strings(columns),
            strings(returning),
        )
    };
    alloc_str(&orm::build_insert(&table, &columns, &returning))
}

/// `Orm.build_update(table, set_columns, where_clauses, returning)`.
///
/// # Safety
/// As [`mesh_rt_orm_build_select`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_orm_build_update(
    table: *mut u8,
    set_columns: *mut u8,
    wheres: *mut u8,
    returning: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, set_columns, wheres, returning) = unsafe {
        (
            as_str(table).to_string(),
            strings(set_columns),
            strings(wheres),
            strings(returning),
        )
    };
    sql(orm::build_update(&table, &set_columns, &wheres, &returning))
}

/// `Orm.build_delete(table, where_clauses, returning)`.
///
/// # Safety
/// As [`mesh_rt_orm_build_select`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_orm_build_delete(
    table: *mut u8,
    wheres: *mut u8,
    returning: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, wheres, returning) = unsafe {
        (
            as_str(table).to_string(),
            strings(wheres),
            strings(returning),
        )
    };
    sql(orm::build_delete(&table, &wheres, &returning))
}

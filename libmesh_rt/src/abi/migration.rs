//! Migrations (stdlib spec §27; tooling spec §6.2): the §27.1 DDL helpers (`Migration.*` and
//! the `Pg.*` schema extras) over `db::migration`, and `__migrate_run`, the body of the entry
//! that `meshc migrate` generates for each migration program.

use crate::abi::pg::{err, int_result, ok, ok_desc, pool, register_pool, run_callback, strings};
use crate::db::migrate;
use crate::db::migration;
use crate::db::pool::Pool;
use crate::value::list::{Builder, Shape};
use crate::value::string::{alloc_str, as_str};
use std::io::Write;

/// The text of a live Mesh string.
///
/// # Safety
/// `s` must be a live string.
unsafe fn text(s: *mut u8) -> String {
    // SAFETY: forwarded contract.
    unsafe { as_str(s) }.to_string()
}

/// A DDL helper on the pool `id` as a `Result<Int, String>`.
///
/// # Safety
/// `desc` must be the `Result<Int, String>` descriptor.
unsafe fn ddl(desc: *mut u8, id: i64, f: impl FnOnce(&Pool) -> Result<i64, String>) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { int_result(desc, pool(id).and_then(|p| f(&p))) }
}

/// `Migration.create_table(pool, table, columns)`.
///
/// # Safety
/// `desc` must be the `Result<Int, String>` descriptor, `table` a live string and `columns` a
/// live `List<String>`; the same for every helper below.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_migration_create_table(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    columns: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, columns) = unsafe { (text(table), strings(columns)) };
    // SAFETY: forwarded contract.
    unsafe { ddl(desc, pool, |p| migration::create_table(p, &table, &columns)) }
}

/// `Migration.drop_table(pool, table)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_migration_drop_table(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let table = unsafe { text(table) };
    // SAFETY: forwarded contract.
    unsafe { ddl(desc, pool, |p| migration::drop_table(p, &table)) }
}

/// `Migration.add_column(pool, table, column_def)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_migration_add_column(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    def: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, def) = unsafe { (text(table), text(def)) };
    // SAFETY: forwarded contract.
    unsafe { ddl(desc, pool, |p| migration::add_column(p, &table, &def)) }
}

/// `Migration.drop_column(pool, table, column)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_migration_drop_column(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    column: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, column) = unsafe { (text(table), text(column)) };
    // SAFETY: forwarded contract.
    unsafe { ddl(desc, pool, |p| migration::drop_column(p, &table, &column)) }
}

/// `Migration.rename_column(pool, table, old, new)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_migration_rename_column(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    old: *mut u8,
    new: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, old, new) = unsafe { (text(table), text(old), text(new)) };
    // SAFETY: forwarded contract.
    unsafe {
        ddl(desc, pool, |p| {
            migration::rename_column(p, &table, &old, &new)
        })
    }
}

/// `Migration.create_index(pool, table, columns, options)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_migration_create_index(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    columns: *mut u8,
    options: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, columns, options) = unsafe { (text(table), strings(columns), text(options)) };
    // SAFETY: forwarded contract.
    unsafe {
        ddl(desc, pool, |p| {
            migration::create_index(p, &table, &columns, &options)
        })
    }
}

/// `Migration.drop_index(pool, table, columns)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_migration_drop_index(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    columns: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, columns) = unsafe { (text(table), strings(columns)) };
    // SAFETY: forwarded contract.
    unsafe { ddl(desc, pool, |p| migration::drop_index(p, &table, &columns)) }
}

/// `Migration.execute(pool, sql)`: a raw statement without parameters.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_migration_execute(
    desc: *mut u8,
    pool: i64,
    sql: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let sql = unsafe { text(sql) };
    // SAFETY: forwarded contract.
    unsafe { ddl(desc, pool, |p| migration::execute(p, &sql)) }
}

/// `Pg.create_extension(pool, name)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_create_extension(
    desc: *mut u8,
    pool: i64,
    name: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let name = unsafe { text(name) };
    // SAFETY: forwarded contract.
    unsafe { ddl(desc, pool, |p| migration::create_extension(p, &name)) }
}

/// `Pg.create_gin_index(pool, table, index_name, column, opclass)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_create_gin_index(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    index: *mut u8,
    column: *mut u8,
    opclass: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, index, column, opclass) =
        unsafe { (text(table), text(index), text(column), text(opclass)) };
    // SAFETY: forwarded contract.
    unsafe {
        ddl(desc, pool, |p| {
            migration::create_gin_index(p, &table, &index, &column, &opclass)
        })
    }
}

/// `Pg.create_range_partitioned_table(pool, table, columns, partition_column)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_create_range_partitioned_table(
    desc: *mut u8,
    pool: i64,
    table: *mut u8,
    columns: *mut u8,
    partition_column: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (table, columns, column) =
        unsafe { (text(table), strings(columns), text(partition_column)) };
    // SAFETY: forwarded contract.
    unsafe {
        ddl(desc, pool, |p| {
            migration::create_range_partitioned_table(p, &table, &columns, &column)
        })
    }
}

/// `Pg.create_daily_partitions_ahead(pool, parent, days)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_create_daily_partitions_ahead(
    desc: *mut u8,
    pool: i64,
    parent: *mut u8,
    days: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let parent = unsafe { text(parent) };
    // SAFETY: forwarded contract.
    unsafe {
        ddl(desc, pool, |p| {
            migration::create_daily_partitions_ahead(p, &parent, days)
        })
    }
}

/// `Pg.list_daily_partitions_before(pool, parent, max_days)`.
///
/// # Safety
/// `desc` must be the `Result<List<String>, String>` descriptor and `parent` a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_list_daily_partitions_before(
    desc: *mut u8,
    pool: i64,
    parent: *mut u8,
    max_days: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let parent = unsafe { text(parent) };
    let r = self::pool(pool)
        .and_then(|p| migration::list_daily_partitions_before(&p, &parent, max_days));
    // SAFETY: forwarded contract.
    unsafe {
        match r {
            Ok(names) => {
                let mut list = Builder::new(Shape::list(ok_desc(desc)));
                for name in &names {
                    list.push(alloc_str(name) as u64);
                }
                let list = list.finish().as_ptr();
                ok(desc, list as u64)
            }
            Err(e) => err(desc, &e),
        }
    }
}

/// `Pg.drop_partition(pool, name)`.
///
/// # Safety
/// As [`mesh_rt_migration_create_table`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_pg_drop_partition(
    desc: *mut u8,
    pool: i64,
    name: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let name = unsafe { text(name) };
    // SAFETY: forwarded contract.
    unsafe { ddl(desc, pool, |p| migration::drop_partition(p, &name)) }
}

/// `__migrate_run(version, name, no_transaction, up, f)`: the whole `main` of a migration
/// program (tooling §6.2). Opens a pool of one connection on `DATABASE_URL` and runs `f` (the
/// file's `up` or `down`) through `db::migrate::run_up`/`run_down`, which pin that connection
/// so `f`'s own `Pool.*` calls join the transaction of the tracking row. On failure the
/// message goes to stderr and the program exits with status 1 (`meshc migrate` turns it into
/// `error: migration <v>_<name> failed: <message>`). The URL is never printed: the runtime's
/// connection errors do not contain it.
///
/// # Safety
/// `name` must be a live string and `f` a live closure from `PoolHandle` to `Int ! String`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_migrate_run(
    version: i64,
    name: *mut u8,
    no_transaction: u8,
    up: u8,
    f: *mut u8,
) {
    // SAFETY: forwarded contract.
    let name = unsafe { text(name) };
    let r = migrate::database_url(std::env::var("DATABASE_URL").ok()).and_then(|url| {
        let pool = Pool::open(&url, 1, 1, 5000)
            .map_err(|e| format!("could not connect to the database: {e}"))?;
        let id = register_pool(pool.clone());
        // SAFETY: forwarded contract.
        let body = |_: &Pool| unsafe { run_callback(f, id) }.map(|_| ());
        let r = if up != 0 {
            migrate::run_up(&pool, version, &name, no_transaction != 0, body)
        } else {
            migrate::run_down(&pool, version, no_transaction != 0, body)
        };
        pool.close();
        r
    });
    if let Err(message) = r {
        let _ = std::io::stdout().flush();
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{message}");
        let _ = err.flush();
        std::process::exit(1);
    }
}

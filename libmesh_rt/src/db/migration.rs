//! Migration DDL helpers (stdlib spec §27.1) and the `Pg.*` schema extras. The `sql_*`
//! functions build the statement text (unit-tested against the spec's SQL); the others run
//! it through the pool and return the affected-row count (normally 0).
//!
//! Column definitions are `"name:TYPE"` or `"name:TYPE:CONSTRAINTS"`, split on the first two
//! colons: the name is quoted, type and constraints are verbatim. `create_table` emits
//! exactly the given columns (the spec's `"id" UUID PRIMARY KEY …` is its typical first
//! entry: its own example passes `"id:BIGSERIAL:PRIMARY KEY"`).

use super::expr::quote;
use super::Pool;

/// One column definition (`None` for an entry without `:`).
fn column(def: &str) -> Option<String> {
    let mut parts = def.splitn(3, ':');
    let name = parts.next()?;
    let ty = parts.next()?;
    Some(match parts.next() {
        Some(c) if !c.is_empty() => format!("{} {ty} {c}", quote(name)),
        _ => format!("{} {ty}", quote(name)),
    })
}

/// The column list; entries without `:` are table constraints, emitted verbatim.
fn columns(defs: &[String]) -> String {
    defs.iter()
        .map(|d| column(d).unwrap_or_else(|| d.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE TABLE IF NOT EXISTS "t" (…)`.
pub fn sql_create_table(table: &str, defs: &[String]) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} ({})",
        quote(table),
        columns(defs)
    )
}

/// `DROP TABLE IF EXISTS "t"` (also `Pg.drop_partition`).
pub fn sql_drop_table(table: &str) -> String {
    format!("DROP TABLE IF EXISTS {}", quote(table))
}

/// `ALTER TABLE "t" ADD COLUMN IF NOT EXISTS "c" TYPE …`.
pub fn sql_add_column(table: &str, def: &str) -> Result<String, String> {
    let col = column(def).ok_or_else(|| {
        format!("Migration.add_column: expected name:TYPE[:CONSTRAINTS], got '{def}'")
    })?;
    Ok(format!(
        "ALTER TABLE {} ADD COLUMN IF NOT EXISTS {col}",
        quote(table)
    ))
}

/// `ALTER TABLE "t" DROP COLUMN IF EXISTS "c"`.
pub fn sql_drop_column(table: &str, column: &str) -> String {
    format!(
        "ALTER TABLE {} DROP COLUMN IF EXISTS {}",
        quote(table),
        quote(column)
    )
}

/// `ALTER TABLE "t" RENAME COLUMN "old" TO "new"`.
pub fn sql_rename_column(table: &str, old: &str, new: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME COLUMN {} TO {}",
        quote(table),
        quote(old),
        quote(new)
    )
}

/// Column entries of an index: `(name, Some("ASC"|"DESC"))`.
fn index_columns(columns: &[String]) -> Result<Vec<(String, Option<&'static str>)>, String> {
    if columns.is_empty() {
        return Err("Migration.create_index: no columns given".into());
    }
    columns
        .iter()
        .map(|c| match c.rsplit_once(':') {
            None => Ok((c.clone(), None)),
            Some((name, dir)) => match dir.to_ascii_uppercase().as_str() {
                "ASC" => Ok((name.to_string(), Some("ASC"))),
                "DESC" => Ok((name.to_string(), Some("DESC"))),
                _ => Err(format!(
                    "Migration.create_index: invalid column order '{dir}' (use ASC or DESC)"
                )),
            },
        })
        .collect()
}

fn index_name(table: &str, cols: &[(String, Option<&'static str>)]) -> String {
    let mut name = format!("idx_{table}");
    for (c, _) in cols {
        name.push('_');
        name.push_str(c);
    }
    name
}

/// `CREATE [UNIQUE] INDEX IF NOT EXISTS "name" ON "t" ("c1" [ASC|DESC], …) [WHERE …]`.
pub fn sql_create_index(table: &str, columns: &[String], options: &str) -> Result<String, String> {
    let cols = index_columns(columns)?;
    let (mut unique, mut name, mut predicate) = (false, None, None);
    let mut rest = options.trim_start();
    while !rest.is_empty() {
        if let Some(p) = rest.strip_prefix("where:") {
            predicate = Some(p.trim().to_string());
            break;
        }
        let (token, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        match token.split_once(':') {
            Some(("unique", "true")) => unique = true,
            Some(("unique", "false")) => unique = false,
            Some(("name", n)) if !n.is_empty() => name = Some(n.to_string()),
            _ => return Err(format!("Migration.create_index: invalid option '{token}'")),
        }
        rest = tail.trim_start();
    }
    let name = name.unwrap_or_else(|| index_name(table, &cols));
    let list: Vec<String> = cols
        .iter()
        .map(|(c, d)| match d {
            Some(d) => format!("{} {d}", quote(c)),
            None => quote(c),
        })
        .collect();
    let mut sql = format!(
        "CREATE {}INDEX IF NOT EXISTS {} ON {} ({})",
        if unique { "UNIQUE " } else { "" },
        quote(&name),
        quote(table),
        list.join(", ")
    );
    if let Some(p) = predicate {
        sql.push_str(" WHERE ");
        sql.push_str(&p);
    }
    Ok(sql)
}

/// `DROP INDEX IF EXISTS "idx_<table>_<cols…>"`.
pub fn sql_drop_index(table: &str, columns: &[String]) -> Result<String, String> {
    let cols = index_columns(columns).map_err(|e| e.replace("create_index", "drop_index"))?;
    Ok(format!(
        "DROP INDEX IF EXISTS {}",
        quote(&index_name(table, &cols))
    ))
}

/// `CREATE EXTENSION IF NOT EXISTS "name"`.
pub fn sql_create_extension(name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err("Pg.create_extension: extension name must not be empty".into());
    }
    Ok(format!("CREATE EXTENSION IF NOT EXISTS {}", quote(name)))
}

/// `CREATE INDEX IF NOT EXISTS "idx" ON "t" USING GIN ("col" "opclass")`.
pub fn sql_create_gin_index(
    table: &str,
    index: &str,
    column: &str,
    opclass: &str,
) -> Result<String, String> {
    if [table, index, column, opclass].iter().any(|s| s.is_empty()) {
        return Err("Pg.create_gin_index: every argument must be non-empty".into());
    }
    Ok(format!(
        "CREATE INDEX IF NOT EXISTS {} ON {} USING GIN ({} {})",
        quote(index),
        quote(table),
        quote(column),
        quote(opclass)
    ))
}

/// `CREATE TABLE IF NOT EXISTS "t" (…) PARTITION BY RANGE ("col")`.
pub fn sql_create_range_partitioned_table(
    table: &str,
    defs: &[String],
    partition_column: &str,
) -> Result<String, String> {
    let known = defs
        .iter()
        .any(|d| d.split(':').next() == Some(partition_column) && d.contains(':'));
    if !known {
        return Err(format!(
            "Pg.create_range_partitioned_table: partition column '{partition_column}' is not \
             one of the columns"
        ));
    }
    Ok(format!(
        "{} PARTITION BY RANGE ({})",
        sql_create_table(table, defs),
        quote(partition_column)
    ))
}

fn exec(pool: &Pool, sql: &str) -> Result<i64, String> {
    pool.execute(sql, &[]).map_err(String::from)
}

/// Migration.create_table.
pub fn create_table(pool: &Pool, table: &str, defs: &[String]) -> Result<i64, String> {
    exec(pool, &sql_create_table(table, defs))
}
/// Migration.drop_table.
pub fn drop_table(pool: &Pool, table: &str) -> Result<i64, String> {
    exec(pool, &sql_drop_table(table))
}
/// Migration.add_column.
pub fn add_column(pool: &Pool, table: &str, def: &str) -> Result<i64, String> {
    exec(pool, &sql_add_column(table, def)?)
}
/// Migration.drop_column.
pub fn drop_column(pool: &Pool, table: &str, column: &str) -> Result<i64, String> {
    exec(pool, &sql_drop_column(table, column))
}
/// Migration.rename_column.
pub fn rename_column(pool: &Pool, table: &str, old: &str, new: &str) -> Result<i64, String> {
    exec(pool, &sql_rename_column(table, old, new))
}
/// Migration.create_index.
pub fn create_index(
    pool: &Pool,
    table: &str,
    columns: &[String],
    options: &str,
) -> Result<i64, String> {
    exec(pool, &sql_create_index(table, columns, options)?)
}
/// Migration.drop_index.
pub fn drop_index(pool: &Pool, table: &str, columns: &[String]) -> Result<i64, String> {
    exec(pool, &sql_drop_index(table, columns)?)
}
/// Migration.execute: a raw statement without parameters.
pub fn execute(pool: &Pool, sql: &str) -> Result<i64, String> {
    exec(pool, sql)
}
/// Pg.create_extension.
pub fn create_extension(pool: &Pool, name: &str) -> Result<i64, String> {
    exec(pool, &sql_create_extension(name)?)
}
/// Pg.create_gin_index.
pub fn create_gin_index(
    pool: &Pool,
    table: &str,
    index: &str,
    column: &str,
    opclass: &str,
) -> Result<i64, String> {
    exec(pool, &sql_create_gin_index(table, index, column, opclass)?)
}
/// Pg.create_range_partitioned_table.
pub fn create_range_partitioned_table(
    pool: &Pool,
    table: &str,
    defs: &[String],
    partition_column: &str,
) -> Result<i64, String> {
    exec(
        pool,
        &sql_create_range_partitioned_table(table, defs, partition_column)?,
    )
}
/// Pg.drop_partition.
pub fn drop_partition(pool: &Pool, name: &str) -> Result<i64, String> {
    exec(pool, &sql_drop_table(name))
}

/// Pg.create_daily_partitions_ahead: `<parent>_YYYYMMDD` for the server's today … today +
/// days - 1 (idempotent); `Ok(0)`.
pub fn create_daily_partitions_ahead(pool: &Pool, parent: &str, days: i64) -> Result<i64, String> {
    if days < 0 {
        return Err("Pg.create_daily_partitions_ahead: days must not be negative".into());
    }
    let sql = "SELECT to_char(current_date + i, 'YYYYMMDD') AS tag, \
               (current_date + i)::text AS lo, (current_date + i + 1)::text AS hi \
               FROM generate_series(0, $1::int - 1) AS i";
    for row in pool.query(sql, &[days.to_string()])? {
        let (tag, lo, hi) = (
            super::get(&row, "tag"),
            super::get(&row, "lo"),
            super::get(&row, "hi"),
        );
        let ddl = format!(
            "CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ('{lo}') TO ('{hi}')",
            quote(&format!("{parent}_{tag}")),
            quote(parent)
        );
        exec(pool, &ddl)?;
    }
    Ok(0)
}

/// Pg.list_daily_partitions_before: partitions dated before `current_date - max_days`.
pub fn list_daily_partitions_before(
    pool: &Pool,
    parent: &str,
    max_days: i64,
) -> Result<Vec<String>, String> {
    let sql = "SELECT c.relname AS name, to_char(current_date - $2::int, 'YYYYMMDD') AS cutoff \
               FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
               JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1";
    let rows = pool.query(sql, &[parent.to_string(), max_days.to_string()])?;
    let prefix = format!("{parent}_");
    let mut names: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let (name, cutoff) = (super::get(r, "name"), super::get(r, "cutoff"));
            let date = name.strip_prefix(&prefix)?;
            (date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) && date < cutoff)
                .then(|| name.to_string())
        })
        .collect();
    names.sort();
    Ok(names)
}

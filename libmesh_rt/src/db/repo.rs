//! `Repo` (stdlib spec §26): one statement per call through a [`Pool`]. The `sql_*`
//! functions build the statement text and parameters (pure, unit-tested against the spec's
//! SQL); the others run them. Every value is a bind parameter; identifiers are quoted.
//! Field lists are `(column, value)` pairs in the map's insertion order.

mod changeset;
mod preload;

pub use changeset::{
    insert_changeset, sql_insert_changeset, statement_error, update_changeset, BASE,
};
pub use preload::preload;

use super::expr::{quote, Expr, Sql};
use super::pg::{self, PgConn};
use super::{Pool, Query, Row};

/// `SELECT …` of `q` with `LIMIT 1` (Repo.one).
pub fn sql_one(q: &Query) -> Sql {
    q.clone().limit(1).to_sql()
}

/// `SELECT * FROM "table" WHERE "field" = $1 LIMIT 1` (Repo.get / Repo.get_by).
pub fn sql_get_by(table: &str, field: &str, value: &str) -> Sql {
    let mut out = Sql::default();
    out.push(&format!(
        "SELECT * FROM {} WHERE {} = ",
        quote(table),
        quote(field)
    ));
    out.param(value);
    out.push(" LIMIT 1");
    out
}

/// `SELECT COUNT(*) FROM …` with the query's joins/where/group/having.
pub fn sql_count(q: &Query) -> Sql {
    let mut out = Sql::default();
    out.push("SELECT COUNT(*) FROM ");
    q.render_tail(&mut out, false);
    out
}

/// `SELECT EXISTS(SELECT 1 FROM … LIMIT 1)`.
pub fn sql_exists(q: &Query) -> Sql {
    let mut out = Sql::default();
    out.push("SELECT EXISTS(SELECT 1 FROM ");
    q.render_tail(&mut out, false);
    out.push(" LIMIT 1)");
    out
}

/// A value of a write: a text parameter or an expression.
#[derive(Clone, Debug)]
pub enum Value {
    Text(String),
    Expr(Expr),
}

impl Value {
    fn render(&self, out: &mut Sql) {
        match self {
            Value::Text(t) => out.param(t),
            Value::Expr(e) => e.render(out),
        }
    }
}

/// Text fields as write values.
pub fn texts(fields: &[(String, String)]) -> Vec<(String, Value)> {
    fields
        .iter()
        .map(|(k, v)| (k.clone(), Value::Text(v.clone())))
        .collect()
}

/// Expression fields as write values.
pub fn exprs(fields: &[(String, Expr)]) -> Vec<(String, Value)> {
    fields
        .iter()
        .map(|(k, v)| (k.clone(), Value::Expr(v.clone())))
        .collect()
}

/// `INSERT INTO "t" ("c1", …) VALUES ($1, …)` (no `RETURNING`).
pub(crate) fn insert_head(table: &str, fields: &[(String, Value)], out: &mut Sql) {
    let cols: Vec<String> = fields.iter().map(|(k, _)| quote(k)).collect();
    out.push(&format!(
        "INSERT INTO {} ({}) VALUES (",
        quote(table),
        cols.join(", ")
    ));
    for (i, (_, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(", ");
        }
        v.render(out);
    }
    out.push(")");
}

/// `"c" = v, …`.
pub(crate) fn assignments(fields: &[(String, Value)], out: &mut Sql) {
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(", ");
        }
        out.push(&format!("{} = ", quote(k)));
        v.render(out);
    }
}

/// Repo.insert / insert_expr (`what` is the error prefix).
pub fn sql_insert(what: &str, table: &str, fields: &[(String, Value)]) -> Result<Sql, String> {
    if fields.is_empty() {
        return Err(format!("{what}: no fields provided"));
    }
    let mut out = Sql::default();
    insert_head(table, fields, &mut out);
    out.push(" RETURNING *");
    Ok(out)
}

/// Repo.update: `UPDATE "t" SET … WHERE "id" = $n RETURNING *`.
pub fn sql_update(table: &str, id: &str, fields: &[(String, Value)]) -> Result<Sql, String> {
    if fields.is_empty() {
        return Err("update: no fields provided".into());
    }
    let mut out = Sql::default();
    out.push(&format!("UPDATE {} SET ", quote(table)));
    assignments(fields, &mut out);
    out.push(" WHERE \"id\" = ");
    out.param(id);
    out.push(" RETURNING *");
    Ok(out)
}

/// Repo.update_where / update_where_expr: SET parameters first, then the where ones.
pub fn sql_update_where(
    what: &str,
    table: &str,
    fields: &[(String, Value)],
    q: &Query,
) -> Result<Sql, String> {
    if fields.is_empty() {
        return Err(format!("{what}: no fields provided"));
    }
    if !q.has_where() {
        return Err(format!("{what}: no WHERE conditions"));
    }
    let mut out = Sql::default();
    out.push(&format!("UPDATE {} SET ", quote(table)));
    assignments(fields, &mut out);
    out.push(" WHERE ");
    q.render_where(&mut out);
    out.push(" RETURNING *");
    Ok(out)
}

/// Repo.delete: `DELETE FROM "t" WHERE "id" = $1 RETURNING *`.
pub fn sql_delete(table: &str, id: &str) -> Sql {
    let mut out = Sql::default();
    out.push(&format!("DELETE FROM {} WHERE \"id\" = ", quote(table)));
    out.param(id);
    out.push(" RETURNING *");
    out
}

/// Repo.delete_where(_returning): `DELETE FROM "t" WHERE … [RETURNING *]`.
pub fn sql_delete_where(
    what: &str,
    table: &str,
    q: &Query,
    returning: bool,
) -> Result<Sql, String> {
    if !q.has_where() {
        return Err(format!("{what}: no WHERE conditions"));
    }
    let mut out = Sql::default();
    out.push(&format!("DELETE FROM {} WHERE ", quote(table)));
    q.render_where(&mut out);
    if returning {
        out.push(" RETURNING *");
    }
    Ok(out)
}

/// Repo.insert_or_update(_expr): `INSERT … ON CONFLICT ("k", …) DO UPDATE SET … RETURNING *`.
pub fn sql_upsert(
    what: &str,
    table: &str,
    fields: &[(String, Value)],
    conflict: &[String],
    update: &[(String, Value)],
) -> Result<Sql, String> {
    if fields.is_empty() {
        return Err(format!("{what}: no fields provided"));
    }
    if conflict.is_empty() {
        return Err(format!("{what}: no conflict targets provided"));
    }
    if update.is_empty() {
        return Err(format!("{what}: no update fields provided"));
    }
    let mut out = Sql::default();
    insert_head(table, fields, &mut out);
    let targets: Vec<String> = conflict.iter().map(|c| quote(c)).collect();
    out.push(&format!(
        " ON CONFLICT ({}) DO UPDATE SET ",
        targets.join(", ")
    ));
    assignments(update, &mut out);
    out.push(" RETURNING *");
    Ok(out)
}

/// The `update` list of Repo.insert_or_update: `"c" = EXCLUDED."c"` for each name.
pub fn excluded(columns: &[String]) -> Vec<(String, Value)> {
    columns
        .iter()
        .map(|c| (c.clone(), Value::Expr(Expr::excluded(c))))
        .collect()
}

fn rows(pool: &Pool, sql: &Sql) -> Result<Vec<Row>, String> {
    pool.query(&sql.text, &sql.params).map_err(String::from)
}

fn first(pool: &Pool, sql: &Sql, none: &str) -> Result<Row, String> {
    rows(pool, sql)?
        .into_iter()
        .next()
        .ok_or_else(|| none.to_string())
}

/// Repo.all.
pub fn all(pool: &Pool, q: &Query) -> Result<Vec<Row>, String> {
    rows(pool, &q.to_sql())
}

/// Repo.one: `Err("not found")` without a row.
pub fn one(pool: &Pool, q: &Query) -> Result<Row, String> {
    first(pool, &sql_one(q), "not found")
}

/// Repo.get.
pub fn get(pool: &Pool, table: &str, id: &str) -> Result<Row, String> {
    get_by(pool, table, "id", id)
}

/// Repo.get_by.
pub fn get_by(pool: &Pool, table: &str, field: &str, value: &str) -> Result<Row, String> {
    first(pool, &sql_get_by(table, field, value), "not found")
}

/// Repo.count.
pub fn count(pool: &Pool, q: &Query) -> Result<i64, String> {
    let row = first(pool, &sql_count(q), "count: no row returned")?;
    let text = row.first().map_or("0", |(_, v)| v.as_str());
    text.parse()
        .map_err(|_| format!("count: cannot parse '{text}' as Int"))
}

/// Repo.exists.
pub fn exists(pool: &Pool, q: &Query) -> Result<bool, String> {
    let row = first(pool, &sql_exists(q), "exists: no row returned")?;
    Ok(row.first().is_some_and(|(_, v)| v == "t"))
}

/// Repo.insert.
pub fn insert(pool: &Pool, table: &str, fields: &[(String, String)]) -> Result<Row, String> {
    first(
        pool,
        &sql_insert("insert", table, &texts(fields))?,
        "insert: no row returned",
    )
}

/// Repo.insert_expr.
pub fn insert_expr(pool: &Pool, table: &str, fields: &[(String, Expr)]) -> Result<Row, String> {
    let sql = sql_insert("insert_expr", table, &exprs(fields))?;
    first(pool, &sql, "insert_expr: no row returned")
}

/// Repo.update.
pub fn update(
    pool: &Pool,
    table: &str,
    id: &str,
    fields: &[(String, String)],
) -> Result<Row, String> {
    let sql = sql_update(table, id, &texts(fields))?;
    first(pool, &sql, "update: no row returned (id not found)")
}

/// Repo.update_where.
pub fn update_where(
    pool: &Pool,
    table: &str,
    fields: &[(String, String)],
    q: &Query,
) -> Result<Row, String> {
    let sql = sql_update_where("update_where", table, &texts(fields), q)?;
    first(pool, &sql, "update_where: no rows matched")
}

/// Repo.update_where_expr.
pub fn update_where_expr(
    pool: &Pool,
    table: &str,
    fields: &[(String, Expr)],
    q: &Query,
) -> Result<Row, String> {
    let sql = sql_update_where("update_where_expr", table, &exprs(fields), q)?;
    first(pool, &sql, "update_where_expr: no rows matched")
}

/// Repo.delete.
pub fn delete(pool: &Pool, table: &str, id: &str) -> Result<Row, String> {
    first(
        pool,
        &sql_delete(table, id),
        "delete: no row returned (id not found)",
    )
}

/// Repo.delete_where: the number of deleted rows.
pub fn delete_where(pool: &Pool, table: &str, q: &Query) -> Result<i64, String> {
    let sql = sql_delete_where("delete_where", table, q, false)?;
    pool.execute(&sql.text, &sql.params).map_err(String::from)
}

/// Repo.delete_where_returning.
pub fn delete_where_returning(pool: &Pool, table: &str, q: &Query) -> Result<Vec<Row>, String> {
    rows(
        pool,
        &sql_delete_where("delete_where_returning", table, q, true)?,
    )
}

/// Repo.insert_or_update.
pub fn insert_or_update(
    pool: &Pool,
    table: &str,
    fields: &[(String, String)],
    conflict: &[String],
    update: &[String],
) -> Result<Row, String> {
    let what = "insert_or_update";
    let sql = sql_upsert(what, table, &texts(fields), conflict, &excluded(update))?;
    first(pool, &sql, "insert_or_update: no row returned")
}

/// Repo.insert_or_update_expr.
pub fn insert_or_update_expr(
    pool: &Pool,
    table: &str,
    fields: &[(String, String)],
    conflict: &[String],
    update: &[(String, Expr)],
) -> Result<Row, String> {
    let what = "insert_or_update_expr";
    let sql = sql_upsert(what, table, &texts(fields), conflict, &exprs(update))?;
    first(pool, &sql, "insert_or_update_expr: no row returned")
}

/// Repo.query_raw.
pub fn query_raw(pool: &Pool, sql: &str, params: &[String]) -> Result<Vec<Row>, String> {
    pool.query(sql, params).map_err(String::from)
}

/// Repo.execute_raw.
pub fn execute_raw(pool: &Pool, sql: &str, params: &[String]) -> Result<i64, String> {
    pool.execute(sql, params).map_err(String::from)
}

/// Repo.transaction: one connection, `Pg.transaction` on it, checked in in every case.
pub fn transaction<T>(
    pool: &Pool,
    f: impl FnOnce(&PgConn) -> Result<T, String>,
) -> Result<T, String> {
    let conn = pool.checkout().map_err(String::from)?;
    let r = pg::transaction(&conn, f).map_err(|e| {
        if e.starts_with("COMMIT: ") {
            "transaction: COMMIT failed".to_string()
        } else {
            e
        }
    });
    pool.checkin(&conn);
    r
}

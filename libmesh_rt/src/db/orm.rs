//! `Orm` (stdlib spec §28.4): the low-level SQL builders. Each returns the statement text
//! only, with a `$n` placeholder per value in textual order and every identifier quoted; the
//! rendering is the query builder's (`Query`, `Sql`) and `Repo`'s (`INSERT`/`SET` lists), so
//! the SQL is written once.
//!
//! A where entry is `"column"` (`=`) or `"column op"`, where `op` is one of
//! `= != <> < > <= >= LIKE ILIKE NOT LIKE NOT ILIKE` (a value placeholder) or `IS NULL` /
//! `IS NOT NULL` (no value), case-insensitive. An order entry is `"column"` or `"column ASC|DESC"`. A
//! `returning` entry `"*"` stays unquoted. Anything else is an error naming the entry
//! (abi/orm.rs turns it into a panic of the calling process: these are program mistakes).

use super::expr::{quote, quote_column, Sql};
use super::query::Query;
use super::repo::{assignments, insert_head, Value};

/// A where entry's comparison.
enum Comparison {
    /// `"c" op $n`.
    Op(&'static str),
    /// `"c" IS [NOT] NULL`.
    Null(bool),
}

fn comparison(what: &str, entry: &str, op: &str) -> Result<Comparison, String> {
    let words: Vec<String> = op.split_whitespace().map(str::to_ascii_uppercase).collect();
    let op = words.join(" ");
    Ok(match op.as_str() {
        "" | "=" => Comparison::Op("="),
        "!=" => Comparison::Op("!="),
        "<>" => Comparison::Op("<>"),
        "<" => Comparison::Op("<"),
        ">" => Comparison::Op(">"),
        "<=" => Comparison::Op("<="),
        ">=" => Comparison::Op(">="),
        "LIKE" => Comparison::Op("LIKE"),
        "ILIKE" => Comparison::Op("ILIKE"),
        "NOT LIKE" => Comparison::Op("NOT LIKE"),
        "NOT ILIKE" => Comparison::Op("NOT ILIKE"),
        "IS NULL" => Comparison::Null(false),
        "IS NOT NULL" => Comparison::Null(true),
        _ => {
            return Err(format!(
                "{what}: unknown operator '{op}' in where entry \"{entry}\" (expected = != <> < > <= >= LIKE ILIKE NOT LIKE NOT ILIKE IS NULL IS NOT NULL)"
            ))
        }
    })
}

/// `q` with the where entries added as conditions (placeholder values are empty).
fn with_wheres(what: &str, mut q: Query, wheres: &[String]) -> Result<Query, String> {
    for entry in wheres {
        let trimmed = entry.trim();
        let (column, op) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        if column.is_empty() {
            return Err(format!("{what}: empty where entry"));
        }
        q = match comparison(what, entry, op)? {
            Comparison::Op(op) => q.where_sql_op(column, op, ""),
            Comparison::Null(false) => q.where_null(column),
            Comparison::Null(true) => q.where_not_null(column),
        };
    }
    Ok(q)
}

/// ` RETURNING a, b` (nothing for an empty list).
fn returning(out: &mut Sql, columns: &[String]) {
    if columns.is_empty() {
        return;
    }
    let cols: Vec<String> = columns.iter().map(|c| quote_column(c)).collect();
    out.push(" RETURNING ");
    out.push(&cols.join(", "));
}

/// Placeholder values for `columns`.
fn placeholders(columns: &[String]) -> Vec<(String, Value)> {
    columns
        .iter()
        .map(|c| (c.clone(), Value::Text(String::new())))
        .collect()
}

/// `Orm.build_select(table, columns, where_clauses, order_by, limit, offset)`: `SELECT
/// <columns or *> FROM "t" [WHERE …] [ORDER BY …] [LIMIT n] [OFFSET n]`; a negative limit
/// or offset is none.
pub fn build_select(
    table: &str,
    columns: &[String],
    wheres: &[String],
    order_by: &[String],
    limit: i64,
    offset: i64,
) -> Result<String, String> {
    let what = "Orm.build_select";
    let cols: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut q = Query::from(table);
    if !cols.is_empty() {
        let items: Vec<String> = cols.iter().map(|c| quote_column(c)).collect();
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        q = q.select_raw(&items);
    }
    q = with_wheres(what, q, wheres)?;
    for entry in order_by {
        let trimmed = entry.trim();
        let (column, dir) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        let dir = match dir.trim().to_ascii_uppercase().as_str() {
            "" => "",
            "ASC" => " ASC",
            "DESC" => " DESC",
            other => {
                return Err(format!(
                    "{what}: unknown direction '{other}' in order entry \"{entry}\" (expected ASC or DESC)"
                ))
            }
        };
        q = q.order_by_raw(&format!("{}{dir}", quote(column)));
    }
    Ok(q.limit(limit).offset(offset).to_sql().text)
}

/// `Orm.build_insert(table, columns, returning)`: `INSERT INTO "t" ("a", …) VALUES ($1, …)
/// [RETURNING …]`; no columns is `INSERT INTO "t" DEFAULT VALUES`.
pub fn build_insert(table: &str, columns: &[String], returning_: &[String]) -> String {
    let mut out = Sql::default();
    if columns.is_empty() {
        out.push(&format!("INSERT INTO {} DEFAULT VALUES", quote(table)));
    } else {
        insert_head(table, &placeholders(columns), &mut out);
    }
    returning(&mut out, returning_);
    out.text
}

/// `Orm.build_update(table, set_columns, where_clauses, returning)`: `UPDATE "t" SET "a" =
/// $1, … [WHERE …] [RETURNING …]`, the SET placeholders first.
pub fn build_update(
    table: &str,
    set_columns: &[String],
    wheres: &[String],
    returning_: &[String],
) -> Result<String, String> {
    let what = "Orm.build_update";
    if set_columns.is_empty() {
        return Err(format!("{what}: no columns to set"));
    }
    let q = with_wheres(what, Query::from(table), wheres)?;
    let mut out = Sql::default();
    out.push(&format!("UPDATE {} SET ", quote(table)));
    assignments(&placeholders(set_columns), &mut out);
    if q.has_where() {
        out.push(" WHERE ");
        q.render_where(&mut out);
    }
    returning(&mut out, returning_);
    Ok(out.text)
}

/// `Orm.build_delete(table, where_clauses, returning)`: `DELETE FROM "t" [WHERE …]
/// [RETURNING …]`.
pub fn build_delete(
    table: &str,
    wheres: &[String],
    returning_: &[String],
) -> Result<String, String> {
    let q = with_wheres("Orm.build_delete", Query::from(table), wheres)?;
    let mut out = Sql::default();
    out.push(&format!("DELETE FROM {}", quote(table)));
    if q.has_where() {
        out.push(" WHERE ");
        q.render_where(&mut out);
    }
    returning(&mut out, returning_);
    Ok(out.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn select_renders_columns_wheres_order_limit_offset() {
        assert_eq!(
            build_select("users", &[], &[], &[], -1, -1).unwrap_or_else(|e| format!("Err({e})")),
            "SELECT * FROM \"users\""
        );
        assert_eq!(
            build_select(
                "users",
                &v(&["id", "users.name", "*"]),
                &v(&["age >", "name", "email like", "deleted_at is null", "role  not   ilike", "x is not null", "y <>"]),
                &v(&["name", "age desc", "id ASC"]),
                10,
                20,
            )
            .unwrap_or_else(|e| format!("Err({e})")),
            "SELECT \"id\", \"users\".\"name\", * FROM \"users\" WHERE \"age\" > $1 AND \"name\" = $2 \
             AND \"email\" LIKE $3 AND \"deleted_at\" IS NULL AND \"role\" NOT ILIKE $4 AND \
             \"x\" IS NOT NULL AND \"y\" <> $5 ORDER BY \"name\", \"age\" DESC, \"id\" ASC LIMIT 10 OFFSET 20"
        );
        assert_eq!(
            build_select("t\"x", &v(&["a\"b"]), &[], &[], 0, -1)
                .unwrap_or_else(|e| format!("Err({e})")),
            "SELECT \"a\"\"b\" FROM \"t\"\"x\" LIMIT 0"
        );
    }

    #[test]
    fn unknown_operators_and_directions_are_errors_naming_the_entry() {
        assert_eq!(
            build_select("t", &[], &v(&["a ~"]), &[], -1, -1).err().unwrap_or_default(),
            "Orm.build_select: unknown operator '~' in where entry \"a ~\" (expected = != <> < > <= >= LIKE ILIKE NOT LIKE NOT ILIKE IS NULL IS NOT NULL)"
        );
        assert_eq!(
            build_select("t", &[], &[], &v(&["a sideways"]), -1, -1).err().unwrap_or_default(),
            "Orm.build_select: unknown direction 'SIDEWAYS' in order entry \"a sideways\" (expected ASC or DESC)"
        );
        assert_eq!(
            build_delete("t", &v(&["  "]), &[])
                .err()
                .unwrap_or_default(),
            "Orm.build_delete: empty where entry"
        );
        assert_eq!(
            build_update("t", &[], &[], &[]).err().unwrap_or_default(),
            "Orm.build_update: no columns to set"
        );
    }

    #[test]
    fn insert_update_delete_number_placeholders_in_order() {
        assert_eq!(
            build_insert("users", &v(&["name", "email"]), &v(&["*"])),
            "INSERT INTO \"users\" (\"name\", \"email\") VALUES ($1, $2) RETURNING *"
        );
        assert_eq!(
            build_insert("users", &[], &v(&["id", "name"])),
            "INSERT INTO \"users\" DEFAULT VALUES RETURNING \"id\", \"name\""
        );
        assert_eq!(
            build_insert("users", &v(&["a"]), &[]),
            "INSERT INTO \"users\" (\"a\") VALUES ($1)"
        );
        assert_eq!(
            build_update("users", &v(&["name", "age"]), &v(&["id", "age <"]), &v(&["*"])).unwrap_or_else(|e| format!("Err({e})")),
            "UPDATE \"users\" SET \"name\" = $1, \"age\" = $2 WHERE \"id\" = $3 AND \"age\" < $4 RETURNING *"
        );
        assert_eq!(
            build_update("users", &v(&["name"]), &[], &[]).unwrap_or_else(|e| format!("Err({e})")),
            "UPDATE \"users\" SET \"name\" = $1"
        );
        assert_eq!(
            build_delete("users", &v(&["id", "name is null"]), &v(&["id"]))
                .unwrap_or_else(|e| format!("Err({e})")),
            "DELETE FROM \"users\" WHERE \"id\" = $1 AND \"name\" IS NULL RETURNING \"id\""
        );
        assert_eq!(
            build_delete("users", &[], &[]).unwrap_or_else(|e| format!("Err({e})")),
            "DELETE FROM \"users\""
        );
    }
}

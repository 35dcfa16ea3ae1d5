//! `Repo.insert_changeset` / `Repo.update_changeset` (stdlib spec §26 with §28.3): a
//! changeset's changes written as one `INSERT`/`UPDATE … RETURNING *`. An invalid changeset
//! is returned as it is without touching the database; a failed statement comes back as the
//! changeset with one more error ([`statement_error`]).

use super::{sql_get_by, sql_insert, sql_update, texts};
use crate::db::changeset::Changeset;
use crate::db::expr::{quote, Sql};
use crate::db::pg::PgError;
use crate::db::{Pool, Row};

/// The field of errors that name no column: a failure of the pool or the connection, a
/// server error other than the constraint violations below, no row returned.
pub const BASE: &str = "base";

/// The `(field, message)` a failed write adds to its changeset (spec §26):
/// - unique violation (23505) → `has already been taken`,
/// - foreign-key violation (23503) → `does not exist`,
/// - not-null violation (23502) → `can't be blank`,
/// - check violation (23514) → `is invalid`,
///
/// each on the field named by the constraint `<table>_<field>_key` (also `_index`),
/// `<table>_<field>_fkey`, `<table>_<field>_check` (`<table>_pkey` is `id`), else on the
/// column the server reports, else on [`BASE`]. Any other failure is its error text (the
/// §21 form) on [`BASE`].
pub fn statement_error(table: &str, e: &PgError) -> (String, String) {
    let PgError::Server(s) = e else {
        return (BASE.to_string(), e.to_string());
    };
    let (suffixes, message): (&[&str], &str) = match s.code.as_str() {
        "23505" => (&["_key", "_index"], "has already been taken"),
        "23503" => (&["_fkey"], "does not exist"),
        "23502" => (&[], "can't be blank"),
        "23514" => (&["_check"], "is invalid"),
        _ => return (BASE.to_string(), e.to_string()),
    };
    let named = if s.constraint == format!("{table}_pkey") {
        Some("id".to_string())
    } else {
        s.constraint
            .strip_prefix(table)
            .and_then(|rest| rest.strip_prefix('_'))
            .and_then(|rest| suffixes.iter().find_map(|suf| rest.strip_suffix(suf)))
            .filter(|field| !field.is_empty())
            .map(str::to_string)
    };
    let field = named
        .or_else(|| (!s.column.is_empty()).then(|| s.column.clone()))
        .unwrap_or_else(|| BASE.to_string());
    (field, message.to_string())
}

/// `cs` with the error of a failed statement added.
fn failed(mut cs: Changeset, table: &str, e: &PgError) -> Changeset {
    let (field, message) = statement_error(table, e);
    cs.add_error(&field, &message);
    cs
}

/// Runs `sql` and returns its first row, or the changeset with the failure added.
fn write(pool: &Pool, table: &str, sql: &Sql, none: &str, cs: Changeset) -> Result<Row, Changeset> {
    match pool.query(&sql.text, &sql.params) {
        Ok(rows) => match rows.into_iter().next() {
            Some(row) => Ok(row),
            None => {
                let mut cs = cs;
                cs.add_error(BASE, none);
                Err(cs)
            }
        },
        Err(e) => Err(failed(cs, table, &e)),
    }
}

/// `INSERT INTO "t" (<changes>) VALUES (…) RETURNING *`; no changes is `INSERT INTO "t"
/// DEFAULT VALUES RETURNING *` (the columns' defaults).
pub fn sql_insert_changeset(table: &str, cs: &Changeset) -> Sql {
    match sql_insert("insert", table, &texts(&cs.changes)) {
        Ok(sql) => sql,
        Err(_) => {
            let mut out = Sql::default();
            out.push(&format!(
                "INSERT INTO {} DEFAULT VALUES RETURNING *",
                quote(table)
            ));
            out
        }
    }
}

/// Repo.insert_changeset.
pub fn insert_changeset(pool: &Pool, table: &str, cs: Changeset) -> Result<Row, Changeset> {
    if !cs.is_valid() {
        return Err(cs);
    }
    let sql = sql_insert_changeset(table, &cs);
    write(pool, table, &sql, "insert: no row returned", cs)
}

/// Repo.update_changeset: `UPDATE "t" SET <changes> WHERE "id" = $n RETURNING *`. A valid
/// changeset without changes writes nothing: the row is read (`SELECT * … WHERE "id" = $1
/// LIMIT 1`) and returned as it is.
pub fn update_changeset(
    pool: &Pool,
    table: &str,
    id: &str,
    cs: Changeset,
) -> Result<Row, Changeset> {
    if !cs.is_valid() {
        return Err(cs);
    }
    let none = "update: no row returned (id not found)";
    match sql_update(table, id, &texts(&cs.changes)) {
        Ok(sql) => write(pool, table, &sql, none, cs),
        Err(_) => write(pool, table, &sql_get_by(table, "id", id), none, cs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::pg::ServerError;

    fn server(code: &str, constraint: &str, column: &str) -> PgError {
        PgError::Server(ServerError {
            code: code.into(),
            constraint: constraint.into(),
            table: "users".into(),
            column: column.into(),
            message: "boom".into(),
        })
    }

    fn pair(field: &str, message: &str) -> (String, String) {
        (field.to_string(), message.to_string())
    }

    #[test]
    fn constraint_violations_become_field_errors() {
        let e =
            |code, constraint, column| statement_error("users", &server(code, constraint, column));
        assert_eq!(
            e("23505", "users_email_key", ""),
            pair("email", "has already been taken")
        );
        assert_eq!(
            e("23505", "users_email_index", ""),
            pair("email", "has already been taken")
        );
        assert_eq!(
            e("23505", "users_pkey", ""),
            pair("id", "has already been taken")
        );
        assert_eq!(
            e("23503", "users_org_id_fkey", ""),
            pair("org_id", "does not exist")
        );
        assert_eq!(e("23502", "", "name"), pair("name", "can't be blank"));
        assert_eq!(e("23514", "users_age_check", ""), pair("age", "is invalid"));
        // A constraint of another naming scheme: the reported column, else `base`.
        assert_eq!(
            e("23505", "uniq_mail", "mail"),
            pair("mail", "has already been taken")
        );
        assert_eq!(
            e("23505", "uniq_mail", ""),
            pair("base", "has already been taken")
        );
        assert_eq!(e("42P01", "", ""), pair("base", "42P01\t\tusers\t\tboom"));
        assert_eq!(
            statement_error("users", &PgError::Client("pool is closed".into())),
            pair("base", "pool is closed")
        );
    }

    #[test]
    fn insert_of_no_changes_uses_the_defaults() {
        let cs = Changeset::cast(&[], &[], &[]);
        assert_eq!(
            sql_insert_changeset("users", &cs).text,
            "INSERT INTO \"users\" DEFAULT VALUES RETURNING *"
        );
        let cs = Changeset::cast(
            &[],
            &[("name".into(), "Ann".into()), ("age".into(), "3".into())],
            &["name".into(), "age".into()],
        );
        let sql = sql_insert_changeset("users", &cs);
        assert_eq!(
            sql.text,
            "INSERT INTO \"users\" (\"name\", \"age\") VALUES ($1, $2) RETURNING *"
        );
        assert_eq!(sql.params, ["Ann", "3"]);
    }
}

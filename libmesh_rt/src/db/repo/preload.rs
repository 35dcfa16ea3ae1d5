//! `Repo.preload` (stdlib spec §26): loads the associations that `deriving(Schema)`
//! describes (`T.__relationships__()`, entries `kind:name:table:foreign_key:key`) for a list
//! of rows, one `SELECT * FROM "table" WHERE "column" IN (…)` per association (none when no
//! row has a key to look up). The loaded rows are attached to each row under the
//! association's name as JSON text, since a row maps strings to strings:
//! - `belongs_to`: the row's `foreign_key` matches the target's `key` (its primary key); the
//!   target row as a JSON object of strings, or `""` when there is none (like NULL, §21).
//! - `has_one`: the target's `foreign_key` matches the row's `key` (its primary key); the
//!   first such target row as an object, or `""`.
//! - `has_many`: the same, every matching row in the order the server returns them, as a
//!   JSON array (`[]` when none).

use crate::db::{get, Pool, Query, Row};
use crate::value::json;

/// How an association joins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    BelongsTo,
    HasOne,
    HasMany,
}

/// One relationship entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Relationship<'a> {
    kind: Kind,
    name: &'a str,
    table: &'a str,
    foreign_key: &'a str,
    key: &'a str,
}

fn parse(entry: &str) -> Result<Relationship<'_>, String> {
    let parts: Vec<&str> = entry.split(':').collect();
    let malformed = || {
        format!(
            "Repo.preload: malformed relationship '{entry}' (expected kind:name:table:foreign_key:key)"
        )
    };
    let [kind, name, table, foreign_key, key] = parts.as_slice() else {
        return Err(malformed());
    };
    let kind = match *kind {
        "belongs_to" => Kind::BelongsTo,
        "has_one" => Kind::HasOne,
        "has_many" => Kind::HasMany,
        _ => return Err(malformed()),
    };
    if [name, table, foreign_key, key].iter().any(|p| p.is_empty()) {
        return Err(malformed());
    }
    Ok(Relationship {
        kind,
        name,
        table,
        foreign_key,
        key,
    })
}

/// A row as a JSON object of strings, in column order.
fn object(row: &Row) -> String {
    let fields: Vec<String> = row
        .iter()
        .map(|(k, v)| format!("{}:{}", json::quote(k), json::quote(v)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// Sets `column` of `row` (replacing a column of that name).
fn set(row: &mut Row, column: &str, value: String) {
    match row.iter_mut().find(|(k, _)| k == column) {
        Some(slot) => slot.1 = value,
        None => row.push((column.to_string(), value)),
    }
}

/// The distinct non-empty values of `column` in `rows`, in first-seen order.
fn keys(rows: &[Row], column: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in rows {
        let v = get(row, column);
        if !v.is_empty() && !out.iter().any(|k| k == v) {
            out.push(v.to_string());
        }
    }
    out
}

/// The statement loading `rel` for `rows`, `None` when there is nothing to look up.
fn query_for(rel: &Relationship, rows: &[Row]) -> Option<Query> {
    let (own, theirs) = match rel.kind {
        Kind::BelongsTo => (rel.foreign_key, rel.key),
        Kind::HasOne | Kind::HasMany => (rel.key, rel.foreign_key),
    };
    let values = keys(rows, own);
    (!values.is_empty()).then(|| Query::from(rel.table).where_in(theirs, &values))
}

/// Attaches the loaded `targets` to each row under the association's name.
fn attach(rel: &Relationship, rows: &mut [Row], targets: &[Row]) {
    for row in rows.iter_mut() {
        let value = match rel.kind {
            Kind::BelongsTo | Kind::HasOne => {
                let (own, theirs) = if rel.kind == Kind::BelongsTo {
                    (rel.foreign_key, rel.key)
                } else {
                    (rel.key, rel.foreign_key)
                };
                let k = get(row, own);
                targets
                    .iter()
                    .find(|t| !k.is_empty() && get(t, theirs) == k)
                    .map_or_else(String::new, object)
            }
            Kind::HasMany => {
                let k = get(row, rel.key);
                let items: Vec<String> = targets
                    .iter()
                    .filter(|t| !k.is_empty() && get(t, rel.foreign_key) == k)
                    .map(object)
                    .collect();
                format!("[{}]", items.join(","))
            }
        };
        set(row, rel.name, value);
    }
}

/// Finds each of `assocs` among `relationships` (all checked before any query).
fn plan<'a>(
    assocs: &[String],
    relationships: &'a [String],
) -> Result<Vec<Relationship<'a>>, String> {
    let rels = relationships
        .iter()
        .map(|r| parse(r))
        .collect::<Result<Vec<_>, _>>()?;
    assocs
        .iter()
        .map(|name| {
            rels.iter()
                .find(|r| r.name == name)
                .copied()
                .ok_or_else(|| {
                    let known: Vec<&str> = rels.iter().map(|r| r.name).collect();
                    let known = if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    };
                    format!("Repo.preload: unknown association '{name}' (known: {known})")
                })
        })
        .collect()
}

/// Repo.preload.
pub fn preload(
    pool: &Pool,
    rows: &[Row],
    assocs: &[String],
    relationships: &[String],
) -> Result<Vec<Row>, String> {
    let plan = plan(assocs, relationships)?;
    let mut out = rows.to_vec();
    for rel in &plan {
        let targets = match query_for(rel, &out) {
            Some(q) => {
                let sql = q.to_sql();
                pool.query(&sql.text, &sql.params).map_err(String::from)?
            }
            None => Vec::new(),
        };
        attach(rel, &mut out, &targets);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(items: &[(&str, &str)]) -> Row {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn rels() -> Vec<String> {
        [
            "belongs_to:org:orgs:org_id:id",
            "has_many:posts:posts:user_id:id",
            "has_one:profile:profiles:user_id:id",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn unknown_and_malformed_entries_are_errors() {
        assert_eq!(
            plan(&["team".to_string()], &rels())
                .err()
                .unwrap_or_default(),
            "Repo.preload: unknown association 'team' (known: org, posts, profile)"
        );
        assert_eq!(
            plan(&["team".to_string()], &[]).err().unwrap_or_default(),
            "Repo.preload: unknown association 'team' (known: none)"
        );
        assert_eq!(
            plan(&[], &["owns:x:t:a:b".to_string()]).err().unwrap_or_default(),
            "Repo.preload: malformed relationship 'owns:x:t:a:b' (expected kind:name:table:foreign_key:key)"
        );
        assert_eq!(
            plan(&[], &["has_one:x:t:a".to_string()]).err().unwrap_or_default(),
            "Repo.preload: malformed relationship 'has_one:x:t:a' (expected kind:name:table:foreign_key:key)"
        );
    }

    #[test]
    fn each_association_is_one_in_query_over_distinct_keys() {
        let rows = vec![
            row(&[("id", "1"), ("org_id", "7")]),
            row(&[("id", "2"), ("org_id", "7")]),
            row(&[("id", "3"), ("org_id", "")]),
        ];
        let r = rels();
        let plan =
            plan(&["org".to_string(), "posts".to_string()], &r).expect("both are relationships");
        let org = query_for(&plan[0], &rows)
            .expect("a row has an org")
            .to_sql();
        assert_eq!(org.text, "SELECT * FROM \"orgs\" WHERE \"id\" IN ($1)");
        assert_eq!(org.params, ["7"]);
        let posts = query_for(&plan[1], &rows).expect("rows have ids").to_sql();
        assert_eq!(
            posts.text,
            "SELECT * FROM \"posts\" WHERE \"user_id\" IN ($1, $2, $3)"
        );
        assert_eq!(query_for(&plan[0], &rows[2..]), None);
    }

    #[test]
    fn loaded_rows_attach_as_json() {
        let mut rows = vec![
            row(&[("id", "1"), ("org_id", "7")]),
            row(&[("id", "2"), ("org_id", "")]),
        ];
        let r = rels();
        let plan = plan(
            &[
                "org".to_string(),
                "posts".to_string(),
                "profile".to_string(),
            ],
            &r,
        )
        .expect("all three are relationships");
        attach(
            &plan[0],
            &mut rows,
            &[row(&[("id", "7"), ("name", "Acme \"A\"")])],
        );
        attach(
            &plan[1],
            &mut rows,
            &[
                row(&[("id", "10"), ("user_id", "1")]),
                row(&[("id", "11"), ("user_id", "1")]),
            ],
        );
        attach(
            &plan[2],
            &mut rows,
            &[row(&[("id", "5"), ("user_id", "2")])],
        );
        assert_eq!(get(&rows[0], "org"), r#"{"id":"7","name":"Acme \"A\""}"#);
        assert_eq!(get(&rows[1], "org"), "");
        assert_eq!(
            get(&rows[0], "posts"),
            r#"[{"id":"10","user_id":"1"},{"id":"11","user_id":"1"}]"#
        );
        assert_eq!(get(&rows[1], "posts"), "[]");
        assert_eq!(get(&rows[0], "profile"), "");
        assert_eq!(get(&rows[1], "profile"), r#"{"id":"5","user_id":"2"}"#);
    }
}

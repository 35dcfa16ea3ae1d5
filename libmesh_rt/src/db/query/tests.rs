//! Rendering of the query builder, `Expr`, `Repo` statements and migration DDL against the
//! exact SQL text of stdlib spec §24–§27.

use crate::db::expr::{Expr, Sql};
use crate::db::migration::*;
use crate::db::repo::*;
use crate::db::Query;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn check(sql: Sql, text: &str, params: &[&str]) {
    assert_eq!(sql.text, text);
    assert_eq!(sql.params, s(params));
}

#[test]
fn from_alone_selects_everything() {
    check(
        Query::from("todos").to_sql(),
        "SELECT * FROM \"todos\"",
        &[],
    );
}

#[test]
fn spec_example_where_expr_with_uuid_cast() {
    let q = Query::from("todos").where_expr(Expr::eq(
        Expr::column("id"),
        Expr::cast(Expr::value("abc"), "uuid"),
    ));
    check(
        q.to_sql(),
        "SELECT * FROM \"todos\" WHERE (\"id\" = $1::uuid)",
        &["abc"],
    );
}

#[test]
fn rendering_order_and_parameter_numbering() {
    let q = Query::from("issues")
        .select_exprs(vec![Expr::label(
            Expr::call("coalesce", vec![Expr::column("title"), Expr::value("none")]),
            "t",
        )])
        .select_raw(&["count(*)::text AS n"])
        .join_as("left", "users", "u", "u.id = issues.user_id")
        .where_("status", "open")
        .where_op("priority", "gte", "3")
        .where_in("kind", &s(&["bug", "task"]))
        .where_between("age", "1", "9")
        .where_null("deleted_at")
        .where_or(&["a", "b"], &s(&["x", "y"]))
        .where_raw("id = ?::uuid AND n > $1", &s(&["u1"]))
        .group_by("status")
        .group_by_raw("u.name")
        .having("count(*) >", "2")
        .fragment("FOR UPDATE SKIP LOCKED -- $1", &s(&["f"]))
        .order_by("created_at", "desc")
        .order_by("id", "sideways")
        .order_by_raw("random()")
        .limit(10)
        .offset(20);
    check(
        q.to_sql(),
        "SELECT coalesce(\"title\", $1) AS \"t\", count(*)::text AS n FROM \"issues\" \
         LEFT JOIN \"users\" u ON u.id = issues.user_id \
         WHERE \"status\" = $2 AND \"priority\" >= $3 AND \"kind\" IN ($4, $5) \
         AND \"age\" BETWEEN $6 AND $7 AND \"deleted_at\" IS NULL AND (\"a\" = $8 OR \"b\" = $9) \
         AND id = $10::uuid AND n > $10 \
         GROUP BY \"status\", u.name HAVING count(*) > $11 FOR UPDATE SKIP LOCKED -- $12 \
         ORDER BY \"created_at\" DESC, \"id\" ASC, random() LIMIT 10 OFFSET 20",
        &[
            "none", "open", "3", "bug", "task", "1", "9", "x", "y", "u1", "2", "f",
        ],
    );
}

#[test]
fn builder_details() {
    let q = Query::from("t")
        .select(&["a", "b"])
        .select_count()
        .select_aggregate("sum", "n")
        .where_op("name", "ilike", "%x%")
        .where_op("c", "bogus", "1")
        .where_not_in("d", &[])
        .where_not_null("e")
        .join("sideways", "u", "u.t = t.id")
        .limit(-1)
        .offset(-5);
    check(
        q.to_sql(),
        "SELECT \"a\", \"b\", count(*), sum(\"n\") FROM \"t\" INNER JOIN \"u\" ON u.t = t.id \
         WHERE \"name\" ILIKE $1 AND \"c\" = $2 AND \"d\" NOT IN () AND \"e\" IS NOT NULL",
        &["%x%", "1"],
    );
}

#[test]
fn where_sub_uses_the_subquery_select_and_where() {
    let sub = Query::from("members")
        .select(&["team_id"])
        .where_("user_id", "7")
        .order_by("x", "asc");
    let q = Query::from("teams")
        .where_("open", "t")
        .where_sub("id", sub);
    check(
        q.to_sql(),
        "SELECT * FROM \"teams\" WHERE \"open\" = $1 AND \"id\" IN \
         (SELECT \"team_id\" FROM \"members\" WHERE \"user_id\" = $2)",
        &["t", "7"],
    );
}

#[test]
fn identifiers_are_quoted_and_values_are_parameters() {
    let evil = "x\"; DROP TABLE users; --";
    let q = Query::from(evil).where_(evil, "1'); DROP TABLE users; --");
    check(
        q.to_sql(),
        "SELECT * FROM \"x\"\"; DROP TABLE users; --\" WHERE \"x\"\"; DROP TABLE users; --\" = $1",
        &["1'); DROP TABLE users; --"],
    );
}

#[test]
fn expr_forms() {
    let e = Expr::case_when(
        vec![Expr::gt(Expr::column("n"), Expr::value("1")), Expr::Null],
        vec![Expr::value("big")],
        Expr::coalesce(vec![Expr::column("issues.status"), Expr::Null]),
    );
    check(
        e.to_sql(),
        "CASE WHEN (\"n\" > $1) THEN $2 ELSE COALESCE(\"issues\".\"status\", NULL) END",
        &["1", "big"],
    );
    check(
        Expr::call("count", vec![Expr::column("*")]).to_sql(),
        "count(*)",
        &[],
    );
    check(Expr::call("now", vec![]).to_sql(), "now()", &[]);
    let arith = Expr::div(
        Expr::mul(
            Expr::add(Expr::column("a"), Expr::value("1")),
            Expr::column("b"),
        ),
        Expr::sub(Expr::column("c"), Expr::column("d")),
    );
    check(
        arith.to_sql(),
        "(((\"a\" + $1) * \"b\") / (\"c\" - \"d\"))",
        &["1"],
    );
    let cmp = [
        (Expr::neq(Expr::Null, Expr::Null), "(NULL != NULL)"),
        (Expr::lt(Expr::Null, Expr::Null), "(NULL < NULL)"),
        (Expr::lte(Expr::Null, Expr::Null), "(NULL <= NULL)"),
        (Expr::gte(Expr::Null, Expr::Null), "(NULL >= NULL)"),
        (Expr::excluded("n"), "EXCLUDED.\"n\""),
        (Expr::column("t.*"), "\"t\".*"),
    ];
    for (e, text) in cmp {
        check(e.to_sql(), text, &[]);
    }
    check(
        Expr::crypt(Expr::value("pw"), Expr::gen_salt("bf", 8)).to_sql(),
        "crypt($1, gen_salt($2, $3))",
        &["pw", "bf", "8"],
    );
    let v = Expr::to_tsvector("english", Expr::column("body"));
    let q = Expr::plainto_tsquery("english", Expr::value("cats"));
    check(
        Expr::tsvector_matches(v.clone(), q.clone()).to_sql(),
        "(to_tsvector($1::regconfig, \"body\") @@ plainto_tsquery($2::regconfig, $3))",
        &["english", "english", "cats"],
    );
    check(
        Expr::ts_rank(v, q).to_sql(),
        "ts_rank(to_tsvector($1::regconfig, \"body\"), plainto_tsquery($2::regconfig, $3))",
        &["english", "english", "cats"],
    );
    check(
        Expr::jsonb_contains(
            Expr::column("tags"),
            Expr::cast(Expr::value("[1]"), "jsonb"),
        )
        .to_sql(),
        "(\"tags\" @> $1::jsonb)",
        &["[1]"],
    );
}

#[test]
fn repo_statements() {
    check(
        sql_get_by("users", "id", "5"),
        "SELECT * FROM \"users\" WHERE \"id\" = $1 LIMIT 1",
        &["5"],
    );
    let fields = vec![
        ("title".to_string(), "a".to_string()),
        ("body".to_string(), "".to_string()),
    ];
    check(
        sql_insert("insert", "notes", &texts(&fields)).expect("fields"),
        "INSERT INTO \"notes\" (\"title\", \"body\") VALUES ($1, $2) RETURNING *",
        &["a", ""],
    );
    assert_eq!(
        sql_insert("insert", "notes", &[]).expect_err("empty"),
        "insert: no fields provided"
    );
    let ex = vec![
        ("at".to_string(), Expr::call("now", vec![])),
        ("n".to_string(), Expr::Null),
    ];
    check(
        sql_insert("insert_expr", "notes", &exprs(&ex)).expect("fields"),
        "INSERT INTO \"notes\" (\"at\", \"n\") VALUES (now(), NULL) RETURNING *",
        &[],
    );
    check(
        sql_update("notes", "9", &texts(&fields)).expect("fields"),
        "UPDATE \"notes\" SET \"title\" = $1, \"body\" = $2 WHERE \"id\" = $3 RETURNING *",
        &["a", "", "9"],
    );
    let q = Query::from("notes").where_("owner", "u");
    check(
        sql_update_where("update_where", "notes", &texts(&fields[..1]), &q).expect("ok"),
        "UPDATE \"notes\" SET \"title\" = $1 WHERE \"owner\" = $2 RETURNING *",
        &["a", "u"],
    );
    let bare = Query::from("notes");
    assert_eq!(
        sql_update_where("update_where_expr", "notes", &texts(&fields), &bare).expect_err("where"),
        "update_where_expr: no WHERE conditions"
    );
    check(
        sql_delete("notes", "9"),
        "DELETE FROM \"notes\" WHERE \"id\" = $1 RETURNING *",
        &["9"],
    );
    check(
        sql_delete_where("delete_where", "notes", &q, false).expect("where"),
        "DELETE FROM \"notes\" WHERE \"owner\" = $1",
        &["u"],
    );
    assert_eq!(
        sql_delete_where("delete_where", "notes", &bare, false).expect_err("where"),
        "delete_where: no WHERE conditions"
    );
    check(
        sql_upsert(
            "insert_or_update",
            "kv",
            &texts(&fields),
            &s(&["title"]),
            &excluded(&s(&["body"])),
        )
        .expect("ok"),
        "INSERT INTO \"kv\" (\"title\", \"body\") VALUES ($1, $2) ON CONFLICT (\"title\") \
         DO UPDATE SET \"body\" = EXCLUDED.\"body\" RETURNING *",
        &["a", ""],
    );
    assert_eq!(
        sql_upsert("insert_or_update", "kv", &texts(&fields), &[], &[]).expect_err("targets"),
        "insert_or_update: no conflict targets provided"
    );
    let grouped = Query::from("t")
        .join("inner", "u", "u.id = t.u")
        .where_("a", "1")
        .group_by("a")
        .order_by("a", "asc")
        .limit(3);
    check(
        sql_count(&grouped),
        "SELECT COUNT(*) FROM \"t\" INNER JOIN \"u\" ON u.id = t.u WHERE \"a\" = $1 GROUP BY \"a\"",
        &["1"],
    );
    check(
        sql_exists(&q),
        "SELECT EXISTS(SELECT 1 FROM \"notes\" WHERE \"owner\" = $1 LIMIT 1)",
        &["u"],
    );
    check(
        sql_one(&q),
        "SELECT * FROM \"notes\" WHERE \"owner\" = $1 LIMIT 1",
        &["u"],
    );
}

#[test]
fn migration_ddl() {
    assert_eq!(
        sql_create_table("notes", &s(&["id:BIGSERIAL:PRIMARY KEY", "body:TEXT:NOT NULL"])),
        "CREATE TABLE IF NOT EXISTS \"notes\" (\"id\" BIGSERIAL PRIMARY KEY, \"body\" TEXT NOT NULL)"
    );
    assert_eq!(
        sql_create_table("t", &s(&["id:UUID:PRIMARY KEY DEFAULT gen_random_uuid()", "at:TIMESTAMPTZ"])),
        "CREATE TABLE IF NOT EXISTS \"t\" (\"id\" UUID PRIMARY KEY DEFAULT gen_random_uuid(), \"at\" TIMESTAMPTZ)"
    );
    assert_eq!(sql_drop_table("t"), "DROP TABLE IF EXISTS \"t\"");
    assert_eq!(
        sql_add_column("t", "n:INT:NOT NULL DEFAULT 0").expect("def"),
        "ALTER TABLE \"t\" ADD COLUMN IF NOT EXISTS \"n\" INT NOT NULL DEFAULT 0"
    );
    assert_eq!(
        sql_drop_column("t", "n"),
        "ALTER TABLE \"t\" DROP COLUMN IF EXISTS \"n\""
    );
    assert_eq!(
        sql_rename_column("t", "a", "b"),
        "ALTER TABLE \"t\" RENAME COLUMN \"a\" TO \"b\""
    );
    assert_eq!(
        sql_create_index("jobs", &s(&["status", "created_at:desc"]), "").expect("ok"),
        "CREATE INDEX IF NOT EXISTS \"idx_jobs_status_created_at\" ON \"jobs\" (\"status\", \"created_at\" DESC)"
    );
    assert_eq!(
        sql_create_index("jobs", &s(&["email"]), "unique:true name:jobs_email where:deleted_at IS NULL AND x = 1")
            .expect("ok"),
        "CREATE UNIQUE INDEX IF NOT EXISTS \"jobs_email\" ON \"jobs\" (\"email\") WHERE deleted_at IS NULL AND x = 1"
    );
    assert!(sql_create_index("jobs", &s(&["a:up"]), "").is_err());
    assert!(sql_create_index("jobs", &[], "").is_err());
    assert!(sql_create_index("jobs", &s(&["a"]), "fast:yes").is_err());
    assert_eq!(
        sql_drop_index("jobs", &s(&["status", "created_at:DESC"])).expect("ok"),
        "DROP INDEX IF EXISTS \"idx_jobs_status_created_at\""
    );
    assert_eq!(
        sql_create_extension("pgcrypto").expect("ok"),
        "CREATE EXTENSION IF NOT EXISTS \"pgcrypto\""
    );
    assert!(sql_create_extension("").is_err());
    assert_eq!(
        sql_create_gin_index("docs", "idx_docs_tags", "tags", "jsonb_path_ops").expect("ok"),
        "CREATE INDEX IF NOT EXISTS \"idx_docs_tags\" ON \"docs\" USING GIN (\"tags\" \"jsonb_path_ops\")"
    );
    assert!(sql_create_gin_index("docs", "", "tags", "x").is_err());
    assert_eq!(
        sql_create_range_partitioned_table("ev", &s(&["id:BIGINT", "at:DATE:NOT NULL", "PRIMARY KEY (id, at)"]), "at")
            .expect("ok"),
        "CREATE TABLE IF NOT EXISTS \"ev\" (\"id\" BIGINT, \"at\" DATE NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (\"at\")"
    );
    assert!(sql_create_range_partitioned_table("ev", &s(&["id:BIGINT"]), "at").is_err());
}

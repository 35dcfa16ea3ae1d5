//! PostgreSQL (stdlib spec §21, §23) against a real server: URL and connect errors,
//! authentication methods, TLS, text parameters and rows, NUL handling, the structured
//! server-error form and transactions. See tests/db/common.rs for the server and databases.

#[path = "db/common.rs"]
mod common;

use common::{admin, s, url_for, TestDb};
use mesh_rt::db::get;
use mesh_rt::db::pg::{self, AuthMethod};

#[test]
fn url_and_connect_errors_are_the_spec_sentences() {
    let e = |u: &str| pg::connect(u).expect_err("fails").to_string();
    assert_eq!(
        e("mysql://u@h/d"),
        "URL must start with postgres:// or postgresql://"
    );
    assert_eq!(e("postgres://h/d"), "URL missing '@' separator");
    assert_eq!(e("postgres://u@h:70000/d"), "invalid port: 70000");
    assert_eq!(
        e("postgres://u@no-such-host.invalid/d"),
        "could not resolve host"
    );
    // A loopback port nobody listens on: a listener bound and dropped.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let msg = e(&format!("postgres://u:secretpw@127.0.0.1:{port}/d"));
    assert!(msg.starts_with("could not connect to server: "), "{msg}");
    assert!(
        !msg.contains("secretpw") && !msg.contains("127.0.0.1"),
        "{msg}"
    );
    let db = format!("no_such_db_{}", std::process::id());
    let base = mesh_rt::db::pg::Url::parse(&common::base_url()).expect("url");
    let msg = e(&url_for(&base.user, base.password.as_deref(), &db, ""));
    assert_eq!(
        msg,
        format!("3D000\t\t\t\tdatabase \"{db}\" does not exist")
    );
}

/// Creates a role `mesh_<kind>_<pid>` with `password` stored as `encryption`, a member of
/// `mesh_<kind>` (scripts/pg.sh's pg_hba.conf picks the authentication method by that).
fn role(kind: &str, password: &str, encryption: &str) -> String {
    let name = format!("mesh_{kind}_{}", std::process::id());
    let a = admin();
    pg::execute(&a, &format!("DROP ROLE IF EXISTS {name}"), &[]).expect("drop role");
    pg::execute(
        &a,
        &format!("SET password_encryption = '{encryption}'"),
        &[],
    )
    .expect("set");
    // Utility statements take no parameters; the test password has no quotes.
    pg::execute(
        &a,
        &format!("CREATE ROLE {name} LOGIN IN ROLE mesh_{kind} PASSWORD '{password}'"),
        &[],
    )
    .expect("create role");
    pg::close(&a);
    name
}

fn drop_role(name: &str) {
    let a = admin();
    pg::execute(&a, &format!("DROP ROLE IF EXISTS {name}"), &[]).expect("drop role");
    pg::close(&a);
}

#[test]
fn scram_md5_and_clear_text_authentication() {
    let pw = "p@ss:w/rd ü%";
    let cases = [
        (
            "scram",
            "scram-sha-256",
            AuthMethod::Scram,
            "SCRAM authentication failed",
        ),
        ("md5", "md5", AuthMethod::Md5, "MD5 authentication failed"),
        (
            "clear",
            "scram-sha-256",
            AuthMethod::Cleartext,
            "28P01\t\t\t\tpassword authentication failed for user",
        ),
    ];
    for (kind, enc, method, wrong) in cases {
        let user = role(kind, pw, enc);
        for mode in ["?sslmode=disable", "?sslmode=require"] {
            let conn = pg::connect(&url_for(&user, Some(pw), "postgres", mode))
                .unwrap_or_else(|e| panic!("{kind} {mode}: {e}"));
            assert_eq!(conn.auth_method(), Some(method), "{kind}");
            let rows = pg::query(&conn, "SELECT current_user AS u", &[]).expect("query");
            assert_eq!(get(&rows[0], "u"), user);
            pg::close(&conn);
        }
        let bad = "Wr0ngSecret";
        let err = pg::connect(&url_for(&user, Some(bad), "postgres", ""))
            .expect_err("wrong password")
            .to_string();
        assert!(err.starts_with(wrong), "{kind}: {err}");
        assert!(
            !err.contains(bad) && !err.contains(pw),
            "{kind}: the password leaked: {err}"
        );
        let none = pg::connect(&url_for(&user, None, "postgres", "")).expect_err("no password");
        assert_eq!(none.to_string(), "password required by the server");
        drop_role(&user);
    }
}

#[test]
fn sslmode_decides_tls() {
    let db = TestDb::new("tls");
    let with = |q: &str| pg::connect(&format!("{}{q}", db.url())).expect("connects");
    assert!(
        with("").is_tls(),
        "prefer uses TLS when the server offers it"
    );
    assert!(with("?sslmode=require").is_tls());
    assert!(with("?sslmode=whatever").is_tls(), "unknown means prefer");
    assert!(!with("?sslmode=disable").is_tls());
}

#[test]
fn text_parameters_and_rows() {
    let db = TestDb::new("rows");
    let c = db.connect();
    let n = pg::execute(
        &c,
        "CREATE TABLE items (id SERIAL PRIMARY KEY, name TEXT, ok BOOLEAN, at TIMESTAMPTZ, n NUMERIC)",
        &[],
    )
    .expect("ddl");
    assert_eq!(n, 0);
    let n = pg::execute(
        &c,
        "INSERT INTO items (name, ok, at, n) VALUES ($1, $2, $3, $4), ($5, NULL, NULL, NULL), ($6, 'false', NULL, $7)",
        &s(&["héllo ✓ 🌍 \u{7f}", "true", "2024-01-15 10:30:00.123+00", "1.50", "", "x", "-7"]),
    )
    .expect("insert");
    assert_eq!(n, 3);
    pg::execute(&c, "SET TIME ZONE 'UTC'", &[]).expect("tz");
    let rows = pg::query(
        &c,
        "SELECT id, name, ok, ok::text AS okt, at, n, name AS id FROM items ORDER BY 1",
        &[],
    )
    .expect("select");
    assert_eq!(rows.len(), 3);
    assert_eq!(get(&rows[0], "name"), "héllo ✓ 🌍 \u{7f}");
    assert_eq!(
        get(&rows[0], "id"),
        "héllo ✓ 🌍 \u{7f}",
        "the later column wins"
    );
    assert_eq!(get(&rows[0], "ok"), "t");
    assert_eq!(get(&rows[0], "okt"), "true");
    assert_eq!(get(&rows[0], "at"), "2024-01-15 10:30:00.123+00");
    assert_eq!(get(&rows[0], "n"), "1.50");
    assert_eq!(
        (get(&rows[1], "ok"), get(&rows[1], "name")),
        ("", ""),
        "NULL is \"\""
    );
    assert_eq!(get(&rows[2], "ok"), "f");
    let updated = pg::query(
        &c,
        "UPDATE items SET n = n + 1 WHERE n IS NOT NULL RETURNING id, n",
        &[],
    )
    .expect("update returning");
    assert_eq!(updated.len(), 2);
    assert_eq!(
        pg::execute(&c, "DELETE FROM items", &[]).expect("delete"),
        3
    );
    let cte = pg::query(
        &c,
        "WITH x AS (SELECT $1::int + 1 AS v) SELECT v FROM x",
        &s(&["41"]),
    )
    .expect("cte");
    assert_eq!(get(&cte[0], "v"), "42");
}

#[test]
fn nul_bytes_are_refused_and_the_connection_stays_usable() {
    let db = TestDb::new("nul");
    let c = db.connect();
    let e = pg::query(&c, "SELECT $1::text AS v", &s(&["a\0b"])).expect_err("nul param");
    assert_eq!(e.to_string(), "parameter contains null byte");
    let e = pg::query(&c, "SELECT 1\0", &[]).expect_err("nul sql");
    assert_eq!(e.to_string(), "SQL contains null byte");
    let rows = pg::query(&c, "SELECT $1::text AS v", &s(&["still fine"])).expect("usable");
    assert_eq!(get(&rows[0], "v"), "still fine");
}

#[test]
fn server_errors_use_the_structured_form() {
    let db = TestDb::new("errors");
    let c = db.connect();
    pg::execute(
        &c,
        "CREATE TABLE users (id SERIAL, email TEXT NOT NULL UNIQUE)",
        &[],
    )
    .expect("ddl");
    pg::execute(&c, "INSERT INTO users (email) VALUES ($1)", &s(&["a@x"])).expect("first");
    let dup = pg::execute(&c, "INSERT INTO users (email) VALUES ($1)", &s(&["a@x"]))
        .expect_err("duplicate");
    assert_eq!(
        dup.to_string(),
        "23505\tusers_email_key\tusers\t\tduplicate key value violates unique constraint \"users_email_key\""
    );
    let null =
        pg::execute(&c, "INSERT INTO users (email) VALUES (NULL)", &[]).expect_err("not null");
    assert_eq!(
        null.to_string(),
        "23502\t\tusers\temail\tnull value in column \"email\" of relation \"users\" violates not-null constraint"
    );
    let syntax = pg::execute(&c, "SELEC 1", &[]).expect_err("syntax");
    assert_eq!(
        syntax.to_string(),
        "42601\t\t\t\tsyntax error at or near \"SELEC\""
    );
    let missing = pg::query(&c, "SELECT * FROM nope", &[]).expect_err("missing table");
    assert_eq!(
        missing.to_string(),
        "42P01\t\t\t\trelation \"nope\" does not exist"
    );
    let uuid = pg::query(&c, "SELECT $1::uuid", &s(&["not-a-uuid"])).expect_err("bad uuid");
    assert!(uuid.to_string().starts_with("22P02\t"), "{uuid}");
}

#[test]
fn transactions_commit_roll_back_and_survive_panics() {
    let db = TestDb::new("tx");
    let c = db.connect();
    pg::execute(&c, "CREATE TABLE t (v TEXT)", &[]).expect("ddl");
    let count = || {
        let rows = pg::query(&c, "SELECT count(*) AS n FROM t", &[]).expect("count");
        get(&rows[0], "n").to_string()
    };
    let ok = pg::transaction(&c, |tx| {
        pg::execute(tx, "INSERT INTO t VALUES ($1)", &s(&["a"]))?;
        Ok(7)
    });
    assert_eq!(ok, Ok(7));
    assert_eq!(count(), "1");
    let err: Result<(), String> = pg::transaction(&c, |tx| {
        pg::execute(tx, "INSERT INTO t VALUES ($1)", &s(&["b"]))?;
        Err("changed my mind".to_string())
    });
    assert_eq!(err, Err("changed my mind".to_string()));
    assert_eq!(count(), "1");
    let panicked: Result<(), String> = pg::transaction(&c, |tx| {
        pg::execute(tx, "INSERT INTO t VALUES ($1)", &s(&["c"])).expect("insert");
        panic!("boom");
    });
    assert_eq!(
        panicked,
        Err("transaction aborted: panic in callback".to_string())
    );
    assert_eq!(count(), "1");
    let failing: Result<(), String> = pg::transaction(&c, |tx| {
        pg::execute(tx, "INSERT INTO nope VALUES (1)", &[])?;
        Ok(())
    });
    assert!(failing.expect_err("fails").starts_with("42P01\t"));
    pg::begin(&c).expect("begin");
    pg::execute(&c, "INSERT INTO t VALUES ('d')", &[]).expect("insert");
    pg::rollback(&c).expect("rollback");
    assert_eq!(count(), "1");
    let e = pg::commit(&c);
    assert!(e.is_ok(), "COMMIT outside a transaction only warns: {e:?}");
    let other = c.clone();
    pg::close(&c);
    let closed = pg::query(&other, "SELECT 1", &[]).expect_err("closed");
    assert_eq!(closed.to_string(), "connection closed");
    let begin: Result<(), String> = pg::transaction(&other, |_| Ok(()));
    assert_eq!(begin, Err("BEGIN: connection closed".to_string()));
}

#[test]
fn a_failed_commit_rolls_back_and_says_so() {
    let db = TestDb::new("commit");
    let c = db.connect();
    pg::execute(
        &c,
        "CREATE TABLE u (k TEXT, CONSTRAINT u_k_key UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)",
        &[],
    )
    .expect("ddl");
    let r: Result<(), String> = pg::transaction(&c, |tx| {
        pg::execute(tx, "INSERT INTO u VALUES ('same'), ('same')", &[])?;
        Ok(())
    });
    assert_eq!(
        r,
        Err("COMMIT: 23505\tu_k_key\tu\t\tduplicate key value violates unique constraint \"u_k_key\""
            .to_string())
    );
    let rows = pg::query(&c, "SELECT count(*) AS n FROM u", &[]).expect("usable after");
    assert_eq!(get(&rows[0], "n"), "0");
}

#[test]
fn prepared_statements_are_reused_and_survive_a_changed_table() {
    let t = |v: &str| v.to_string();
    let db = TestDb::new("pg_prepared");
    let c = db.connect();
    pg::execute(&c, "CREATE TABLE p (a TEXT)", &[]).expect("ddl");
    pg::execute(&c, "INSERT INTO p VALUES ($1)", &[t("x")]).expect("insert");
    let select = "SELECT * FROM p ORDER BY a";
    let rows = pg::query(&c, select, &[]).expect("select");
    assert_eq!(rows, vec![vec![(t("a"), t("x"))]]);
    // The second run of the same text uses the statement prepared by the first: the server
    // counts one prepared statement for it.
    pg::query(&c, select, &[]).expect("select again");
    let n = pg::query(
        &c,
        "SELECT count(*)::text AS n FROM pg_prepared_statements WHERE statement = $1",
        &[t(select)],
    )
    .expect("prepared statements");
    assert_eq!(get(&n[0], "n"), "1");
    // The table changes shape under the prepared statement: the server refuses the cached
    // plan and the statement is prepared again, transparently.
    pg::execute(&c, "ALTER TABLE p ADD COLUMN b TEXT DEFAULT 'y'", &[]).expect("alter");
    let rows = pg::query(&c, select, &[]).expect("select after alter");
    assert_eq!(rows, vec![vec![(t("a"), t("x")), (t("b"), t("y"))]]);
    // A statement that fails to parse is not kept, and the connection goes on working.
    let e = pg::query(&c, "SELEC 1", &[]).expect_err("syntax error");
    assert!(e.to_string().contains("syntax error"), "{e}");
    assert_eq!(
        pg::execute(&c, "INSERT INTO p VALUES ($1)", &[t("z")]).expect("insert"),
        1
    );
}

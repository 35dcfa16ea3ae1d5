//! SQLite (stdlib spec §22) through `mesh_rt::db::sqlite`: round trips, the §21 row rules,
//! the spec's error texts and closed handles.

use mesh_rt::db::sqlite::{self, SqliteConn};
use mesh_rt::db::{get, Row};

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn mem() -> SqliteConn {
    let db = sqlite::open(":memory:").expect("in-memory database opens");
    sqlite::execute(
        &db,
        "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT UNIQUE, done INTEGER, score REAL, note TEXT)",
        &[],
    )
    .expect("table");
    db
}

#[test]
fn round_trip_with_parameters_and_row_rules() {
    let db = mem();
    let n = sqlite::execute(
        &db,
        "INSERT INTO todos (title, done, score) VALUES (?, ?, ?)",
        &s(&["héllo ✓ 🌍", "1", "2.5"]),
    )
    .expect("insert");
    assert_eq!(n, 1);
    sqlite::execute(
        &db,
        "INSERT INTO todos (title, done, score) VALUES (:t, ?2, ?3)",
        &s(&["two", "0", "3"]),
    )
    .expect("named and numbered placeholders bind positionally");
    let rows: Vec<Row> = sqlite::query(
        &db,
        "SELECT id, title, done, score, note, title AS t2, done AS title FROM todos ORDER BY id",
        &[],
    )
    .expect("select");
    assert_eq!(rows.len(), 2);
    let r = &rows[0];
    assert_eq!(get(r, "id"), "1");
    assert_eq!(
        get(r, "title"),
        "1",
        "the later column of the same name wins"
    );
    assert_eq!(get(r, "t2"), "héllo ✓ 🌍");
    assert_eq!(get(r, "score"), "2.5");
    assert_eq!(get(r, "note"), "", "NULL is the empty string");
    assert_eq!(get(r, "missing"), "");
    let names: Vec<&str> = r.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["id", "title", "done", "score", "note", "t2"]);
    assert_eq!(get(&rows[1], "score"), "3.0");
    let changed = sqlite::execute(&db, "UPDATE todos SET done = 1", &[]).expect("update");
    assert_eq!(changed, 2);
    assert_eq!(
        sqlite::execute(&db, "CREATE TABLE x (a)", &[]).expect("ddl"),
        0
    );
    let ret = sqlite::query(
        &db,
        "INSERT INTO todos (title) VALUES (?) ON CONFLICT (title) DO UPDATE SET done = 5 RETURNING id, done",
        &s(&["two"]),
    )
    .expect("upsert returning");
    assert_eq!((get(&ret[0], "id"), get(&ret[0], "done")), ("2", "5"));
}

#[test]
fn injection_through_parameters_stays_data() {
    let db = mem();
    let evil = "x'); DROP TABLE todos; --";
    sqlite::execute(&db, "INSERT INTO todos (title) VALUES (?)", &s(&[evil])).expect("insert");
    let rows = sqlite::query(&db, "SELECT title FROM todos WHERE title = ?", &s(&[evil]))
        .expect("the table still exists");
    assert_eq!(get(&rows[0], "title"), evil);
}

#[test]
fn errors_are_sqlite_messages() {
    let db = mem();
    let e = sqlite::query(&db, "SELECT * FROM nope", &[]).expect_err("no table");
    assert_eq!(e, "no such table: nope");
    let e = sqlite::execute(&db, "CREATE TABL t (x)", &[]).expect_err("syntax");
    assert_eq!(e, "near \"TABL\": syntax error");
    sqlite::execute(&db, "INSERT INTO todos (title) VALUES ('a')", &[]).expect("first");
    let e = sqlite::execute(&db, "INSERT INTO todos (title) VALUES ('a')", &[]).expect_err("dup");
    assert_eq!(e, "UNIQUE constraint failed: todos.title");
    let e = sqlite::execute(&db, "SELECT ?", &s(&["a\0b"])).expect_err("nul");
    assert_eq!(e, "parameter contains null byte");
    let e = sqlite::execute(&db, "SELECT 1\0", &[]).expect_err("nul");
    assert_eq!(e, "SQL contains null byte");
    let e = sqlite::commit(&db).expect_err("no transaction");
    assert_eq!(e, "cannot commit - no transaction is active");
    let e = sqlite::open("/nonexistent-dir/x/y.db").expect_err("cannot open");
    assert_eq!(e, "unable to open database file");
}

#[test]
fn only_the_first_statement_runs() {
    let db = mem();
    sqlite::execute(
        &db,
        "INSERT INTO todos (title) VALUES ('one'); DROP TABLE todos",
        &[],
    )
    .expect("first statement");
    let rows = sqlite::query(&db, "SELECT count(*) AS n FROM todos", &[]).expect("still there");
    assert_eq!(get(&rows[0], "n"), "1");
}

#[test]
fn transactions_and_close() {
    let db = mem();
    sqlite::begin(&db).expect("begin");
    sqlite::execute(&db, "INSERT INTO todos (title) VALUES ('gone')", &[]).expect("insert");
    sqlite::rollback(&db).expect("rollback");
    sqlite::begin(&db).expect("begin");
    sqlite::execute(&db, "INSERT INTO todos (title) VALUES ('kept')", &[]).expect("insert");
    sqlite::commit(&db).expect("commit");
    let rows = sqlite::query(&db, "SELECT title FROM todos", &[]).expect("select");
    assert_eq!(rows.len(), 1);
    assert_eq!(get(&rows[0], "title"), "kept");
    let shared = db.clone();
    sqlite::close(&db);
    let e = sqlite::query(&shared, "SELECT 1", &[]).expect_err("closed");
    assert_eq!(e, "connection closed");
}

#[test]
fn a_file_database_persists() {
    let dir = std::env::temp_dir().join(format!("mesh-sqlite-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("t.db");
    let path = path.to_str().expect("utf-8 path");
    let db = sqlite::open(path).expect("creates the file");
    sqlite::execute(&db, "CREATE TABLE k (v TEXT)", &[]).expect("ddl");
    sqlite::execute(&db, "INSERT INTO k VALUES (?)", &s(&["saved"])).expect("insert");
    sqlite::close(&db);
    let again = sqlite::open(path).expect("reopens");
    let rows = sqlite::query(&again, "SELECT v FROM k", &[]).expect("select");
    assert_eq!(get(&rows[0], "v"), "saved");
    sqlite::close(&again);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

/// The statement cache and the in-place binding rule (`db/sqlite/raw.rs`): a kept statement
/// run again with fewer values than placeholders binds NULL for the rest (never the bytes of
/// an earlier run, which are gone), statements used in turn each find their own prepared
/// statement, equal texts from different buffers find the same one, text without a
/// statement runs as a no-op, and texts past the cache's size still run.
#[test]
fn cached_statements_bind_afresh_on_every_run() {
    let db = mem();
    let insert = "INSERT INTO todos (title, note) VALUES (?, ?)";
    let select = "SELECT title, note FROM todos WHERE title = ?";
    for i in 0..3 {
        let title = format!("full {i}");
        let note = format!("note {i}");
        sqlite::execute(&db, insert, &[title.clone(), note]).expect("insert with both");
        let rows = sqlite::query(&db, select, &[title]).expect("select");
        assert_eq!(get(&rows[0], "note"), format!("note {i}"));
    }
    // Built at run time, so not the literal's buffer: still the cached statement.
    let same_text: String = insert.chars().collect();
    sqlite::execute(&db, &same_text, &s(&["short"])).expect("insert with one value");
    let rows = sqlite::query(&db, select, &s(&["short"])).expect("select");
    assert_eq!(
        get(&rows[0], "note"),
        "",
        "the missing value is NULL, not the last run's"
    );
    let rows = sqlite::query(
        &db,
        "SELECT count(*) AS n FROM todos WHERE note IS NULL",
        &[],
    )
    .expect("count");
    assert_eq!(get(&rows[0], "n"), "1");
    assert_eq!(sqlite::execute(&db, "", &[]).expect("empty text"), 0);
    assert_eq!(
        sqlite::execute(&db, "-- only a comment", &[]).expect("comment"),
        0
    );
    // More distinct texts than the cache keeps: every one still runs, and the first ones
    // are still found afterwards.
    for i in 0..300 {
        let rows = sqlite::query(&db, &format!("SELECT {i} AS v"), &[]).expect("distinct text");
        assert_eq!(get(&rows[0], "v"), i.to_string());
    }
    let rows = sqlite::query(&db, select, &s(&["full 2"])).expect("select after many");
    assert_eq!(get(&rows[0], "note"), "note 2");
}

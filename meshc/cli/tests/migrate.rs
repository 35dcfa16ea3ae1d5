//! `meshc migrate` (tooling spec §6) against a real PostgreSQL: the server comes from
//! MESH_TEST_DATABASE_URL (`bash scripts/pg.sh run cargo nextest run -p meshc --test migrate`
//! starts a throwaway one); each test creates and drops its own database. Without a
//! reachable server the tests fail, never skip. No output may contain the URL or password.

use mesh_rt::db::pg::{self, PgConn, Url};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn base_url() -> String {
    match std::env::var("MESH_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => panic!(
            "MESH_TEST_DATABASE_URL is not set: run \
             `bash scripts/pg.sh run cargo nextest run -p meshc --test migrate`"
        ),
    }
}

fn admin() -> PgConn {
    pg::connect(&base_url()).unwrap_or_else(|e| panic!("cannot reach the test server: {e}"))
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn url_for(user: &str, password: Option<&str>, db: &str) -> String {
    let base = Url::parse(&base_url()).unwrap_or_else(|e| panic!("bad URL: {e}"));
    let auth = match password {
        Some(p) => format!("{}:{}", enc(user), enc(p)),
        None => enc(user),
    };
    let host = if base.host.contains(':') {
        format!("[{}]", base.host)
    } else {
        base.host.clone()
    };
    format!("postgres://{auth}@{host}:{}/{}", base.port, enc(db))
}

/// A database (and scratch project directory) of one test, dropped at the end.
struct TestDb {
    name: String,
    dir: PathBuf,
}

impl TestDb {
    fn new(tag: &str) -> TestDb {
        let name = format!("mesh_t_migrate_{tag}_{}", std::process::id());
        let a = admin();
        pg::execute(
            &a,
            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            &[],
        )
        .expect("drop stale database");
        // From template0, which nobody connects to: an autovacuum worker in template1 makes
        // CREATE DATABASE fail with 55006 ("being accessed by other users"); retry that too.
        let create = format!("CREATE DATABASE \"{name}\" TEMPLATE template0");
        let mut tries = 0;
        while let Err(e) = pg::execute(&a, &create, &[]) {
            tries += 1;
            let busy = matches!(&e, pg::PgError::Server(s) if s.code == "55006");
            assert!(busy && tries < 20, "create database: {e}");
        }
        pg::close(&a);
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/cli-tests/migrate")
            .join(tag);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        TestDb { name, dir }
    }

    fn url(&self) -> String {
        let base = Url::parse(&base_url()).unwrap_or_else(|e| panic!("bad URL: {e}"));
        url_for(&base.user, base.password.as_deref(), &self.name)
    }

    fn connect(&self) -> PgConn {
        pg::connect(&self.url()).unwrap_or_else(|e| panic!("connect: {e}"))
    }

    fn sql(&self, sql: &str) {
        let c = self.connect();
        pg::execute(&c, sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}"));
        pg::close(&c);
    }

    /// One column of a query, as text.
    fn column(&self, sql: &str) -> Vec<String> {
        let c = self.connect();
        let rows = pg::query(&c, sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}"));
        pg::close(&c);
        rows.into_iter()
            .map(|r| r.into_iter().next().map(|(_, v)| v).unwrap_or_default())
            .collect()
    }

    fn has_tracking_table(&self) -> bool {
        self.column("SELECT to_regclass('_mesh_migrations') IS NOT NULL") == vec!["t".to_string()]
    }

    fn tracking_rows(&self) -> Vec<String> {
        self.column("SELECT version::text || ' ' || name FROM _mesh_migrations ORDER BY version")
    }

    /// Writes `migrations/<file>` in the project directory.
    fn migration(&self, file: &str, text: &str) {
        let m = self.dir.join("migrations");
        std::fs::create_dir_all(&m).expect("migrations dir");
        std::fs::write(m.join(file), text).expect("write migration");
    }

    /// `meshc migrate ARGS…` with DATABASE_URL set to this database, run in its directory.
    fn migrate(&self, args: &[&str]) -> Run {
        migrate_with(&self.dir, Some(&self.url()), args)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(a) = pg::connect(&base_url()) {
            let _ = pg::execute(
                &a,
                &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
                &[],
            );
            pg::close(&a);
        }
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn migrate_with(cwd: &Path, url: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshc"));
    cmd.current_dir(cwd).arg("migrate").args(args);
    cmd.env_remove("DATABASE_URL");
    if let Some(u) = url {
        cmd.env("DATABASE_URL", u);
    }
    let out: Output = cmd.output().expect("meshc runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    if let Some(u) = url.filter(|u| !u.is_empty()) {
        let base = Url::parse(u).ok();
        let secret = base.as_ref().and_then(|b| b.password.clone());
        for text in [&run.stdout, &run.stderr] {
            assert!(!text.contains(u), "output shows DATABASE_URL: {text}");
            if let Some(p) = &secret {
                assert!(
                    !text.contains(p.as_str()),
                    "output shows the password: {text}"
                );
            }
        }
    }
    run
}

const CREATE_JOBS: &str = "pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
     Pool.execute(pool, \"CREATE TABLE jobs (id BIGSERIAL PRIMARY KEY)\", [])?\n  Ok(0)\nend\n\n\
     pub fn down(pool :: PoolHandle) -> Int ! String do\n  \
     Pool.execute(pool, \"DROP TABLE jobs\", [])?\n  Ok(0)\nend\n";

#[test]
fn status_without_migrations_and_never_writes() {
    let db = TestDb::new("status_empty");
    let r = db.migrate(&["status"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(r.stdout, "No migrations found in ./migrations\n");
    let r = migrate_with(
        &db.dir.join(".."),
        Some(&db.url()),
        &["status_empty", "status"],
    );
    assert_eq!(r.stdout, "No migrations found in status_empty/migrations\n");
    assert!(
        !db.has_tracking_table(),
        "status created the tracking table"
    );
}

#[test]
fn status_on_a_partially_migrated_database() {
    let db = TestDb::new("status_partial");
    db.migration("20250315090000_create_jobs.mpl", CREATE_JOBS);
    db.migration("20250401120000_add_job_priority.mpl", CREATE_JOBS);
    db.migration("README.md", "not a migration");
    let r = db.migrate(&["status"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Migrations in ./migrations:\n  [ ] 20250315090000_create_jobs\n  \
         [ ] 20250401120000_add_job_priority\n0 applied, 2 pending\n"
    );
    db.sql(mesh_rt::db::migrate::TRACKING_TABLE);
    db.sql(
        "INSERT INTO _mesh_migrations (version, name) VALUES \
         (20250315090000, 'create_jobs'), (20240101000000, 'old_one')",
    );
    let r = db.migrate(&["status", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Migrations in ./migrations:\n  [x] 20240101000000_old_one (file missing)\n  \
         [x] 20250315090000_create_jobs\n  [ ] 20250401120000_add_job_priority\n\
         2 applied, 1 pending\n"
    );
    assert_eq!(r.stderr, "");
}

#[test]
fn generate_writes_a_timestamped_stub() {
    let db = TestDb::new("generate");
    // No database needed: DATABASE_URL is not set.
    let r = migrate_with(&db.dir, None, &["generate", "add_notes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r2 = migrate_with(&db.dir, None, &["generate", "add_notes"]);
    assert_eq!(r2.code, 0, "{}", r2.stderr);
    let mut files: Vec<String> = std::fs::read_dir(db.dir.join("migrations"))
        .expect("migrations created")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        2,
        "{files:?}: the second is bumped by one second"
    );
    for (file, run) in files.iter().zip([&r, &r2]) {
        let (stamp, rest) = file.split_at(14);
        assert!(stamp.bytes().all(|b| b.is_ascii_digit()), "{file}");
        assert_eq!(rest, "_add_notes.mpl");
        assert!(stamp.starts_with("20"), "{file}");
        assert_eq!(run.stdout, "");
        assert_eq!(run.stderr, format!("Created migrations/{file}\n"));
        let text = std::fs::read_to_string(db.dir.join("migrations").join(file)).expect("read");
        assert_eq!(text, mesh_rt::db::migrate::template("add_notes"));
        assert!(text.starts_with("# Migration: add_notes\n"));
        assert!(text.contains("pub fn up(pool :: PoolHandle) -> Int ! String do"));
        assert!(text.contains("pub fn down(pool :: PoolHandle) -> Int ! String do"));
        assert!(text.contains("# Migration.create_table("));
    }
    let stamps: Vec<u64> = files
        .iter()
        .map(|f| f[..14].parse().expect("digits"))
        .collect();
    assert!(stamps[0] < stamps[1]);
    // The generated files are valid migrations for status.
    let r = db.migrate(&["status"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.ends_with("0 applied, 2 pending\n"), "{}", r.stdout);
    // Generating into another directory, action first or last.
    let r = migrate_with(&db.dir, None, &["sub", "generate", "x1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.starts_with("Created migrations/"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_dir(db.dir.join("sub/migrations"))
            .expect("sub")
            .count(),
        1
    );
}

#[test]
fn generate_name_errors() {
    let db = TestDb::new("generate_errors");
    for (name, message) in [
        ("", "error: migration name must not be empty\n"),
        (
            "AddNotes",
            "error: migration name must use lowercase letters, digits and '_'\n",
        ),
        (
            "add-notes",
            "error: migration name must use lowercase letters, digits and '_'\n",
        ),
    ] {
        let r = migrate_with(&db.dir, None, &["generate", name]);
        assert_eq!((r.code, r.stderr.as_str()), (1, message), "{name}");
    }
    assert!(!db.dir.join("migrations").exists());
    let r = migrate_with(&db.dir, None, &["generate"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("error: missing migration name"),
        "{}",
        r.stderr
    );
    let r = migrate_with(&db.dir, None, &[".", "sideways"]);
    assert_eq!(r.code, 2);
    assert!(r
        .stderr
        .starts_with("error: unknown migrate action 'sideways'\nusage: "));
}

#[test]
fn up_with_nothing_pending_creates_the_table() {
    let db = TestDb::new("up_none");
    let r = db.migrate(&[]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(r.stderr, "No pending migrations\n");
    assert!(db.has_tracking_table());
    assert_eq!(db.tracking_rows(), Vec::<String>::new());
    // Every pending file applied already: still nothing to do.
    db.migration("20250315090000_create_jobs.mpl", CREATE_JOBS);
    db.sql("INSERT INTO _mesh_migrations (version, name) VALUES (20250315090000, 'create_jobs')");
    let r = db.migrate(&["up"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, "No pending migrations\n"));
}

#[test]
fn up_failure_leaves_nothing_and_stops() {
    let db = TestDb::new("up_fail");
    db.migration(
        "20250101000000_uses_project.mpl",
        "from Api.Router import route\n\npub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         Ok(0)\nend\n\npub fn down(pool :: PoolHandle) -> Int ! String do\n  Ok(0)\nend\n",
    );
    db.migration("20250102000000_create_jobs.mpl", CREATE_JOBS);
    let r = db.migrate(&["up"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Applying 20250101000000_uses_project\nerror: migration 20250101000000_uses_project \
         failed: migrations may only use the standard library\n",
        "later migrations are not attempted"
    );
    assert_eq!(db.tracking_rows(), Vec::<String>::new());
}

#[test]
fn down_actions() {
    let db = TestDb::new("down");
    let r = db.migrate(&["down"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, "No applied migrations to roll back\n")
    );
    db.migration("20250315090000_create_jobs.mpl", CREATE_JOBS);
    db.sql(
        "INSERT INTO _mesh_migrations (version, name) VALUES \
         (20250315090000, 'create_jobs'), (20250401120000, 'gone')",
    );
    let r = db.migrate(&["down"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "error: cannot roll back 20250401120000: migrations/20250401120000_*.mpl not found\n"
        )
    );
    assert_eq!(
        db.tracking_rows(),
        vec!["20250315090000 create_jobs", "20250401120000 gone"]
    );
}

#[test]
fn database_url_errors() {
    let db = TestDb::new("url_errors");
    for action in [&["status"][..], &["up"], &["down"], &[]] {
        let r = migrate_with(&db.dir, None, action);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (1, "error: DATABASE_URL must be set for meshc migrate\n"),
            "{action:?}"
        );
        let r = migrate_with(&db.dir, Some(""), action);
        assert_eq!(
            r.stderr,
            "error: DATABASE_URL must be set for meshc migrate\n"
        );
        let r = migrate_with(&db.dir, Some("mysql://u:topsecret@localhost/d"), action);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (
                1,
                "error: DATABASE_URL must be a postgres:// or postgresql:// URL\n"
            )
        );
    }
    // Nothing listens on port 1 of the loopback address.
    let r = migrate_with(
        &db.dir,
        Some("postgresql://u:topsecret@127.0.0.1:1/d"),
        &["status"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("error: could not connect to the database: could not connect to server"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1);
}

#[test]
fn wrong_password_shows_the_reason_only() {
    let db = TestDb::new("password");
    let role = format!("mesh_t_migrate_{}", std::process::id());
    let a = admin();
    let _ = pg::execute(&a, &format!("DROP ROLE IF EXISTS {role}"), &[]);
    pg::execute(
        &a,
        &format!("CREATE ROLE {role} LOGIN PASSWORD 'Corr3ct-Horse' IN ROLE mesh_scram"),
        &[],
    )
    .expect("create role");
    let good = url_for(&role, Some("Corr3ct-Horse"), &db.name);
    let r = migrate_with(&db.dir, Some(&good), &["status"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "No migrations found in ./migrations\n"),
        "{}",
        r.stderr
    );
    let bad = url_for(&role, Some("Wr0ng-Battery"), &db.name);
    let r = migrate_with(&db.dir, Some(&bad), &["status"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "error: could not connect to the database: SCRAM authentication failed\n"
        )
    );
    let _ = pg::execute(&a, &format!("DROP ROLE IF EXISTS {role}"), &[]);
    pg::close(&a);
}

#[test]
fn migration_file_errors() {
    let db = TestDb::new("file_errors");
    db.migration("20250315090000_Create.mpl", CREATE_JOBS);
    let r = db.migrate(&["status"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "error: migrations/20250315090000_Create.mpl: expected <VERSION>_<name>.mpl\n"
        )
    );
    std::fs::remove_file(db.dir.join("migrations/20250315090000_Create.mpl")).expect("rm");
    db.migration("1234567890123456789_too_long.mpl", CREATE_JOBS);
    let r = db.migrate(&["up"]);
    assert_eq!(
        r.stderr,
        "error: migrations/1234567890123456789_too_long.mpl: expected <VERSION>_<name>.mpl\n"
    );
    std::fs::remove_file(db.dir.join("migrations/1234567890123456789_too_long.mpl")).expect("rm");
    db.migration("0042_a.mpl", CREATE_JOBS);
    db.migration("42_b.mpl", CREATE_JOBS);
    let r = db.migrate(&["status"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "error: duplicate migration version 42\n")
    );
    assert!(!db.has_tracking_table());
}

#[test]
fn concurrent_runs_take_turns_on_the_advisory_lock() {
    let db = TestDb::new("lock");
    let holder = db.connect();
    pg::query(&holder, "SELECT pg_advisory_lock(7882833615131338610)", &[])
        .expect("take the lock meshc uses");
    let mut child = Command::new(env!("CARGO_BIN_EXE_meshc"))
        .current_dir(&db.dir)
        .args(["migrate", "up"])
        .env("DATABASE_URL", db.url())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("meshc starts");
    // Wait (bounded) until the server shows meshc's lock request waiting.
    let waiting = "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
                   WHERE l.locktype = 'advisory' AND NOT l.granted \
                   AND d.datname = current_database()";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let rows = pg::query(&holder, waiting, &[]).expect("pg_locks");
        if rows.first().map(|r| r[0].1.as_str()) == Some("1") {
            break;
        }
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "meshc finished while another session held the lock"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "meshc never asked for the lock"
        );
        std::thread::yield_now();
    }
    assert!(
        !db.has_tracking_table(),
        "meshc wrote before it held the lock"
    );
    pg::query(
        &holder,
        "SELECT pg_advisory_unlock(7882833615131338610)",
        &[],
    )
    .expect("unlock");
    let out = child.wait_with_output().expect("meshc ends");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "No pending migrations\n"
    );
    assert!(db.has_tracking_table());
    pg::close(&holder);
}

/// Whether a relation (table or index) exists.
fn exists(db: &TestDb, relation: &str) -> bool {
    db.column(&format!("SELECT to_regclass('{relation}') IS NOT NULL")) == vec!["t".to_string()]
}

#[test]
fn up_runs_the_migration_code_and_down_reverts_it() {
    let db = TestDb::new("run_code");
    db.migration(
        "20250101000000_create_notes.mpl",
        "# Notes and their index.\n\n\
         pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         Pg.create_extension(pool, \"pgcrypto\")?\n  \
         Migration.create_table(pool, \"notes\", [\"id:BIGSERIAL:PRIMARY KEY\", \"body:TEXT:NOT NULL\", \"author:TEXT\"])?\n  \
         Migration.create_index(pool, \"notes\", [\"author\", \"body:DESC\"], \"unique:true\")?\n  \
         Pool.execute(pool, \"INSERT INTO notes (body, author) VALUES ($1, $2)\", [\"first\", \"ann\"])?\n  \
         Ok(0)\nend\n\n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  \
         Migration.drop_table(pool, \"notes\")?\n  Ok(0)\nend\n",
    );
    db.migration(
        "20250102000000_add_tags.mpl",
        "fn tag_columns() -> List<String> do\n  [\"id:BIGSERIAL:PRIMARY KEY\", \"note_id:BIGINT:REFERENCES notes(id)\"]\nend\n\n\
         pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         Migration.create_table(pool, \"tags\", tag_columns())?\n  \
         Migration.add_column(pool, \"tags\", \"label:TEXT:NOT NULL DEFAULT ''\")?\n  \
         Ok(0)\nend\n\n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  \
         Pool.execute(pool, \"DROP TABLE tags\", [])?\n  Ok(0)\nend\n",
    );
    let r = db.migrate(&["up"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "Applying 20250101000000_create_notes\nApplied 20250101000000_create_notes\n\
         Applying 20250102000000_add_tags\nApplied 20250102000000_add_tags\n\
         Applied 2 migration(s)\n"
    );
    assert_eq!(
        db.tracking_rows(),
        vec!["20250101000000 create_notes", "20250102000000 add_tags"]
    );
    assert_eq!(
        db.column("SELECT body || '/' || author FROM notes"),
        vec!["first/ann"]
    );
    assert!(exists(&db, "idx_notes_author_body"));
    assert_eq!(
        db.column("SELECT extname FROM pg_extension WHERE extname = 'pgcrypto'"),
        vec!["pgcrypto"]
    );
    assert_eq!(
        db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'tags' ORDER BY ordinal_position"),
        vec!["id", "note_id", "label"]
    );
    let r = db.migrate(&["status"]);
    assert_eq!(
        r.stdout,
        "Migrations in ./migrations:\n  [x] 20250101000000_create_notes\n  \
         [x] 20250102000000_add_tags\n2 applied, 0 pending\n"
    );
    let r = db.migrate(&["down"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, "Rolled back 20250102000000_add_tags\n")
    );
    assert!(!exists(&db, "tags") && exists(&db, "notes"));
    assert_eq!(db.tracking_rows(), vec!["20250101000000 create_notes"]);
    let r = db.migrate(&["status"]);
    assert!(
        r.stdout
            .ends_with("  [ ] 20250102000000_add_tags\n1 applied, 1 pending\n"),
        "{}",
        r.stdout
    );
    let r = db.migrate(&["down"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, "Rolled back 20250101000000_create_notes\n")
    );
    assert!(!exists(&db, "notes"));
    assert_eq!(db.tracking_rows(), Vec::<String>::new());
    let r = db.migrate(&["status"]);
    assert!(r.stdout.ends_with("0 applied, 2 pending\n"), "{}", r.stdout);
}

#[test]
fn a_failing_migration_leaves_neither_table_nor_row_and_stops() {
    let db = TestDb::new("run_fail");
    db.migration("20250101000000_create_jobs.mpl", CREATE_JOBS);
    // Creates a table, then fails: the table goes with the transaction.
    db.migration(
        "20250102000000_half_done.mpl",
        "pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         Pool.execute(pool, \"CREATE TABLE half (id INT)\", [])?\n  \
         Err(\"half of it is not enough\")\nend\n\n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  Ok(0)\nend\n",
    );
    db.migration(
        "20250103000000_later.mpl",
        "pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         Pool.execute(pool, \"CREATE TABLE later (id INT)\", [])?\n  Ok(0)\nend\n\n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  Ok(0)\nend\n",
    );
    let r = db.migrate(&["up"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Applying 20250101000000_create_jobs\nApplied 20250101000000_create_jobs\n\
         Applying 20250102000000_half_done\n\
         error: migration 20250102000000_half_done failed: half of it is not enough\n"
    );
    assert!(exists(&db, "jobs"), "earlier migrations stay applied");
    assert!(
        !exists(&db, "half"),
        "the failed migration's table was rolled back"
    );
    assert!(!exists(&db, "later"), "later migrations are not attempted");
    assert_eq!(db.tracking_rows(), vec!["20250101000000 create_jobs"]);
    let r = db.migrate(&["status"]);
    assert!(r.stdout.ends_with("1 applied, 2 pending\n"), "{}", r.stdout);
    // A server error is reported by its message; the statements before it are undone too.
    db.migration(
        "20250102000000_half_done.mpl",
        "pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         Pool.execute(pool, \"CREATE TABLE half (id INT)\", [])?\n  \
         Pool.execute(pool, \"CREATE TABLE jobs (id INT)\", [])?\n  Ok(0)\nend\n\n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  Ok(0)\nend\n",
    );
    let r = db.migrate(&["up"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Applying 20250102000000_half_done\nerror: migration 20250102000000_half_done \
         failed: relation \"jobs\" already exists\n"
    );
    assert!(!exists(&db, "half") && !exists(&db, "later"));
    assert_eq!(db.tracking_rows(), vec!["20250101000000 create_jobs"]);
    // A migration that does not compile: the compiler's diagnostics, then the error line.
    db.migration(
        "20250102000000_half_done.mpl",
        "pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         Pool.execute(pool, 42, [])?\n  Ok(0)\nend\n\n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  Ok(0)\nend\n",
    );
    let r = db.migrate(&["up"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("migrations/20250102000000_half_done.mpl:2:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.ends_with(
            "error: migration 20250102000000_half_done failed: could not compile \
             '20250102000000_half_done' (1 errors, 0 warnings)\n"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(db.tracking_rows(), vec!["20250101000000 create_jobs"]);
}

#[test]
fn no_transaction_migrations_run_outside_a_transaction() {
    let db = TestDb::new("no_tx");
    db.migration("20250101000000_create_jobs.mpl", CREATE_JOBS);
    // CREATE INDEX CONCURRENTLY fails inside a transaction block.
    db.migration(
        "20250102000000_index_jobs.mpl",
        "# mesh:no-transaction\n\n\
         pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         Pool.execute(pool, \"CREATE INDEX CONCURRENTLY idx_jobs_id ON jobs (id)\", [])?\n  \
         Ok(0)\nend\n\n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  \
         Pool.execute(pool, \"DROP INDEX CONCURRENTLY idx_jobs_id\", [])?\n  Ok(0)\nend\n",
    );
    let r = db.migrate(&["up"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.ends_with("Applied 2 migration(s)\n"),
        "{}",
        r.stderr
    );
    assert!(exists(&db, "idx_jobs_id"));
    assert_eq!(
        db.tracking_rows(),
        vec!["20250101000000 create_jobs", "20250102000000 index_jobs"]
    );
    let r = db.migrate(&["down"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, "Rolled back 20250102000000_index_jobs\n")
    );
    assert!(!exists(&db, "idx_jobs_id"));
    assert_eq!(db.tracking_rows(), vec!["20250101000000 create_jobs"]);
    // Without a transaction a failure keeps what ran before it, but no tracking row.
    db.migration(
        "20250103000000_partial.mpl",
        "# mesh:no-transaction\n\
         pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         Pool.execute(pool, \"CREATE TABLE kept (id INT)\", [])?\n  Err(\"stopped\")\nend\n\n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  Ok(0)\nend\n",
    );
    std::fs::remove_file(db.dir.join("migrations/20250102000000_index_jobs.mpl")).expect("rm");
    let r = db.migrate(&["up"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "Applying 20250103000000_partial\n\
             error: migration 20250103000000_partial failed: stopped\n"
        )
    );
    assert!(exists(&db, "kept"));
    assert_eq!(db.tracking_rows(), vec!["20250101000000 create_jobs"]);
}

/// The shape of the reference backend's migration (tooling §7.4) and proof B1 (§7.12).
const REFERENCE_JOBS: &str = r#"# Jobs: the reference backend's queue (tooling spec §7.4).

pub fn up(pool :: PoolHandle) -> Int ! String do
  Pool.execute(pool, "CREATE EXTENSION IF NOT EXISTS pgcrypto", [])?
  Pool.execute(pool, "CREATE TABLE IF NOT EXISTS jobs (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'processed', 'failed')), attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, payload JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), processed_at TIMESTAMPTZ)", [])?
  Pool.execute(pool, "CREATE INDEX IF NOT EXISTS idx_jobs_pending_scan ON jobs (created_at, id) WHERE status = 'pending'", [])?
  Pool.execute(pool, "CREATE INDEX IF NOT EXISTS idx_jobs_processing_reclaim_scan ON jobs (updated_at, id) WHERE status = 'processing'", [])?
  Ok(0)
end

pub fn down(pool :: PoolHandle) -> Int ! String do
  Pool.execute(pool, "DROP TABLE IF EXISTS jobs", [])?
  Ok(0)
end
"#;

#[test]
fn reference_backend_migration_status_and_apply() {
    let db = TestDb::new("proof_b1");
    let project = db.dir.join("reference-backend");
    std::fs::create_dir_all(project.join("migrations")).expect("project dir");
    std::fs::write(
        project.join("migrations/20250315090000_create_jobs.mpl"),
        REFERENCE_JOBS,
    )
    .expect("write migration");
    let run = |args: &[&str]| migrate_with(&db.dir, Some(&db.url()), args);
    let all = |r: &Run| format!("{}{}", r.stdout, r.stderr);
    // 1. status is read-only.
    let r = run(&["reference-backend", "status"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        all(&r).contains("[ ] 20250315090000_create_jobs"),
        "{}",
        all(&r)
    );
    assert!(all(&r).contains("0 applied, 1 pending"));
    assert!(!db.has_tracking_table());
    // 2. up.
    let r = run(&["reference-backend", "up"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(all(&r).contains("Applying 20250315090000_create_jobs"));
    assert!(all(&r).contains("Applied 1 migration(s)"));
    // 3. status.
    let r = run(&["reference-backend", "status"]);
    assert!(
        all(&r).contains("[x] 20250315090000_create_jobs"),
        "{}",
        all(&r)
    );
    assert!(all(&r).contains("1 applied, 0 pending"));
    // 4. one tracking row; the table and both partial indexes.
    assert_eq!(
        db.column(
            "SELECT version::text || ' ' || name || ' ' || (applied_at IS NOT NULL)::text \
             FROM _mesh_migrations"
        ),
        vec!["20250315090000 create_jobs true"]
    );
    for relation in [
        "jobs",
        "idx_jobs_pending_scan",
        "idx_jobs_processing_reclaim_scan",
    ] {
        assert!(exists(&db, relation), "{relation}");
    }
    assert_eq!(
        db.column(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'jobs' \
             AND indexdef LIKE '%WHERE%status%'"
        ),
        vec!["2"]
    );
    // 5. up again.
    let r = run(&["reference-backend", "up"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(all(&r).contains("No pending migrations"));
    assert_eq!(db.tracking_rows(), vec!["20250315090000 create_jobs"]);
    // 6. down, then up restores.
    let r = run(&["reference-backend", "down"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(all(&r).contains("Rolled back 20250315090000_create_jobs"));
    assert!(!exists(&db, "jobs"));
    assert_eq!(db.tracking_rows(), Vec::<String>::new());
    let r = run(&["up", "reference-backend"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(exists(&db, "jobs") && exists(&db, "idx_jobs_pending_scan"));
    assert_eq!(db.tracking_rows(), vec!["20250315090000 create_jobs"]);
}

/// `meshc check` type-checks each migration as the program `meshc migrate` builds (§6.2).
#[test]
fn check_type_checks_migrations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/cli-tests/migrate/check");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("migrations")).expect("dir");
    std::fs::write(
        dir.join("main.mpl"),
        "fn main() do\n  println(\"hi\")\nend\n",
    )
    .expect("main");
    std::fs::write(
        dir.join("migrations/20250315090000_create_jobs.mpl"),
        REFERENCE_JOBS,
    )
    .expect("migration");
    let check = || {
        let out = Command::new(env!("CARGO_BIN_EXE_meshc"))
            .args(["check", "--no-color"])
            .arg(&dir)
            .output()
            .expect("meshc runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = check();
    assert_eq!((code, stderr.as_str()), (0, ""));
    // `down` returns the wrong type: reported in the migration file.
    std::fs::write(
        dir.join("migrations/20250401120000_bad.mpl"),
        "pub fn up(pool :: PoolHandle) -> Int ! String do\n  Ok(0)\nend\n\n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  Ok(\"zero\")\nend\n",
    )
    .expect("migration");
    let (code, stderr) = check();
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("migrations/20250401120000_bad.mpl:6:"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: could not compile '20250401120000_bad' (1 errors, 0 warnings)\n"),
        "{stderr}"
    );
    // A migration without `down` (checked by `meshc check` too).
    std::fs::write(
        dir.join("migrations/20250401120000_bad.mpl"),
        "pub fn up(pool :: PoolHandle) -> Int ! String do\n  Ok(0)\nend\n",
    )
    .expect("migration");
    let (code, stderr) = check();
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("missing `pub fn down(pool :: PoolHandle) -> Int ! String`"),
        "{stderr}"
    );
}

//! The PostgreSQL pool (stdlib spec §23), `Repo` (§26), the migration helpers (§27.1) and
//! the migration runner core (§27.2, tooling spec §6) against a real server.

#[path = "db/common.rs"]
mod common;

use common::{s, TestDb};
use mesh_rt::db::{get, migrate, migration, pg, repo, Expr, Pool, Query};
use std::time::{Duration, Instant};

fn backend_pid(conn: &pg::PgConn) -> String {
    let rows = pg::query(conn, "SELECT pg_backend_pid()::text AS p", &[]).expect("pid");
    get(&rows[0], "p").to_string()
}

#[test]
fn open_eagerly_clamp_and_report_connect_failures() {
    let db = TestDb::new("pool_open");
    let pool = Pool::open(&db.url(), 2, 4, 1000).expect("opens");
    assert_eq!(pool.counts(), (2, 2), "min connections are opened eagerly");
    let clamped = Pool::open(&db.url(), -3, 0, 0).expect("clamped");
    assert_eq!(clamped.counts(), (0, 0));
    let c = clamped.checkout().expect("max is at least 1");
    let t0 = Instant::now();
    let e = clamped.checkout().expect_err("only one");
    assert_eq!(e.to_string(), "pool checkout timeout");
    assert!(
        t0.elapsed() >= Duration::from_millis(100),
        "the timeout is at least 100 ms"
    );
    clamped.checkin(&c);
    let bad = Pool::open("postgres://u:topsecret@127.0.0.1:1/d", 1, 2, 100).expect_err("refused");
    let msg = bad.to_string();
    assert!(
        msg.starts_with("pool open: could not connect to server: "),
        "{msg}"
    );
    assert!(!msg.contains("topsecret"));
    let e = Pool::open("http://x", 1, 1, 100).expect_err("url");
    assert_eq!(
        e.to_string(),
        "pool open: URL must start with postgres:// or postgresql://"
    );
    let lazy = Pool::open("postgres://u@127.0.0.1:1/d", 0, 1, 100).expect("nothing to open");
    let e = lazy.checkout().expect_err("connect fails at checkout");
    assert!(
        e.to_string()
            .starts_with("pool connect: could not connect to server: "),
        "{e}"
    );
}

#[test]
fn exhaustion_times_out_then_recovers() {
    let db = TestDb::new("pool_exhaust");
    let pool = Pool::open(&db.url(), 1, 2, 300).expect("opens");
    let a = pool.checkout().expect("first");
    let b = pool.checkout().expect("second grows the pool");
    assert_eq!(pool.counts(), (0, 2));
    let t0 = Instant::now();
    let e = pool.query("SELECT 1", &[]).expect_err("exhausted");
    assert_eq!(e.to_string(), "pool checkout timeout");
    assert!(t0.elapsed() >= Duration::from_millis(300));
    // A waiter gets the connection another thread checks in before its deadline.
    let waiter = {
        let pool = pool.clone();
        std::thread::spawn(move || pool.query("SELECT 'got it' AS v", &[]))
    };
    while pool.waiters() == 0 {
        std::thread::yield_now();
    }
    pool.checkin(&a);
    let rows = waiter.join().expect("thread").expect("recovered");
    assert_eq!(get(&rows[0], "v"), "got it");
    pool.checkin(&b);
    assert_eq!(pool.counts(), (2, 2));
    let stranger = pg::connect(&db.url()).expect("plain connection");
    pool.checkin(&stranger);
    assert_eq!(
        pool.counts(),
        (2, 2),
        "a foreign connection is closed, not adopted"
    );
    assert!(pg::query(&stranger, "SELECT 1", &[]).is_err());
    let e = pg::query(&a, "SELECT 1", &[]).expect_err("checked-in handle");
    assert_eq!(e.to_string(), "connection closed");
}

#[test]
fn checkin_rolls_back_and_dead_connections_are_replaced() {
    let db = TestDb::new("pool_health");
    let pool = Pool::open(&db.url(), 1, 1, 2000).expect("opens");
    pool.execute("CREATE TABLE t (v TEXT)", &[]).expect("ddl");
    let c = pool.checkout().expect("checkout");
    pg::begin(&c).expect("begin");
    pg::execute(&c, "INSERT INTO t VALUES ('uncommitted')", &[]).expect("insert");
    pool.checkin(&c);
    let rows = pool
        .query("SELECT count(*) AS n FROM t", &[])
        .expect("count");
    assert_eq!(
        get(&rows[0], "n"),
        "0",
        "the open transaction was rolled back"
    );
    // Kill the idle connection's backend: the next checkout validates and replaces it.
    let c = pool.checkout().expect("checkout");
    let old = backend_pid(&c);
    pool.checkin(&c);
    let killer = db.connect();
    pg::execute(
        &killer,
        "SELECT pg_terminate_backend($1::int, 5000)",
        std::slice::from_ref(&old),
    )
    .expect("kill");
    let c = pool
        .checkout()
        .expect("a fresh connection replaces the dead one");
    assert_ne!(backend_pid(&c), old);
    pool.checkin(&c);
    assert_eq!(pool.counts(), (1, 1));
    // The same through a one-statement run, which checks the idle socket instead of a
    // round trip: the server closed the killed backend's socket, so it is replaced first and
    // the statement succeeds.
    let c = pool.checkout().expect("checkout");
    let old = backend_pid(&c);
    pool.checkin(&c);
    pg::execute(
        &killer,
        "SELECT pg_terminate_backend($1::int, 5000)",
        std::slice::from_ref(&old),
    )
    .expect("kill");
    let rows = pool
        .query("SELECT pg_backend_pid()::text AS pid", &[])
        .expect("a fresh connection runs the statement");
    assert_ne!(get(&rows[0], "pid"), old);
    assert_eq!(pool.counts(), (1, 1));
}

#[test]
fn close_fails_later_checkouts_and_closes_checked_out_connections() {
    let db = TestDb::new("pool_close");
    let pool = Pool::open(&db.url(), 2, 3, 500).expect("opens");
    let held = pool.checkout().expect("checkout");
    pool.close();
    assert_eq!(pool.counts(), (0, 1));
    let e = pool.execute("SELECT 1", &[]).expect_err("closed");
    assert_eq!(e.to_string(), "pool is closed");
    pg::query(&held, "SELECT 1", &[]).expect("a checked-out connection still works");
    pool.checkin(&held);
    assert_eq!(pool.counts(), (0, 0));
}

#[test]
fn many_threads_share_a_small_pool() {
    let db = TestDb::new("pool_many");
    let pool = Pool::open(&db.url(), 1, 3, 10_000).expect("opens");
    let workers: Vec<_> = (0..24)
        .map(|i| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                let rows = pool
                    .query("SELECT $1::int * 2 AS v, pg_sleep(0.02)", &[i.to_string()])
                    .expect("query");
                get(&rows[0], "v").parse::<i64>().expect("int")
            })
        })
        .collect();
    let sum: i64 = workers.into_iter().map(|w| w.join().expect("thread")).sum();
    assert_eq!(sum, (0..24).map(|i| i * 2).sum::<i64>());
    assert!(pool.counts().1 <= 3, "never more than max connections");
}

#[test]
fn repo_round_trip_with_injection_attempts() {
    let db = TestDb::new("repo");
    let pool = Pool::open(&db.url(), 1, 2, 2000).expect("opens");
    migration::create_table(
        &pool,
        "notes",
        &s(&[
            "id:BIGSERIAL:PRIMARY KEY",
            "title:TEXT:NOT NULL UNIQUE",
            "body:TEXT",
            "n:INT",
        ]),
    )
    .expect("create");
    let evil = "x'); DROP TABLE notes; --";
    let f = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let row = repo::insert(&pool, "notes", &f(&[("title", evil), ("body", "")])).expect("insert");
    assert_eq!(get(&row, "title"), evil);
    assert_eq!(
        get(&row, "body"),
        "",
        "an empty string stays an empty string"
    );
    let id = get(&row, "id").to_string();
    let by_id = repo::get(&pool, "notes", &id).expect("get");
    assert_eq!(get(&by_id, "title"), evil);
    let q = Query::from("notes").where_("title", evil);
    assert_eq!(repo::count(&pool, &q).expect("count"), 1);
    assert!(repo::exists(&pool, &q).expect("exists"));
    let sneaky = Query::from("notes").where_("title", "' OR '1'='1");
    assert_eq!(repo::all(&pool, &sneaky).expect("all").len(), 0);
    assert!(!repo::exists(&pool, &sneaky).expect("exists"));
    let raw = Query::from("notes").where_raw("title = ? OR id = $2::bigint", &s(&[evil, "0"]));
    assert_eq!(repo::all(&pool, &raw).expect("raw").len(), 1);
    let bad_ident = repo::all(&pool, &Query::from("notes\"; DROP TABLE notes; --"))
        .expect_err("quoted identifier");
    assert!(bad_ident.starts_with("42P01\t"), "{bad_ident}");
    assert_eq!(repo::one(&pool, &sneaky).expect_err("none"), "not found");
    let upd = repo::update(&pool, "notes", &id, &f(&[("body", "b1")])).expect("update");
    assert_eq!(get(&upd, "body"), "b1");
    assert_eq!(
        repo::update(&pool, "notes", "999", &f(&[("body", "x")])).expect_err("missing"),
        "update: no row returned (id not found)"
    );
    let bump = repo::update_where_expr(
        &pool,
        "notes",
        &[(
            "n".to_string(),
            Expr::add(
                Expr::call("coalesce", vec![Expr::column("n"), Expr::value("0")]),
                Expr::cast(Expr::value("5"), "int"),
            ),
        )],
        &q,
    )
    .expect("update_where_expr");
    assert_eq!(get(&bump, "n"), "5");
    assert_eq!(
        repo::update_where(&pool, "notes", &f(&[("body", "z")]), &sneaky).expect_err("none"),
        "update_where: no rows matched"
    );
    let up = repo::insert_or_update(
        &pool,
        "notes",
        &f(&[("title", evil), ("body", "upserted")]),
        &s(&["title"]),
        &s(&["body"]),
    )
    .expect("upsert");
    assert_eq!(
        (get(&up, "id"), get(&up, "body")),
        (id.as_str(), "upserted")
    );
    let dup = repo::insert(&pool, "notes", &f(&[("title", evil)])).expect_err("unique");
    assert_eq!(
        dup,
        "23505\tnotes_title_key\tnotes\t\tduplicate key value violates unique constraint \"notes_title_key\""
    );
    repo::insert(&pool, "notes", &f(&[("title", "second")])).expect("second");
    let gone = repo::delete_where_returning(
        &pool,
        "notes",
        &Query::from("notes").where_("title", "second"),
    )
    .expect("delete returning");
    assert_eq!(gone.len(), 1);
    assert_eq!(
        repo::delete_where(&pool, "notes", &sneaky).expect("zero"),
        0
    );
    let t: Result<i64, String> = repo::transaction(&pool, |c| {
        pg::execute(c, "DELETE FROM notes", &[]).map_err(String::from)?;
        Err("undo".into())
    });
    assert_eq!(t, Err("undo".to_string()));
    assert_eq!(repo::count(&pool, &Query::from("notes")).expect("count"), 1);
    let deleted = repo::delete(&pool, "notes", &id).expect("delete");
    assert_eq!(get(&deleted, "title"), evil);
    assert_eq!(repo::count(&pool, &Query::from("notes")).expect("count"), 0);
    assert_eq!(
        pool.counts().1,
        1,
        "every Repo call checked its connection back in"
    );
}

#[test]
fn migration_helpers_run_on_the_server() {
    let db = TestDb::new("ddl");
    let pool = Pool::open(&db.url(), 1, 2, 2000).expect("opens");
    let cols = s(&[
        "id:BIGSERIAL:PRIMARY KEY",
        "email:TEXT:NOT NULL",
        "at:TIMESTAMPTZ",
    ]);
    assert_eq!(migration::create_table(&pool, "users", &cols), Ok(0));
    assert_eq!(
        migration::create_table(&pool, "users", &cols),
        Ok(0),
        "idempotent"
    );
    migration::add_column(&pool, "users", "age:INT:NOT NULL DEFAULT 0").expect("add");
    migration::rename_column(&pool, "users", "age", "years").expect("rename");
    migration::drop_column(&pool, "users", "years").expect("drop column");
    migration::create_index(&pool, "users", &s(&["email"]), "unique:true").expect("index");
    migration::create_index(&pool, "users", &s(&["at:DESC"]), "where:at IS NOT NULL")
        .expect("partial");
    let idx = pool
        .query(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'users' ORDER BY 1",
            &[],
        )
        .expect("indexes");
    let names: Vec<&str> = idx.iter().map(|r| get(r, "indexname")).collect();
    assert_eq!(names, ["idx_users_at", "idx_users_email", "users_pkey"]);
    migration::drop_index(&pool, "users", &s(&["email"])).expect("drop index");
    migration::create_extension(&pool, "pgcrypto").expect("extension");
    migration::create_range_partitioned_table(
        &pool,
        "events",
        &s(&["id:BIGINT", "day:DATE:NOT NULL", "PRIMARY KEY (id, day)"]),
        "day",
    )
    .expect("partitioned");
    assert_eq!(
        migration::create_daily_partitions_ahead(&pool, "events", 3),
        Ok(0)
    );
    assert_eq!(
        migration::create_daily_partitions_ahead(&pool, "events", 3),
        Ok(0)
    );
    let parts = pool
        .query(
            "SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'events'::regclass",
            &[],
        )
        .expect("partitions");
    assert_eq!(get(&parts[0], "n"), "3");
    pool.execute("CREATE TABLE events_20000101 PARTITION OF events FOR VALUES FROM ('2000-01-01') TO ('2000-01-02')", &[])
        .expect("old partition");
    let old = migration::list_daily_partitions_before(&pool, "events", 30).expect("list");
    assert_eq!(old, s(&["events_20000101"]));
    migration::drop_partition(&pool, "events_20000101").expect("drop");
    assert!(migration::list_daily_partitions_before(&pool, "events", 30)
        .expect("list")
        .is_empty());
    migration::drop_table(&pool, "users").expect("drop");
}

#[test]
fn the_runner_applies_each_migration_with_its_row_in_one_transaction() {
    let db = TestDb::new("migrate");
    let pool = Pool::open(&db.url(), 1, 2, 5000).expect("opens");
    assert_eq!(migrate::applied(&pool), Ok(vec![]), "status never writes");
    let has_table = |name: &str| {
        let r = pool
            .query("SELECT to_regclass($1) IS NOT NULL AS t", &s(&[name]))
            .expect("regclass");
        get(&r[0], "t") == "t"
    };
    assert!(!has_table("_mesh_migrations"));
    migrate::run_up(&pool, 1, "create_notes", false, |p| {
        migration::create_table(p, "notes", &s(&["id:BIGSERIAL:PRIMARY KEY"]))?;
        Ok(())
    })
    .expect("up");
    // A failing migration leaves neither its changes nor its row.
    let e = migrate::run_up(&pool, 2, "broken", false, |p| {
        migration::create_table(p, "half", &s(&["id:INT"]))?;
        p.execute("SELECT * FROM nope", &[])?;
        Ok(())
    })
    .expect_err("fails");
    assert!(e.starts_with("42P01\t"), "{e}");
    assert!(
        !has_table("half"),
        "the failed migration's DDL was rolled back"
    );
    assert_eq!(
        migrate::applied(&pool),
        Ok(vec![(1, "create_notes".to_string())])
    );
    // `# mesh:no-transaction` runs outside (CREATE INDEX CONCURRENTLY needs that).
    migrate::run_up(&pool, 3, "concurrent_index", true, |p| {
        p.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_id ON notes (id)",
            &[],
        )?;
        Ok(())
    })
    .expect("no-transaction up");
    assert_eq!(migrate::applied(&pool).expect("applied").len(), 2);
    migrate::run_down(&pool, 1, false, |p| {
        migration::drop_table(p, "notes")?;
        Ok(())
    })
    .expect("down");
    assert!(!has_table("notes"));
    assert_eq!(
        migrate::applied(&pool),
        Ok(vec![(3, "concurrent_index".to_string())])
    );
    assert_eq!(
        pool.counts().1,
        1,
        "the pinned connection went back to the pool"
    );
}

#[test]
fn migration_files_status_and_generate() {
    let dir = std::env::temp_dir().join(format!("mesh-migrate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(migrate::discover(&dir), Ok(vec![]));
    assert_eq!(
        migrate::status_text("proj", &[], &[]),
        "No migrations found in proj/migrations\n"
    );
    let t = time::Date::from_calendar_date(2025, time::Month::March, 15)
        .and_then(|d| d.with_hms(9, 0, 0))
        .expect("date")
        .assume_utc();
    assert_eq!(
        migrate::generate(&dir, "create_jobs", t),
        Ok("migrations/20250315090000_create_jobs.mpl".to_string())
    );
    assert_eq!(
        migrate::generate(&dir, "create_jobs", t),
        Ok("migrations/20250315090001_create_jobs.mpl".to_string()),
        "an existing name bumps the timestamp"
    );
    assert_eq!(
        migrate::generate(&dir, "Bad-Name", t),
        Err("migration name must use lowercase letters, digits and '_'".to_string())
    );
    assert_eq!(
        migrate::generate(&dir, "", t),
        Err("migration name must not be empty".to_string())
    );
    std::fs::write(
        dir.join("migrations/20250401120000_add_job_priority.mpl"),
        format!(
            "{}\npub fn up(pool :: PoolHandle) -> Int ! String do Ok(0) end\n",
            migrate::NO_TRANSACTION
        ),
    )
    .expect("write");
    std::fs::write(dir.join("migrations/README.txt"), "ignored").expect("write");
    let files = migrate::discover(&dir).expect("discover");
    let ids: Vec<String> = files.iter().map(|f| f.id()).collect();
    assert_eq!(
        ids,
        [
            "20250315090000_create_jobs",
            "20250315090001_create_jobs",
            "20250401120000_add_job_priority"
        ]
    );
    assert_eq!(
        files.iter().map(|f| f.no_transaction).collect::<Vec<_>>(),
        [false, false, true]
    );
    let applied = vec![
        (20250315090000, "create_jobs".to_string()),
        (7, "gone".to_string()),
    ];
    assert_eq!(
        migrate::status_text("proj", &files, &applied),
        "Migrations in proj/migrations:\n  [x] 7_gone (file missing)\n  [x] 20250315090000_create_jobs\n  \
         [ ] 20250315090001_create_jobs\n  [ ] 20250401120000_add_job_priority\n2 applied, 2 pending\n"
    );
    std::fs::write(dir.join("migrations/1_X.mpl"), "").expect("write");
    assert_eq!(
        migrate::discover(&dir),
        Err("migrations/1_X.mpl: expected <VERSION>_<name>.mpl".to_string())
    );
    std::fs::remove_file(dir.join("migrations/1_X.mpl")).expect("rm");
    std::fs::write(dir.join("migrations/020250401120000_again.mpl"), "").expect("write");
    assert_eq!(
        migrate::discover(&dir),
        Err("duplicate migration version 20250401120000".to_string())
    );
    assert_eq!(
        migrate::database_url(None),
        Err("DATABASE_URL must be set for meshc migrate".to_string())
    );
    assert_eq!(
        migrate::database_url(Some("mysql://x".into())),
        Err("DATABASE_URL must be a postgres:// or postgresql:// URL".to_string())
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

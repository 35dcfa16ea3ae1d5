//! Shared helpers of the PostgreSQL tests: the server comes from MESH_TEST_DATABASE_URL
//! (scripts/test.sh and scripts/pg.sh start one); each test creates and drops its own
//! database. Without a reachable server the tests fail, never skip. Included with `#[path]`
//! by the runtime's db tests and by `meshc/cli/tests/migrate.rs`.

// Several test binaries include this file; each uses only part of it.
#![allow(dead_code)]

use mesh_rt::db::pg::{self, PgConn, Url};

/// The server's URL (never printed: it may hold a password).
pub fn base_url() -> String {
    match std::env::var("MESH_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => panic!(
            "MESH_TEST_DATABASE_URL is not set: run `bash scripts/test.sh`, or \
             `bash scripts/pg.sh run cargo nextest run -p mesh_rt` for a throwaway server"
        ),
    }
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

/// A URL for `user` (with `password`) on the test server's host and port, database `db`.
pub fn url_for(user: &str, password: Option<&str>, db: &str, query: &str) -> String {
    let base =
        Url::parse(&base_url()).unwrap_or_else(|e| panic!("bad MESH_TEST_DATABASE_URL: {e}"));
    let auth = match password {
        Some(p) => format!("{}:{}", enc(user), enc(p)),
        None => enc(user),
    };
    let host = if base.host.contains(':') {
        format!("[{}]", base.host)
    } else {
        base.host.clone()
    };
    format!("postgres://{auth}@{host}:{}/{}{query}", base.port, enc(db))
}

/// A connection as the server's own (admin) user.
pub fn admin() -> PgConn {
    pg::connect(&base_url()).unwrap_or_else(|e| panic!("cannot reach the test server: {e}"))
}

/// A database of this test, dropped at the end.
pub struct TestDb {
    pub name: String,
}

impl TestDb {
    pub fn new(tag: &str) -> TestDb {
        let name = format!("mesh_t_{tag}_{}", std::process::id());
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
        TestDb { name }
    }

    /// The URL of this database as the admin user (plus `query`, e.g. `?sslmode=disable`).
    pub fn url(&self) -> String {
        let base = Url::parse(&base_url()).unwrap_or_else(|e| panic!("bad URL: {e}"));
        url_for(&base.user, base.password.as_deref(), &self.name, "")
    }

    pub fn connect(&self) -> PgConn {
        pg::connect(&self.url()).unwrap_or_else(|e| panic!("connect: {e}"))
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

pub fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

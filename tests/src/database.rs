//! Databases of `# test: database=postgres` cases. The server is the one named by
//! `MESH_TEST_DATABASE_URL` (`scripts/test.sh` and `bash scripts/pg.sh run …` start a
//! throwaway one); without it such a case fails, never skips. Each case gets a fresh database
//! `e2e_<case name>` (created before the program runs, dropped after), reached as the server's
//! admin user, whose URL the program receives as `DATABASE_URL`. URLs are never printed.

use mesh_rt::db::pg::{self, Url};

/// A case's database, dropped with this value.
pub struct CaseDb {
    name: String,
    url: String,
    base: String,
}

fn base_url() -> Result<String, String> {
    match std::env::var("MESH_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Ok(u),
        _ => Err(
            "this case needs PostgreSQL but MESH_TEST_DATABASE_URL is not set: run \
                  `bash scripts/pg.sh run cargo nextest run -p mesh_tests --test e2e`"
                .to_string(),
        ),
    }
}

/// Percent-encodes a URL component.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b.is_ascii_alphanumeric() || b"_-.".contains(&b) {
            true => (b as char).to_string(),
            false => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs one admin statement on the server's default database.
fn admin(base: &str, sql: &str) -> Result<(), String> {
    let conn = pg::connect(base).map_err(|e| format!("cannot reach the test server: {e}"))?;
    let r = pg::execute(&conn, sql, &[]).map(|_| ());
    pg::close(&conn);
    r.map_err(|e| format!("test database setup: {e}"))
}

impl CaseDb {
    /// Creates (after dropping any leftover) the database of case `case`.
    pub fn create(case: &str) -> Result<CaseDb, String> {
        let base = base_url()?;
        let parsed = Url::parse(&base).map_err(|e| format!("bad MESH_TEST_DATABASE_URL: {e}"))?;
        let name: String = format!("e2e_{case}")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        admin(
            &base,
            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        )?;
        admin(&base, &format!("CREATE DATABASE \"{name}\""))?;
        let auth = match &parsed.password {
            Some(p) => format!("{}:{}", enc(&parsed.user), enc(p)),
            None => enc(&parsed.user),
        };
        let host = match parsed.host.contains(':') {
            true => format!("[{}]", parsed.host),
            false => parsed.host.clone(),
        };
        let url = format!("postgres://{auth}@{host}:{}/{name}", parsed.port);
        Ok(CaseDb { name, url, base })
    }

    /// The URL the program gets as `DATABASE_URL`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for CaseDb {
    fn drop(&mut self) {
        let _ = admin(
            &self.base,
            &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
        );
    }
}

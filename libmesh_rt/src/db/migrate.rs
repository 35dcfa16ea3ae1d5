//! The core of `meshc migrate` (tooling spec §6, stdlib spec §27.2): migration files, the
//! `_mesh_migrations` tracking table, and running one migration's `up`/`down` together with
//! its tracking row in one transaction (unless the file opts out with
//! `# mesh:no-transaction` on its first line). The CLI compiles each migration as a program
//! whose generated entry calls [`run_up`]/[`run_down`] with the file's `up`/`down`.

use super::pg::{self, PgConn};
use super::Pool;
use std::path::{Path, PathBuf};

/// The tracking table (tooling spec §6.3).
pub const TRACKING_TABLE: &str = "CREATE TABLE IF NOT EXISTS _mesh_migrations (\n  \
     version    BIGINT PRIMARY KEY,\n  name       TEXT NOT NULL,\n  \
     applied_at TIMESTAMPTZ NOT NULL DEFAULT now()\n)";

/// The first line that makes a migration run outside a transaction.
pub const NO_TRANSACTION: &str = "# mesh:no-transaction";

/// One migration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationFile {
    pub version: i64,
    pub name: String,
    pub path: PathBuf,
    pub no_transaction: bool,
}

impl MigrationFile {
    /// `<version>_<name>`.
    pub fn id(&self) -> String {
        format!("{}_{}", self.version, self.name)
    }
}

/// `DATABASE_URL` checked as §6.1 says (the value never appears in the error).
pub fn database_url(value: Option<String>) -> Result<String, String> {
    let url = value
        .filter(|v| !v.is_empty())
        .ok_or("DATABASE_URL must be set for meshc migrate")?;
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(url)
    } else {
        Err("DATABASE_URL must be a postgres:// or postgresql:// URL".into())
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `<VERSION>_<name>.mpl` → (version, name).
fn parse_file_name(file: &str) -> Option<(i64, String)> {
    let stem = file.strip_suffix(".mpl")?;
    let (v, name) = stem.split_once('_')?;
    if v.is_empty() || v.len() > 18 || !v.bytes().all(|b| b.is_ascii_digit()) || !valid_name(name) {
        return None;
    }
    Some((v.parse().ok()?, name.to_string()))
}

/// The migrations in `dir/migrations`, in version order (empty when the directory is
/// missing). Errors are §6.2's.
pub fn discover(dir: &Path) -> Result<Vec<MigrationFile>, String> {
    let mdir = dir.join("migrations");
    let Ok(entries) = std::fs::read_dir(&mdir) else {
        return Ok(Vec::new());
    };
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if !file.ends_with(".mpl") {
            continue;
        }
        let (version, name) = parse_file_name(&file)
            .ok_or_else(|| format!("migrations/{file}: expected <VERSION>_<name>.mpl"))?;
        let path = entry.path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let no_transaction = text.lines().next().map(str::trim_end) == Some(NO_TRANSACTION);
        files.push(MigrationFile {
            version,
            name,
            path,
            no_transaction,
        });
    }
    files.sort_by_key(|f| f.version);
    if let Some(w) = files.windows(2).find(|w| w[0].version == w[1].version) {
        return Err(format!("duplicate migration version {}", w[0].version));
    }
    Ok(files)
}

/// Applied `(version, name)` pairs in version order. Read-only: a missing table means
/// nothing is applied.
pub fn applied(pool: &Pool) -> Result<Vec<(i64, String)>, String> {
    let exists = pool.query(
        "SELECT to_regclass('_mesh_migrations') IS NOT NULL AS t",
        &[],
    )?;
    if exists.first().map(|r| super::get(r, "t")) != Some("t") {
        return Ok(Vec::new());
    }
    let rows = pool.query(
        "SELECT version::text AS version, name FROM _mesh_migrations ORDER BY version",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| {
            let v = super::get(r, "version").parse().unwrap_or(0);
            (v, super::get(r, "name").to_string())
        })
        .collect())
}

/// Creates the tracking table when missing (`up` and `down`).
pub fn ensure_table(pool: &Pool) -> Result<(), String> {
    pool.execute(TRACKING_TABLE, &[])
        .map(|_| ())
        .map_err(String::from)
}

/// The files not yet applied, in order.
pub fn pending<'a>(
    files: &'a [MigrationFile],
    applied: &[(i64, String)],
) -> Vec<&'a MigrationFile> {
    files
        .iter()
        .filter(|f| !applied.iter().any(|(v, _)| *v == f.version))
        .collect()
}

/// The `status` report (§6.4) for `dir_label` (as the user wrote the directory).
pub fn status_text(dir_label: &str, files: &[MigrationFile], applied: &[(i64, String)]) -> String {
    let mdir = format!("{}/migrations", dir_label.trim_end_matches('/'));
    if files.is_empty() && applied.is_empty() {
        return format!("No migrations found in {mdir}\n");
    }
    let mut lines: Vec<(i64, String)> = files
        .iter()
        .map(|f| {
            let mark = if applied.iter().any(|(v, _)| *v == f.version) {
                "x"
            } else {
                " "
            };
            (f.version, format!("  [{mark}] {}", f.id()))
        })
        .collect();
    for (v, name) in applied {
        if !files.iter().any(|f| f.version == *v) {
            lines.push((*v, format!("  [x] {v}_{name} (file missing)")));
        }
    }
    lines.sort_by_key(|(v, _)| *v);
    let done = applied.len();
    let waiting = pending(files, applied).len();
    let mut out = format!("Migrations in {mdir}:\n");
    for (_, l) in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str(&format!("{done} applied, {waiting} pending\n"));
    out
}

/// Runs `body` on one connection of `pool` inside a transaction (pinned, so the body's own
/// pool calls join it), then `finish` on that connection; commits both or neither.
fn in_transaction(
    pool: &Pool,
    body: impl FnOnce(&Pool) -> Result<(), String>,
    finish: impl FnOnce(&PgConn) -> Result<(), String>,
) -> Result<(), String> {
    let conn = pool.checkout()?;
    if let Err(e) = pg::begin(&conn) {
        pool.checkin(&conn);
        return Err(e.into());
    }
    pool.pin(&conn);
    let r = body(pool).and_then(|()| finish(&conn));
    pool.unpin();
    let r = match r {
        Ok(()) => pg::commit(&conn).map_err(String::from),
        Err(e) => {
            let _ = pg::rollback(&conn);
            Err(e)
        }
    };
    pool.checkin(&conn);
    r
}

/// Applies one migration: its `up` and its tracking row in one transaction, or (for
/// `# mesh:no-transaction` files) `up` first and the row after it succeeded.
pub fn run_up(
    pool: &Pool,
    version: i64,
    name: &str,
    no_transaction: bool,
    up: impl FnOnce(&Pool) -> Result<(), String>,
) -> Result<(), String> {
    ensure_table(pool)?;
    let insert = "INSERT INTO _mesh_migrations (version, name) VALUES ($1::bigint, $2)";
    let params = [version.to_string(), name.to_string()];
    if no_transaction {
        up(pool)?;
        return pool
            .execute(insert, &params)
            .map(|_| ())
            .map_err(String::from);
    }
    in_transaction(pool, up, |conn| {
        pg::execute(conn, insert, &params)
            .map(|_| ())
            .map_err(String::from)
    })
}

/// Reverts one migration: its `down` and the deletion of its tracking row in one
/// transaction (or one after the other for `# mesh:no-transaction` files).
pub fn run_down(
    pool: &Pool,
    version: i64,
    no_transaction: bool,
    down: impl FnOnce(&Pool) -> Result<(), String>,
) -> Result<(), String> {
    ensure_table(pool)?;
    let delete = "DELETE FROM _mesh_migrations WHERE version = $1::bigint";
    let params = [version.to_string()];
    if no_transaction {
        down(pool)?;
        return pool
            .execute(delete, &params)
            .map(|_| ())
            .map_err(String::from);
    }
    in_transaction(pool, down, |conn| {
        pg::execute(conn, delete, &params)
            .map(|_| ())
            .map_err(String::from)
    })
}

/// The contents `generate` writes for migration `name`.
pub fn template(name: &str) -> String {
    format!(
        "# Migration: {name}\n\
         \n\
         pub fn up(pool :: PoolHandle) -> Int ! String do\n  \
         # Migration.create_table(pool, \"items\", [\"id:BIGSERIAL:PRIMARY KEY\", \"name:TEXT:NOT NULL\"])?\n  \
         # Migration.create_index(pool, \"items\", [\"name\"], \"unique:true\")?\n  \
         Ok(0)\n\
         end\n\
         \n\
         pub fn down(pool :: PoolHandle) -> Int ! String do\n  \
         # Migration.drop_table(pool, \"items\")?\n  \
         Ok(0)\n\
         end\n"
    )
}

/// `generate NAME`: writes `dir/migrations/<stamp>_<name>.mpl` (`stamp` = the UTC time as
/// `YYYYMMDDHHMMSS`, bumped by one second while the file exists); returns the path
/// relative to `dir` (`migrations/<file>`).
pub fn generate(dir: &Path, name: &str, stamp: time::OffsetDateTime) -> Result<String, String> {
    if name.is_empty() {
        return Err("migration name must not be empty".into());
    }
    if !valid_name(name) {
        return Err("migration name must use lowercase letters, digits and '_'".into());
    }
    let mdir = dir.join("migrations");
    std::fs::create_dir_all(&mdir).map_err(|e| format!("cannot create {}: {e}", mdir.display()))?;
    let mut t = stamp.to_offset(time::UtcOffset::UTC);
    loop {
        let file = format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}_{name}.mpl",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        let path = mdir.join(&file);
        if !path.exists() {
            std::fs::write(&path, template(name))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            return Ok(format!("migrations/{file}"));
        }
        t += time::Duration::seconds(1);
    }
}

//! `meshc migrate` (tooling spec §1.7, §6; stdlib spec §27.2): the command forms, `status`,
//! `up`, `down` and `generate` over the runtime's migration core (`mesh_rt::db::migrate`).
//!
//! *Decision: the runtime's database calls run on the CLI thread.* Outside a Mesh process
//! the PostgreSQL client's socket waits block the calling thread and pool waits park it, so
//! the CLI calls `Pool`/`migrate` directly, with no scheduler. One pool of exactly one connection carries the whole command: the
//! session-level advisory lock (held until the connection closes), the tracking table and
//! the reads of `status`.
//!
//! *Running a migration's code* (§6.2): each pending file is compiled as its own program with
//! a generated entry (`mesh_driver::migration`) that opens a pool of one connection on
//! `DATABASE_URL` and runs `up`/`down` with the tracking row in one transaction
//! (`migrate::run_up`/`run_down` in the runtime); [`execute`] builds and runs it while this
//! process holds the advisory lock on its own connection.

use crate::driver::{migration_session, BuildOptions, CliError};
use mesh_driver::MigrationRun;
use mesh_rt::db::migrate::{self, MigrationFile};
use mesh_rt::db::Pool;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `pg_advisory_lock` key of `meshc migrate` ("meshmigr" in ASCII).
const LOCK_KEY: i64 = 0x6d65_7368_6d69_6772;

#[derive(Debug, PartialEq, Eq)]
enum Action {
    Up,
    Down,
    Status,
    Generate(String),
}

#[derive(Debug, PartialEq, Eq)]
struct Request {
    /// The project directory as the user wrote it (`.` by default), for messages.
    dir: String,
    action: Action,
}

const USAGE: &str = "usage: meshc migrate [DIR] [up|down|status|generate NAME]\n       \
                     meshc migrate [up|down|status|generate NAME] [DIR]";

fn is_action(word: &str) -> bool {
    matches!(word, "up" | "down" | "status" | "generate")
}

/// §6.1: `[DIR] [ACTION]` or `ACTION [DIR]`; a directory named like an action is `./up`.
fn parse_args(args: &[String]) -> Result<Request, String> {
    let mut rest = args.iter().map(String::as_str);
    let first = rest.next();
    let (dir, word) = match first {
        None => (None, None),
        Some(w) if is_action(w) => (None, Some(w)),
        Some(d) => (Some(d), rest.next()),
    };
    let action = match word {
        None | Some("up") => Action::Up,
        Some("down") => Action::Down,
        Some("status") => Action::Status,
        Some("generate") => match rest.next() {
            Some(name) => Action::Generate(name.to_string()),
            None => return Err("missing migration name: meshc migrate generate NAME".into()),
        },
        Some(other) => return Err(format!("unknown migrate action '{other}'")),
    };
    let dir = match dir {
        Some(d) => d.to_string(),
        None => rest.next().unwrap_or(".").to_string(),
    };
    if let Some(extra) = rest.next() {
        return Err(format!("unexpected argument '{extra}'"));
    }
    Ok(Request { dir, action })
}

/// `meshc migrate ARGS…`.
pub fn run(args: &[String]) -> Result<ExitCode, CliError> {
    let request = match parse_args(args) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return Ok(ExitCode::from(2));
        }
    };
    let dir = PathBuf::from(&request.dir);
    if let Action::Generate(name) = &request.action {
        let now = time::OffsetDateTime::now_utc();
        let created = migrate::generate(&dir, name, now).map_err(CliError::new)?;
        eprintln!("Created {created}");
        return Ok(ExitCode::SUCCESS);
    }
    let url = migrate::database_url(std::env::var("DATABASE_URL").ok()).map_err(CliError::new)?;
    let files = migrate::discover(&dir).map_err(CliError::new)?;
    let pool = connect(&url)?;
    let result = match request.action {
        Action::Status => status(&pool, &request.dir, &files),
        Action::Up => lock(&pool).and_then(|()| up(&pool, &dir, &url, &files)),
        Action::Down => lock(&pool).and_then(|()| down(&pool, &dir, &url, &files)),
        Action::Generate(_) => Ok(()),
    };
    pool.close();
    result.map(|()| ExitCode::SUCCESS)
}

/// The reason of a connection failure: the server's message or the client's sentence,
/// never the URL (the runtime's errors do not contain it).
fn reason(error: &str) -> String {
    let error = error.strip_prefix("pool open: ").unwrap_or(error);
    // A server error is `SQLSTATE\tconstraint\ttable\tcolumn\tmessage`.
    error.rsplit('\t').next().unwrap_or(error).to_string()
}

fn connect(url: &str) -> Result<Pool, CliError> {
    Pool::open(url, 1, 1, 5000).map_err(|e| {
        CliError::new(format!(
            "could not connect to the database: {}",
            reason(&e.to_string())
        ))
    })
}

/// A database error after connecting, as its message.
fn db_error(e: impl Into<String>) -> CliError {
    CliError::new(reason(&e.into()))
}

/// Waits for the session-level advisory lock, so two runs on one database take turns.
fn lock(pool: &Pool) -> Result<(), CliError> {
    pool.query(
        "SELECT pg_advisory_lock($1::bigint)",
        &[LOCK_KEY.to_string()],
    )
    .map(|_| ())
    .map_err(db_error)
}

/// `status`: read-only (a missing tracking table means nothing is applied).
fn status(pool: &Pool, dir: &str, files: &[MigrationFile]) -> Result<(), CliError> {
    let applied = migrate::applied(pool).map_err(db_error)?;
    print!("{}", migrate::status_text(dir, files, &applied));
    Ok(())
}

fn up(pool: &Pool, dir: &Path, url: &str, files: &[MigrationFile]) -> Result<(), CliError> {
    migrate::ensure_table(pool).map_err(db_error)?;
    let applied = migrate::applied(pool).map_err(db_error)?;
    let pending = migrate::pending(files, &applied);
    if pending.is_empty() {
        eprintln!("No pending migrations");
        return Ok(());
    }
    for file in &pending {
        eprintln!("Applying {}", file.id());
        execute(dir, url, file, MigrationRun::Up)
            .map_err(|e| CliError::new(format!("migration {} failed: {e}", file.id())))?;
        eprintln!("Applied {}", file.id());
    }
    eprintln!("Applied {} migration(s)", pending.len());
    Ok(())
}

fn down(pool: &Pool, dir: &Path, url: &str, files: &[MigrationFile]) -> Result<(), CliError> {
    migrate::ensure_table(pool).map_err(db_error)?;
    let applied = migrate::applied(pool).map_err(db_error)?;
    let Some((version, name)) = applied.last() else {
        eprintln!("No applied migrations to roll back");
        return Ok(());
    };
    let Some(file) = files.iter().find(|f| f.version == *version) else {
        return Err(CliError::new(format!(
            "cannot roll back {version}: migrations/{version}_*.mpl not found"
        )));
    };
    execute(dir, url, file, MigrationRun::Down)
        .map_err(|e| CliError::new(format!("migration {version}_{name} failed: {e}")))?;
    eprintln!("Rolled back {version}_{name}");
    Ok(())
}

/// Runs one migration's `up` or `down` with its tracking row: the file compiled with its
/// generated entry (`mesh_driver::migration`) into `DIR/.mesh/migrate/`, then run with
/// `DATABASE_URL` in its environment. The program prints an `Err` message to stderr and exits
/// non-zero; that text (a server error reduced to its message) is the failure's reason.
fn execute(dir: &Path, url: &str, file: &MigrationFile, run: MigrationRun) -> Result<(), String> {
    check_file(&file.path)?;
    let exe = build(dir, file, run)?;
    // The program runs in the project directory, so its path must not be relative to ours.
    let exe = std::path::absolute(&exe).unwrap_or(exe);
    let out = std::process::Command::new(&exe)
        .current_dir(dir)
        .env("DATABASE_URL", url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run '{}': {e}", exe.display()))?;
    if out.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let message: Vec<String> = text.trim_end().lines().map(reason).collect();
    if message.is_empty() {
        return Err(format!("the migration program ended with {}", out.status));
    }
    Err(message.join("\n"))
}

/// Compiles `file` with its generated entry; returns the executable. Diagnostics go to stderr
/// as `meshc build` prints them.
fn build(dir: &Path, file: &MigrationFile, run: MigrationRun) -> Result<PathBuf, String> {
    let mut session = migration_session(file, run).map_err(|e| e.message)?;
    let options = build_options(dir, Some(dir.join(".mesh").join("migrate").join(file.id())));
    crate::driver::build_session(&options, &mut session, std::time::Instant::now())
        .map_err(|e| e.message().to_string())
}

fn build_options(dir: &Path, output: Option<PathBuf>) -> BuildOptions {
    use std::io::IsTerminal;
    BuildOptions {
        dir: dir.to_path_buf(),
        output,
        opt_level: 0,
        emit_llvm: false,
        json: false,
        color: std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
        dump: None,
        timings: false,
        for_run: true,
        static_link: false,
    }
}

/// §6.2: the file parses, defines `pub fn up` and `pub fn down`, and imports only stdlib
/// modules (the exact sentences before the compiler's diagnostics).
fn check_file(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let parsed = mesh_syntax::parser::parse_module(mesh_syntax::span::FileId(0), &text);
    let Some(module) = parsed.module else {
        let first = parsed
            .diagnostics
            .first()
            .map_or_else(|| "syntax error".to_string(), |d| d.message.clone());
        return Err(first);
    };
    match mesh_driver::migration::problem(&module) {
        Some((message, _)) => Err(message),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Request, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_args(&args)
    }

    fn req(dir: &str, action: Action) -> Result<Request, String> {
        Ok(Request {
            dir: dir.into(),
            action,
        })
    }

    #[test]
    fn command_forms() {
        assert_eq!(parse(&[]), req(".", Action::Up));
        assert_eq!(parse(&["up"]), req(".", Action::Up));
        assert_eq!(parse(&["status", "app"]), req("app", Action::Status));
        assert_eq!(parse(&["app", "status"]), req("app", Action::Status));
        assert_eq!(parse(&["app"]), req("app", Action::Up));
        assert_eq!(parse(&["./up", "down"]), req("./up", Action::Down));
        assert_eq!(
            parse(&["generate", "add_x"]),
            req(".", Action::Generate("add_x".into()))
        );
        assert_eq!(
            parse(&["generate", "add_x", "app"]),
            req("app", Action::Generate("add_x".into()))
        );
        assert_eq!(
            parse(&["app", "generate", "add_x"]),
            req("app", Action::Generate("add_x".into()))
        );
    }

    #[test]
    fn usage_errors() {
        assert_eq!(
            parse(&["generate"]),
            Err("missing migration name: meshc migrate generate NAME".into())
        );
        assert_eq!(
            parse(&["app", "sideways"]),
            Err("unknown migrate action 'sideways'".into())
        );
        assert_eq!(
            parse(&["up", "app", "more"]),
            Err("unexpected argument 'more'".into())
        );
        assert_eq!(
            parse(&["app", "up", "more"]),
            Err("unexpected argument 'more'".into())
        );
    }

    #[test]
    fn connection_reasons_keep_only_the_message() {
        assert_eq!(
            reason("pool open: 28P01\t\t\t\tpassword authentication failed for user \"u\""),
            "password authentication failed for user \"u\""
        );
        assert_eq!(
            reason("pool open: could not connect to server: Connection refused (os error 111)"),
            "could not connect to server: Connection refused (os error 111)"
        );
    }
}

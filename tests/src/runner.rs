//! Running one e2e case: build it with `meshc build` from the repository root, then either
//! compare the compile errors with `<name>.stderr` or run the executable and compare its stdout,
//! stderr and exit status with `<name>.stdout`, `<name>.run.stderr` and the header. With
//! `MESH_BLESS=1` the existing expectation files are rewritten from the actual output instead.
//! A failure is reported as one message naming every mismatch, with diffs and the command to
//! reproduce it; the case's scratch directory is kept for inspection.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diff::render_diff;
use crate::discover::Case;
use crate::header::{parse_header, Options, COMPILE_TIMEOUT};
use crate::locate;
use crate::process::{run_with_timeout, Output, Status};
use crate::server;

/// What the suite needs to run any case; built once per test process.
#[derive(Debug, Clone)]
pub struct Context {
    pub repo_root: PathBuf,
    /// The compiler under test, or why it could not be found (each case then fails with it).
    pub meshc: Result<PathBuf, String>,
    /// Parent of the per-case scratch directories.
    pub scratch_root: PathBuf,
    /// `MESH_BLESS=1`: rewrite expectations instead of comparing.
    pub is_blessing: bool,
}

impl Context {
    /// The context for this test process, from its location and environment.
    pub fn from_env() -> Context {
        let profile_dir = locate::profile_dir();
        let scratch_root = match &profile_dir {
            Ok(dir) => locate::scratch_root(dir),
            Err(_) => std::env::temp_dir().join("mesh-e2e-tmp"),
        };
        Context {
            repo_root: locate::repo_root(),
            meshc: profile_dir.and_then(|dir| locate::meshc(&dir)),
            scratch_root,
            is_blessing: std::env::var_os("MESH_BLESS").is_some_and(|value| value == "1"),
        }
    }
}

/// What a case expects, decided by which expectation files exist.
enum Expectation {
    /// `<name>.stderr`: the build fails with exactly these diagnostics.
    CompileError { stderr: PathBuf },
    /// `<name>.http` (with `# test: server`): the program serves HTTP; the script's requests
    /// get its responses (`server.rs`).
    Server { script: PathBuf },
    /// `<name>.stdout`: the build succeeds and the program prints exactly this.
    Run {
        stdout: PathBuf,
        run_stderr: PathBuf,
    },
}

/// Builds and checks one case; the error is the complete failure report.
pub fn run_case(context: &Context, case: &Case) -> Result<(), String> {
    let meshc = context.meshc.as_ref().map_err(Clone::clone)?;
    let expectation = expectation_of(context, case)?;
    let main_file = context.repo_root.join(&case.main_file);
    let source = fs::read_to_string(&main_file)
        .map_err(|error| format!("cannot read {}: {error}", case.main_file.display()))?;
    let options = parse_header(&source)
        .map_err(|error| format!("{}: bad test header: {error}", case.main_file.display()))?;
    let scratch = context.scratch_root.join(&case.name);
    fresh_dir(&scratch)?;
    let binary = scratch.join(case.binary_name());
    let build = Build::new(context, meshc, case, &binary, options.opt_level);
    let built = build.run()?;
    let report = match expectation {
        Expectation::CompileError { stderr } => {
            check_compile_error(context, &build, &built, &stderr)?
        }
        Expectation::Server { script } => {
            if !options.server {
                return Err(format!(
                    "{} exists but {} has no `# test: server` header",
                    script.display(),
                    case.main_file.display()
                ));
            }
            if built.status != Status::Exited(0) {
                return Err(format!(
                    "meshc build failed ({}); {} expects it to succeed\n{}{}",
                    built.status,
                    script.display(),
                    build.reproduce(),
                    section("meshc stderr", &built.stderr)
                ));
            }
            check_server(context, case, &options, &binary, &script)?
        }
        Expectation::Run { stdout, run_stderr } => {
            if built.status != Status::Exited(0) {
                return Err(format!(
                    "meshc build failed ({}); {} expects it to succeed\n{}{}",
                    built.status,
                    stdout.display(),
                    build.reproduce(),
                    section("meshc stderr", &built.stderr)
                ));
            }
            check_program(context, case, &options, &binary, &stdout, &run_stderr)?
        }
    };
    if !report.is_empty() {
        return Err(format!(
            "{report}(scratch directory kept: {})",
            scratch.display()
        ));
    }
    fs::remove_dir_all(&scratch)
        .map_err(|error| format!("cannot remove {}: {error}", scratch.display()))
}

fn expectation_of(context: &Context, case: &Case) -> Result<Expectation, String> {
    let exists = |path: &Path| context.repo_root.join(path).is_file();
    let (stdout, stderr, run_stderr) = (
        case.expectation("stdout"),
        case.expectation("stderr"),
        case.expectation("run.stderr"),
    );
    let script = case.expectation("http");
    if exists(&script) {
        return match [&stdout, &stderr, &run_stderr]
            .into_iter()
            .find(|p| exists(p))
        {
            Some(other) => Err(format!(
                "both {} and {} exist; a server case is checked by its script only",
                script.display(),
                other.display()
            )),
            None => Ok(Expectation::Server { script }),
        };
    }
    match (exists(&stdout), exists(&stderr)) {
        (true, true) => Err(format!(
            "both {} and {} exist; a case either runs or fails to compile",
            stdout.display(),
            stderr.display()
        )),
        (false, true) if exists(&run_stderr) => Err(format!(
            "{} only makes sense with a {}",
            run_stderr.display(),
            stdout.display()
        )),
        (false, true) => Ok(Expectation::CompileError { stderr }),
        (true, false) => Ok(Expectation::Run { stdout, run_stderr }),
        (false, false) => Err(format!(
            "no expectation file: add {} (program output) or {} (compile errors) \
             beside {}; MESH_BLESS=1 fills in existing files",
            stdout.display(),
            stderr.display(),
            case.source.display()
        )),
    }
}

/// One `meshc build` invocation, run from the repository root with a relative source path.
struct Build<'a> {
    meshc: &'a Path,
    repo_root: &'a Path,
    args: Vec<String>,
}

impl<'a> Build<'a> {
    fn new(
        context: &'a Context,
        meshc: &'a Path,
        case: &Case,
        binary: &Path,
        opt_level: u8,
    ) -> Build<'a> {
        let output = binary.strip_prefix(&context.repo_root).unwrap_or(binary);
        let mut args = vec![
            "build".to_string(),
            case.source.display().to_string(),
            "-o".to_string(),
            output.display().to_string(),
            "--no-color".to_string(),
        ];
        if opt_level > 0 {
            args.push(format!("--opt-level={opt_level}"));
        }
        Build {
            meshc,
            repo_root: &context.repo_root,
            args,
        }
    }

    fn run(&self) -> Result<Output, String> {
        let mut command = Command::new(self.meshc);
        command
            .args(&self.args)
            .current_dir(self.repo_root)
            .env("NO_COLOR", "1");
        let output = run_with_timeout(&mut command, COMPILE_TIMEOUT)
            .map_err(|error| format!("cannot run {}: {error}", self.meshc.display()))?;
        if let Status::TimedOut(_) = output.status {
            return Err(format!(
                "meshc build {}\n{}{}",
                output.status,
                self.reproduce(),
                section("meshc stderr", &output.stderr)
            ));
        }
        Ok(output)
    }

    /// A shell line that repeats this build.
    fn reproduce(&self) -> String {
        format!(
            "reproduce: (cd {} && {} {})\n",
            self.repo_root.display(),
            self.meshc.display(),
            self.args.join(" ")
        )
    }
}

fn check_compile_error(
    context: &Context,
    build: &Build<'_>,
    built: &Output,
    expected_path: &Path,
) -> Result<String, String> {
    if built.status != Status::Exited(1) {
        return Err(format!(
            "meshc build ended with {}, but {} expects a compile error (exit status 1)\n{}{}",
            built.status,
            expected_path.display(),
            build.reproduce(),
            section("meshc stderr", &built.stderr)
        ));
    }
    let mut report = String::new();
    if let Some(mismatch) = compare(context, "meshc stderr", expected_path, &built.stderr)? {
        report.push_str(&mismatch);
        report.push_str(&build.reproduce());
    }
    Ok(report)
}

/// Runs the built program in the case's directory and checks stdout, stderr and exit status.
fn check_program(
    context: &Context,
    case: &Case,
    options: &Options,
    binary: &Path,
    stdout_path: &Path,
    run_stderr_path: &Path,
) -> Result<String, String> {
    let mut command = Command::new(binary);
    command
        .current_dir(context.repo_root.join(&case.run_dir))
        .env("MESH_TEST", "1");
    // Dropped (with its database) when the check is done, whatever the outcome.
    let database = match options.database {
        true => Some(crate::database::CaseDb::create(&case.name)?),
        false => None,
    };
    if let Some(db) = &database {
        command.env("DATABASE_URL", db.url());
    }
    let ran = run_with_timeout(&mut command, options.run_timeout)
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    let mut report = String::new();
    if let Status::TimedOut(_) = ran.status {
        let _ = writeln!(
            report,
            "program {} (raise the limit with `# test: timeout=N`)",
            ran.status
        );
        report.push_str(&section("program stdout so far", &ran.stdout));
        report.push_str(&section("program stderr so far", &ran.stderr));
        return Ok(report);
    }
    if let Some(mismatch) = compare(context, "program stdout", stdout_path, &ran.stdout)? {
        report.push_str(&mismatch);
    }
    if context.is_blessing && ran.stderr.is_empty() {
        remove_if_present(&context.repo_root.join(run_stderr_path))?;
    } else if context.is_blessing || context.repo_root.join(run_stderr_path).is_file() {
        if let Some(mismatch) = compare(context, "program stderr", run_stderr_path, &ran.stderr)? {
            report.push_str(&mismatch);
        }
    } else if !ran.stderr.is_empty() {
        let _ = writeln!(
            report,
            "program wrote to stderr, but there is no {} (MESH_BLESS=1 creates it)",
            run_stderr_path.display()
        );
        report.push_str(&section("program stderr", &ran.stderr));
    }
    let expected_status = Status::Exited(options.exit_code);
    if ran.status != expected_status {
        let _ = writeln!(
            report,
            "program ended: {}; expected {expected_status}{}",
            ran.status,
            match options.exit_code {
                0 => " (set another with `# test: exit=N`)",
                _ => "",
            }
        );
    }
    Ok(report)
}

/// Plays the `.http` script against the running program (`server.rs`) and checks its
/// responses and its exit status after SIGTERM.
fn check_server(
    context: &Context,
    case: &Case,
    options: &Options,
    binary: &Path,
    script_path: &Path,
) -> Result<String, String> {
    let file = context.repo_root.join(script_path);
    let text = fs::read_to_string(&file)
        .map_err(|error| format!("cannot read {}: {error}", script_path.display()))?;
    let script = server::parse_script(&text)
        .map_err(|error| format!("{}: {error}", script_path.display()))?;
    let ran = server::run_server(binary, &context.repo_root.join(&case.run_dir), &script)?;
    let mut report = String::new();
    for problem in &ran.problems {
        let _ = writeln!(report, "{problem}");
    }
    let actual = server::render_script(&script, &ran.responses);
    if ran.problems.is_empty() {
        if let Some(mismatch) = compare(context, "responses", script_path, actual.as_bytes())? {
            report.push_str(&mismatch);
        }
    }
    let expected_status = Status::Exited(options.exit_code);
    if ran.status != expected_status {
        let _ = writeln!(
            report,
            "program ended after SIGTERM: {}; expected {expected_status}",
            ran.status
        );
    }
    if !report.is_empty() {
        report.push_str(&section("program stdout", &ran.stdout));
        report.push_str(&section("program stderr", &ran.stderr));
    }
    Ok(report)
}

/// Compares `actual` with the expectation file at `path` (relative to the root), or rewrites
/// the file when blessing. Returns a report section when they differ.
fn compare(
    context: &Context,
    what: &str,
    path: &Path,
    actual: &[u8],
) -> Result<Option<String>, String> {
    let file = context.repo_root.join(path);
    if context.is_blessing {
        fs::write(&file, actual)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        return Ok(None);
    }
    let expected =
        fs::read(&file).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    if expected == actual {
        return Ok(None);
    }
    Ok(Some(format!(
        "{what} differs from {} (MESH_BLESS=1 rewrites it):\n{}",
        path.display(),
        render_diff(
            &String::from_utf8_lossy(&expected),
            &String::from_utf8_lossy(actual)
        )
    )))
}

/// Shows captured output under a title, or notes that there was none.
fn section(title: &str, bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return format!("--- {title}: (empty)\n");
    }
    let text = String::from_utf8_lossy(bytes);
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    format!("--- {title}:\n{text}{newline}")
}

/// Makes `dir` an empty directory, clearing what a previous failed run left there.
fn fresh_dir(dir: &Path) -> Result<(), String> {
    remove_if_present(dir)?;
    fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))
}

fn remove_if_present(path: &Path) -> Result<(), String> {
    let result = if path.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    match result {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {error}", path.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_show_text_or_empty() {
        assert_eq!(section("out", b""), "--- out: (empty)\n");
        assert_eq!(section("out", b"a\n"), "--- out:\na\n");
        assert_eq!(section("out", b"a"), "--- out:\na\n");
    }
}

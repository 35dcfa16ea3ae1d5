//! The Mesh code blocks of the site as compiler cases (website/README.md lists the markers).
//!
//! * ```` ```mesh ```` — a program, or declarations without `main` (an empty `main` is added):
//!   type-checked with `meshc check`; when an ```` ```output ```` block follows it (only blank
//!   lines between) it is built and run, and its stdout must equal that block exactly (an
//!   `output,exit=N` block expects exit status N instead of 0).
//! * ```` ```mesh,fragment ```` — statements: the body of a `fn main() do … end` wrapped around
//!   them; otherwise as above.
//! * ```` ```mesh,compile_fail=E0012 ```` — must fail `meshc check --json` with that code
//!   (combine with `fragment` for statements).
//! * ```` ```mesh,test ```` — a test file: `meshc test` on a project holding it must pass.
//! * ```` ```mesh,project=NAME,file=PATH ```` — the blocks of one page with the same NAME are
//!   one project (PATH relative to its root); it must fail when one of its blocks carries
//!   `compile_fail=CODE`, is run when an output block follows its last block, tested when it
//!   has `*.test.mpl` files, else checked.
//! * ```` ```mesh,pending-cluster ```` — code for the clustered features that are not built
//!   yet: only parsed (`meshc parse`), not type-checked or run; the one marker the integrator
//!   flips to plain `mesh` once they land.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use mesh_tests::diff::render_diff;
use mesh_tests::process::{run_with_timeout, Status};

use crate::markdown::{blocks, output_after, Block, Page};

/// The marker of blocks waiting for the clustered features.
pub const PENDING: &str = "pending-cluster";

const BUILD_TIMEOUT: Duration = Duration::from_secs(600);
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// What to do with a case's project.
#[derive(Debug, Clone)]
pub enum Action {
    /// Syntax only (`pending-cluster` blocks).
    Parse,
    Check,
    Run {
        stdout: String,
        exit: i32,
    },
    Test,
    Fail {
        code: String,
    },
}

/// One compiler case: files of a scratch project and what must happen to them.
#[derive(Debug, Clone)]
pub struct Case {
    /// `page:line` of the (first) block.
    pub name: String,
    pub files: BTreeMap<String, String>,
    pub action: Action,
}

/// The cases of every page, plus the locations of the pending blocks.
pub fn cases(pages: &[Page]) -> Result<(Vec<Case>, Vec<String>), String> {
    let mut cases = Vec::new();
    let mut pending = Vec::new();
    for page in pages {
        let all = blocks(page);
        let mut projects: BTreeMap<String, Case> = BTreeMap::new();
        for (index, block) in all.iter().enumerate() {
            if block.lang != "mesh" {
                continue;
            }
            if block.has(PENDING) {
                pending.push(block.location());
                let mut files = BTreeMap::new();
                files.insert("main.mpl".to_string(), block.body.clone());
                cases.push(Case {
                    name: block.location(),
                    files,
                    action: Action::Parse,
                });
                continue;
            }
            let output = output_after(page, &all, index);
            let expected = match output {
                Some(stdout) => {
                    let exit = all[index + 1]
                        .attr("exit")
                        .map(|v| v.parse::<i32>())
                        .transpose()
                        .map_err(|_| {
                            format!("{}: bad exit= on the output block", block.location())
                        })?
                        .unwrap_or(0);
                    Some(Action::Run { stdout, exit })
                }
                None => None,
            };
            if let Some(project) = block.attr("project") {
                let file = block
                    .attr("file")
                    .filter(|f| !f.is_empty())
                    .ok_or_else(|| {
                        format!("{}: project blocks need file=PATH", block.location())
                    })?;
                let case = projects.entry(project.to_string()).or_insert_with(|| Case {
                    name: block.location(),
                    files: BTreeMap::new(),
                    action: Action::Check,
                });
                if case
                    .files
                    .insert(file.to_string(), block.body.clone())
                    .is_some()
                {
                    return Err(format!(
                        "{}: {file} appears twice in project {project}",
                        block.location()
                    ));
                }
                if let Some(code) = block.attr("compile_fail").filter(|c| !c.is_empty()) {
                    case.action = Action::Fail {
                        code: code.to_string(),
                    };
                } else if let Some(action) = expected {
                    case.action = action;
                } else if file.ends_with(".test.mpl") && matches!(case.action, Action::Check) {
                    case.action = Action::Test;
                }
                continue;
            }
            cases.push(single(block, expected)?);
        }
        for (_, mut case) in projects {
            if !case.files.contains_key("main.mpl") {
                case.files
                    .insert("main.mpl".into(), "fn main() do\nend\n".into());
            }
            case.files
                .entry("mesh.toml".into())
                .or_insert_with(manifest);
            cases.push(case);
        }
    }
    Ok((cases, pending))
}

fn manifest() -> String {
    "[package]\nname = \"docs_example\"\nversion = \"0.1.0\"\n\n[dependencies]\n".into()
}

/// The case of one block outside a project.
fn single(block: &Block, expected: Option<Action>) -> Result<Case, String> {
    let mut files = BTreeMap::new();
    files.insert("mesh.toml".to_string(), manifest());
    if block.has("test") {
        files.insert("main.mpl".into(), "fn main() do\nend\n".into());
        files.insert("example.test.mpl".into(), block.body.clone());
        return Ok(Case {
            name: block.location(),
            files,
            action: Action::Test,
        });
    }
    let source = if block.has("fragment") {
        let mut text = String::from("fn main() do\n");
        for line in block.body.lines() {
            if !line.is_empty() {
                text.push_str("  ");
            }
            text.push_str(line);
            text.push('\n');
        }
        text.push_str("end\n");
        text
    } else if has_main(&block.body) {
        block.body.clone()
    } else {
        format!("{}\nfn main() do\nend\n", block.body)
    };
    files.insert("main.mpl".into(), source);
    let action = match (block.attr("compile_fail"), expected) {
        (Some(code), None) if !code.is_empty() => Action::Fail {
            code: code.to_string(),
        },
        (Some(_), _) => {
            return Err(format!(
                "{}: compile_fail needs a code (compile_fail=E0001) and no output block",
                block.location()
            ))
        }
        (None, Some(action)) => action,
        (None, None) => Action::Check,
    };
    Ok(Case {
        name: block.location(),
        files,
        action,
    })
}

fn has_main(source: &str) -> bool {
    source
        .lines()
        .any(|l| l.starts_with("fn main(") || l.starts_with("pub fn main("))
}

/// Writes the case into `dir` and runs it with `meshc`.
pub fn run_case(meshc: &Path, scratch: &Path, case: &Case) -> Result<(), String> {
    let dir = scratch.join(slug(&case.name));
    // A previous failed run leaves its files for inspection; start clean.
    let _ = fs::remove_dir_all(&dir);
    for (path, text) in &case.files {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    let result = match &case.action {
        Action::Parse => {
            let main = dir.join("main.mpl");
            let out = run_with_timeout(Command::new(meshc).arg("parse").arg(&main), BUILD_TIMEOUT)
                .map_err(|e| format!("cannot run {}: {e}", meshc.display()))?;
            if out.status == Status::Exited(0) {
                Ok(())
            } else {
                Err(format!(
                    "`meshc parse` failed ({}):\n{}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                ))
            }
        }
        Action::Check => expect_success(meshc, &["check"], &dir),
        Action::Test => expect_success(meshc, &["test"], &dir),
        Action::Fail { code } => expect_failure(meshc, &dir, code),
        Action::Run { stdout, exit } => run_program(meshc, &dir, stdout, *exit),
    };
    match result {
        Ok(()) => {
            let _ = fs::remove_dir_all(&dir);
            Ok(())
        }
        Err(message) => Err(format!(
            "{}\n(the project is kept in {})",
            message,
            dir.display()
        )),
    }
}

fn slug(name: &str) -> String {
    name.trim_start_matches("website/src/")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn meshc_output(
    meshc: &Path,
    args: &[&str],
    dir: &Path,
) -> Result<mesh_tests::process::Output, String> {
    let mut command = Command::new(meshc);
    command.args(args).arg(dir);
    run_with_timeout(&mut command, BUILD_TIMEOUT)
        .map_err(|e| format!("cannot run {}: {e}", meshc.display()))
}

fn expect_success(meshc: &Path, args: &[&str], dir: &Path) -> Result<(), String> {
    let out = meshc_output(meshc, args, dir)?;
    if out.status == Status::Exited(0) {
        return Ok(());
    }
    Err(format!(
        "`meshc {}` failed ({}):\n{}{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

fn expect_failure(meshc: &Path, dir: &Path, code: &str) -> Result<(), String> {
    let out = meshc_output(meshc, &["check", "--json"], dir)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let found = stderr.contains(&format!("\"code\":\"{code}\""));
    if out.status == Status::Exited(1) && found {
        return Ok(());
    }
    Err(format!(
        "expected `meshc check` to fail with {code}, got {}:\n{stderr}",
        out.status
    ))
}

fn run_program(meshc: &Path, dir: &Path, expected: &str, exit: i32) -> Result<(), String> {
    let program: PathBuf = dir.join("program");
    let program_arg = program.to_string_lossy().into_owned();
    expect_success(meshc, &["build", "-o", &program_arg], dir)?;
    let mut command = Command::new(&program);
    command.current_dir(dir);
    let out = run_with_timeout(&mut command, RUN_TIMEOUT)
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status != Status::Exited(exit) {
        return Err(format!(
            "the program ended with {} (the page expects exit status {exit}); stdout:\n{stdout}stderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if stdout != expected {
        return Err(format!(
            "stdout differs from the page's output block (- page, + program):\n{}",
            render_diff(expected, &stdout)
        ));
    }
    Ok(())
}

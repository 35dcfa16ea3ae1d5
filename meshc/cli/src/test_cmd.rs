//! `meshc test [PATH]` (spec tooling §4): resolves the target and its project, finds the
//! `*.test.mpl` files, compiles each into its own executable with the project's modules
//! (`Session::for_test_file`; the DSL is lowered by `mesh_sema::testdsl`), runs it in the
//! project root with a timeout, turns its protocol lines into the report and prints the
//! failures and the summary. Files run one after another, or `--jobs N` at a time with each
//! file's output buffered and printed in discovery order.

use crate::driver::{find_runtime, render, BuildOptions, CliError};
use mesh_driver::Session;
use mesh_sema::testdsl::{self, MARKER};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct TestArgs {
    /// A project root, a directory inside a project or one *.test.mpl file
    #[arg(default_value = ".")]
    path: PathBuf,
    /// One `.`/`F` per test instead of per-test lines
    #[arg(long)]
    quiet: bool,
    /// Run only tests whose full name contains TEXT
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Run up to N files in parallel
    #[arg(long, value_name = "N", default_value_t = 1)]
    jobs: usize,
    /// Per-file timeout in seconds
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    timeout: u64,
    /// Not supported (refused with an error)
    #[arg(long)]
    coverage: bool,
}

impl TestArgs {
    pub fn into_options(self, color: bool) -> TestOptions {
        TestOptions {
            path: self.path,
            quiet: self.quiet,
            filter: self.filter,
            jobs: self.jobs,
            timeout: self.timeout,
            coverage: self.coverage,
            color,
        }
    }
}

pub struct TestOptions {
    pub path: PathBuf,
    pub quiet: bool,
    pub filter: Option<String>,
    pub jobs: usize,
    pub timeout: u64,
    pub coverage: bool,
    pub color: bool,
}

/// What one file contributed to the summary.
#[derive(Default)]
struct FileResult {
    passed: usize,
    failed: usize,
    compile_error: bool,
    /// Entries of the `failures:` section (`file: name`).
    failures: Vec<String>,
}

pub fn run(options: &TestOptions) -> Result<ExitCode, CliError> {
    if options.coverage {
        return Err(CliError::new(
            "coverage reporting is not supported yet; run meshc test without --coverage",
        ));
    }
    let started = Instant::now();
    let cwd = std::env::current_dir().map_err(|e| CliError::new(e.to_string()))?;
    let target = normalize(&cwd.join(&options.path));
    if !target.exists() {
        return Err(CliError::new(format!(
            "test target '{}' does not exist",
            target.display()
        )));
    }
    let is_test_file = target.is_file() && file_name(&target).ends_with(".test.mpl");
    if !target.is_dir() && !is_test_file {
        return Err(CliError::new(format!(
            "'{}' is not a directory or a *.test.mpl file",
            options.path.display()
        )));
    }
    let root = project_root(&target).ok_or_else(|| {
        CliError::new(format!(
            "could not find a Mesh project (mesh.toml) for test target '{}'",
            target.display()
        ))
    })?;
    let mut files = Vec::new();
    if is_test_file {
        files.push(target.clone());
    } else {
        discover(&target, &mut files);
        files.sort();
    }
    if files.is_empty() {
        println!(
            "no test files (*.test.mpl) found under {}",
            options.path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let rel: Vec<PathBuf> = files
        .iter()
        .map(|f| f.strip_prefix(&root).unwrap_or(f).to_path_buf())
        .collect();
    let results = run_files(options, &root, &rel)?;
    summarize(options, &results, files.len(), started.elapsed())
}

fn summarize(
    options: &TestOptions,
    results: &[FileResult],
    files: usize,
    elapsed: Duration,
) -> Result<ExitCode, CliError> {
    let passed: usize = results.iter().map(|r| r.passed).sum();
    let failed: usize = results.iter().map(|r| r.failed).sum();
    let compile = results.iter().filter(|r| r.compile_error).count();
    let mut out = std::io::stdout().lock();
    if options.quiet {
        let _ = writeln!(out);
    }
    let failures: Vec<&String> = results.iter().flat_map(|r| &r.failures).collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for f in failures {
            let _ = writeln!(out, "  {f}");
        }
    }
    let ok = failed == 0 && compile == 0;
    let _ = writeln!(
        out,
        "\ntest result: {}. {passed} passed; {failed} failed; {compile} compile errors; {files} files; {:.2}s",
        if ok { "ok" } else { "FAILED" },
        elapsed.as_secs_f64()
    );
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs every file, sequentially with output as it happens, or `--jobs` at a time.
fn run_files(
    options: &TestOptions,
    root: &Path,
    files: &[PathBuf],
) -> Result<Vec<FileResult>, CliError> {
    let runtime = find_runtime()?;
    let jobs = options.jobs.max(1);
    if jobs == 1 {
        return Ok(files
            .iter()
            .map(|f| {
                let mut sink = |text: &str| {
                    let mut out = std::io::stdout().lock();
                    let _ = out.write_all(text.as_bytes());
                    let _ = out.flush();
                };
                run_file(options, root, f, &runtime, &mut sink)
            })
            .collect());
    }
    let mut results = Vec::new();
    for chunk in files.chunks(jobs) {
        let outputs: Vec<(String, FileResult)> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|f| {
                    let runtime = &runtime;
                    std::thread::Builder::new()
                        .stack_size(mesh_syntax::parser::COMPILER_STACK)
                        .spawn_scoped(scope, move || {
                            let mut buffer = String::new();
                            let result = run_file(options, root, f, runtime, &mut |t: &str| {
                                buffer.push_str(t)
                            });
                            (buffer, result)
                        })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| match h.map(|h| h.join()) {
                    Ok(Ok(r)) => r,
                    _ => (String::new(), compile_failure_result(Path::new("?"))),
                })
                .collect()
        });
        for (text, result) in outputs {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            results.push(result);
        }
    }
    Ok(results)
}

fn compile_failure_result(file: &Path) -> FileResult {
    FileResult {
        compile_error: true,
        failures: vec![format!("{}: failed to compile", file.display())],
        ..FileResult::default()
    }
}

/// Compiles and runs one test file (`file` relative to `root`), writing its report to `sink`.
fn run_file(
    options: &TestOptions,
    root: &Path,
    file: &Path,
    runtime: &Path,
    sink: &mut dyn FnMut(&str),
) -> FileResult {
    let shown = file.display().to_string();
    let selected = selected_tests(options, &root.join(file));
    let exe = match compile(options, root, file, runtime) {
        Ok(exe) => exe,
        Err(message) => {
            if let Some(m) = message {
                eprintln!("error: {m}");
            }
            sink(&if options.quiet {
                "F".to_string()
            } else {
                format!("  ✗ {shown} failed to compile\n")
            });
            return compile_failure_result(file);
        }
    };
    let mut result = FileResult::default();
    if selected == 0 {
        let _ = std::fs::remove_file(&exe);
        return result;
    }
    if !options.quiet {
        let plural = if selected == 1 { "test" } else { "tests" };
        sink(&format!("running {shown} ({selected} {plural})\n"));
    }
    let outcome = execute(
        options,
        root,
        &exe,
        &mut |line: &str| match protocol(line) {
            Some(('P', name)) => {
                result.passed += 1;
                sink(&if options.quiet {
                    ".".to_string()
                } else {
                    format!("  ✓ {name}\n")
                });
            }
            Some(('F', name)) => {
                result.failed += 1;
                result.failures.push(format!("{shown}: {name}"));
                sink(&if options.quiet {
                    "F".to_string()
                } else {
                    format!("  ✗ {name}\n")
                });
            }
            Some(('M', text)) => {
                if !options.quiet {
                    sink(&format!("      {text}\n"));
                }
            }
            _ => sink(&format!("{line}\n")),
        },
    );
    let _ = std::fs::remove_file(&exe);
    match outcome {
        Outcome::Exited(0) => {}
        Outcome::TimedOut => {
            result.failed += 1;
            result
                .failures
                .push(format!("{shown}: timed out after {}s", options.timeout));
            sink(&format!(
                "  ✗ {shown} timed out after {}s\n",
                options.timeout
            ));
        }
        Outcome::Exited(code) => {
            result.failed += 1;
            result
                .failures
                .push(format!("{shown}: exited with status {code}"));
            sink(&format!("  ✗ {shown} exited with status {code}\n"));
        }
        Outcome::Failed(e) => {
            result.failed += 1;
            result.failures.push(format!("{shown}: {e}"));
            sink(&format!("  ✗ {shown}: {e}\n"));
        }
    }
    result
}

/// A result line of the generated runner: its kind letter and text.
fn protocol(line: &str) -> Option<(char, &str)> {
    let rest = line.strip_prefix(MARKER)?;
    let mut chars = rest.chars();
    let kind = chars.next()?;
    Some((kind, chars.as_str()))
}

/// How many tests of the file `--filter` selects (all when no filter); 0 when it does not
/// parse (compilation reports why).
fn selected_tests(options: &TestOptions, path: &Path) -> usize {
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    let parsed = mesh_syntax::parser::parse_module(mesh_syntax::span::FileId(0), &text);
    let Some(module) = parsed.module.or(parsed.recovered) else {
        return 0;
    };
    testdsl::collect(&module)
        .iter()
        .filter(|t| {
            options
                .filter
                .as_ref()
                .is_none_or(|f| t.name.contains(f.as_str()))
        })
        .count()
}

/// Builds the file's executable under `<root>/.mesh/test/`. `Err(None)` after diagnostics
/// were printed, `Err(Some(message))` for another failure.
fn compile(
    options: &TestOptions,
    root: &Path,
    file: &Path,
    runtime: &Path,
) -> Result<PathBuf, Option<String>> {
    let mut session = Session::for_test_file(root, file).map_err(|e| Some(e.message))?;
    let analysis = session.analyze();
    let render_options = BuildOptions {
        dir: root.to_path_buf(),
        output: None,
        opt_level: 0,
        emit_llvm: false,
        json: false,
        color: options.color,
        dump: None,
        timings: false,
        for_run: false,
        static_link: false,
    };
    render(&render_options, session.sources(), &analysis.diagnostics);
    if let Some(failure) = analysis.failure.clone() {
        return Err(Some(failure));
    }
    let checked = analysis.into_checked().ok_or(None)?;
    let program = session.lower_mir(checked, 0);
    let codegen_options = mesh_codegen::Options {
        opt_level: 0,
        want_llvm_ir: false,
    };
    let generated = mesh_codegen::generate(&program, &codegen_options).map_err(Some)?;
    let dir = root.join(".mesh").join("test");
    std::fs::create_dir_all(&dir)
        .map_err(|e| Some(format!("cannot create '{}': {e}", dir.display())))?;
    let stem: String = file
        .display()
        .to_string()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let exe = dir.join(format!("{stem}.{}", std::process::id()));
    let object = dir.join(format!("{stem}.{}.o", std::process::id()));
    std::fs::write(&object, &generated.object)
        .map_err(|e| Some(format!("cannot write '{}': {e}", object.display())))?;
    let linked = mesh_codegen::link(&object, runtime, &exe, mesh_codegen::LinkMode::Dynamic);
    let _ = std::fs::remove_file(&object);
    linked.map_err(|e| Some(e.to_string()))?;
    Ok(exe)
}

enum Outcome {
    Exited(i32),
    TimedOut,
    Failed(String),
}

/// Runs the executable in `root`, passing each stdout line to `line` as it arrives; kills it
/// after `--timeout` seconds.
fn execute(options: &TestOptions, root: &Path, exe: &Path, line: &mut dyn FnMut(&str)) -> Outcome {
    let mut command = Command::new(exe);
    command
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    command.env(testdsl::FILTER_ENV, options.filter.as_deref().unwrap_or(""));
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(format!("cannot run '{}': {e}", exe.display())),
    };
    let Some(stdout) = child.stdout.take() else {
        return Outcome::Failed("no stdout".into());
    };
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut buf = Vec::new();
        while let Ok(n) = reader.read_until(b'\n', &mut buf) {
            if n == 0 {
                break;
            }
            let text = String::from_utf8_lossy(&buf);
            if tx.send(text.trim_end_matches('\n').to_string()).is_err() {
                break;
            }
            buf.clear();
        }
    });
    let deadline = Instant::now() + Duration::from_secs(options.timeout);
    let mut timed_out = false;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(text) => line(&text),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                timed_out = true;
                let _ = child.kill();
                break;
            }
        }
    }
    let status = child.wait();
    let _ = reader.join();
    if timed_out {
        return Outcome::TimedOut;
    }
    match status {
        Ok(s) => Outcome::Exited(s.code().unwrap_or(1)),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// The nearest ancestor of `target` (inclusive) with `mesh.toml`, else with `main.mpl`.
fn project_root(target: &Path) -> Option<PathBuf> {
    let start = if target.is_dir() {
        target
    } else {
        target.parent()?
    };
    let find = |marker: &str| {
        start
            .ancestors()
            .find(|d| d.join(marker).is_file())
            .map(Path::to_path_buf)
    };
    find("mesh.toml").or_else(|| find("main.mpl"))
}

/// Every `*.test.mpl` under `dir`, skipping hidden entries, `target/` and `.mesh/`.
fn discover(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = file_name(&path);
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            discover(&path, out);
        } else if name.ends_with(".test.mpl") {
            out.push(path);
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `a/./b/../c` → `a/c` without touching the file system (so a missing path prints as given).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

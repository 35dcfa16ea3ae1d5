//! The commands that compile: `build`, `run` and `check` drive a `mesh_driver::Session`
//! (discovery, parse, analysis, MIR), then generate code and link (mesh_codegen), render the
//! diagnostics and print dumps and timings. Only the CLI writes to the terminal.

use mesh_driver::{DriverError, Session, Stage};
use mesh_syntax::diagnostic::Diagnostic;
use mesh_syntax::span::SourceMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// A command failure: printed as the single `error: …` line (spec tooling §0.3), or under
/// `--json` as the closing `C0001` summary object (spec tooling §1.1.3).
#[derive(Debug)]
pub struct CliError {
    message: String,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
        }
    }

    /// The text after `error: `.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Writes the command's last stderr line: `error: …`, or under `--json` the summary object
    /// (the JSON stream stays one object per line, with nothing else in it).
    pub fn report(&self, json: bool) {
        if json {
            eprintln!("{}", json_summary(&self.message));
        } else {
            eprintln!("error: {}", self.message);
        }
    }
}

impl From<DriverError> for CliError {
    fn from(e: DriverError) -> CliError {
        CliError::new(e.message)
    }
}

/// The summary object closing a failed command under `--json` (spec tooling §1.1.3): code
/// `C0001`, no file, no spans, the message of the human `error:` line.
pub fn json_summary(message: &str) -> String {
    serde_json::json!({
        "code": "C0001",
        "severity": "error",
        "message": message,
        "file": "",
        "spans": [],
        "fix": null,
    })
    .to_string()
}

pub struct BuildOptions {
    pub dir: PathBuf,
    pub output: Option<PathBuf>,
    pub opt_level: u8,
    pub emit_llvm: bool,
    pub json: bool,
    pub color: bool,
    /// `--dump=ast|hir|types|mir`: print that form to stdout instead of building.
    pub dump: Option<String>,
    /// `--timings`: print each stage's wall time to stderr.
    pub timings: bool,
    pub for_run: bool,
    /// `--static`: link a fully static executable (see `mesh_codegen::LinkMode`).
    pub static_link: bool,
}

/// `meshc check`: parse and type-check only: the program, then each migration in
/// `migrations/` as the program `meshc migrate` would build for it (tooling §6.2).
pub fn check(options: &BuildOptions) -> Result<(), CliError> {
    let mut session = Session::from_project(&options.dir)?;
    let program = frontend(options, &mut session).map(|_| ());
    let files = mesh_rt::db::migrate::discover(session.root()).map_err(CliError::new)?;
    let mut failed = None;
    for file in &files {
        let mut migration = migration_session(file, mesh_driver::MigrationRun::Check)?;
        if let Err(e) = frontend(options, &mut migration) {
            failed.get_or_insert(e);
        }
    }
    program.and(failed.map_or(Ok(()), Err))
}

/// The session of one migration program (`meshc migrate`, `meshc check`).
pub(crate) fn migration_session(
    file: &mesh_rt::db::migrate::MigrationFile,
    run: mesh_driver::MigrationRun,
) -> Result<Session, mesh_driver::DriverError> {
    let shown = format!(
        "migrations/{}",
        file.path.file_name().unwrap_or_default().to_string_lossy()
    );
    let entry = mesh_driver::MigrationEntry {
        version: file.version,
        name: file.name.clone(),
        no_transaction: file.no_transaction,
        run,
    };
    Session::for_migration(&file.path, &shown, entry)
}

/// `meshc build`: writes the executable and returns its path.
pub fn build(options: &BuildOptions) -> Result<PathBuf, CliError> {
    let started = Instant::now();
    let mut session = Session::from_project(&options.dir)?;
    let built = build_session(options, &mut session, started);
    if options.timings {
        eprint!("{}", session.timings().render());
    }
    built
}

pub(crate) fn build_session(
    options: &BuildOptions,
    session: &mut Session,
    started: Instant,
) -> Result<PathBuf, CliError> {
    let output = output_path(options, session)?;
    if options.dump.as_deref() == Some("ast") {
        dump_ast(options, session)?;
        return Ok(output);
    }
    let checked = frontend(options, session)?;
    match options.dump.as_deref() {
        Some("hir") => {
            print!("{}", mesh_sema::print::hir(&checked.program));
            return Ok(output);
        }
        Some("types") => {
            print!(
                "{}",
                mesh_sema::print::types(&checked.program, &checked.types)
            );
            return Ok(output);
        }
        _ => {}
    }
    let program = session.lower_mir(checked, options.opt_level);
    if options.dump.as_deref() == Some("mir") {
        print!("{program}");
        return Ok(output);
    }
    let codegen_options = mesh_codegen::Options {
        opt_level: options.opt_level,
        want_llvm_ir: options.emit_llvm,
    };
    let codegen_started = Instant::now();
    let generated = mesh_codegen::generate(&program, &codegen_options).map_err(CliError::new)?;
    session.record(Stage::Codegen, codegen_started.elapsed());
    let link_started = Instant::now();
    let runtime = find_runtime()?;
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::new(format!("cannot create '{}': {e}", parent.display())))?;
    }
    let object = output.with_file_name(format!(".{}.{}.o", file_name(&output), std::process::id()));
    std::fs::write(&object, &generated.object)
        .map_err(|e| CliError::new(format!("cannot write '{}': {e}", object.display())))?;
    let mode = if options.static_link {
        mesh_codegen::LinkMode::Static
    } else {
        mesh_codegen::LinkMode::Dynamic
    };
    let linked = mesh_codegen::link(&object, &runtime, &output, mode);
    let _ = std::fs::remove_file(&object);
    linked.map_err(|e| CliError::new(e.to_string()))?;
    session.record(Stage::Link, link_started.elapsed());
    if let Some(ir) = &generated.llvm_ir {
        let ll = output.with_extension("ll");
        std::fs::write(&ll, ir)
            .map_err(|e| CliError::new(format!("cannot write '{}': {e}", ll.display())))?;
        if !options.json {
            eprintln!("LLVM IR {}", ll.display());
        }
    }
    if !options.json && !options.for_run {
        eprintln!(
            "Compiled {} in {:.2}s",
            output.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(output)
}

/// `meshc run`: builds into `.mesh/build/` and runs the program, passing its exit status on.
pub fn run(options: &BuildOptions, args: &[String]) -> Result<ExitCode, CliError> {
    let project = mesh_driver::project::load(&options.dir)?;
    let output = project.root.join(".mesh").join("build").join(&project.name);
    let run_options = BuildOptions {
        output: Some(options.output.clone().unwrap_or(output)),
        for_run: true,
        dir: options.dir.clone(),
        dump: options.dump.clone(),
        ..*options
    };
    let exe = build(&run_options)?;
    let _ = std::io::stdout().flush();
    let status = std::process::Command::new(&exe)
        .args(args)
        .status()
        .map_err(|e| CliError::new(format!("cannot run '{}': {e}", exe.display())))?;
    use std::os::unix::process::ExitStatusExt;
    let code = match (status.code(), status.signal()) {
        (Some(c), _) => c,
        (None, Some(sig)) => 128 + sig,
        (None, None) => 1,
    };
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn output_path(options: &BuildOptions, session: &Session) -> Result<PathBuf, CliError> {
    let output = match &options.output {
        Some(o) => o.clone(),
        None => session.root().join(session.name()),
    };
    if output.is_dir() {
        return Err(CliError::new(format!(
            "output path '{}' is a directory; pass --output",
            output.display()
        )));
    }
    Ok(output)
}

/// Parses and checks the program; renders diagnostics and fails on errors.
fn frontend(options: &BuildOptions, session: &mut Session) -> Result<mesh_sema::Checked, CliError> {
    let analysis = session.analyze();
    render(options, session.sources(), &analysis.diagnostics);
    if let Some(message) = analysis.failure {
        return Err(CliError::new(message));
    }
    let errors = analysis.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = analysis.diagnostics.len() - errors;
    analysis.into_checked().ok_or_else(|| {
        CliError::new(format!(
            "could not compile '{}' ({errors} errors, {warnings} warnings)",
            session.name()
        ))
    })
}

/// `--dump=ast`: each module's syntax tree (recovered ones too), after its diagnostics.
fn dump_ast(options: &BuildOptions, session: &mut Session) -> Result<(), CliError> {
    let parsed = session.parse();
    render(options, session.sources(), &parsed.diagnostics);
    for module in &parsed.modules {
        if let Some(ast) = &module.ast {
            let text = &session.sources().get(module.file).text;
            print!("{}", mesh_syntax::printer::print_module(ast, text));
        }
    }
    if parsed.has_errors() {
        return Err(CliError::new(format!(
            "could not parse '{}'",
            session.name()
        )));
    }
    Ok(())
}

pub(crate) fn render(options: &BuildOptions, sources: &SourceMap, diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    // In source order (stages find problems in their own order); span-less ones last.
    let mut ordered: Vec<&Diagnostic> = diagnostics.iter().collect();
    ordered.sort_by_key(|d| {
        d.primary_span()
            .map_or((u32::MAX, u32::MAX), |s| (s.file.0, s.start))
    });
    for d in ordered {
        let text = if options.json {
            d.to_json(sources) + "\n"
        } else {
            d.render(sources, options.color)
        };
        let _ = err.write_all(text.as_bytes());
    }
}

/// Finds `libmesh_rt.a`: `MESH_RT_LIB_PATH`, next to the meshc binary, or the workspace's
/// target directory when running from a source checkout (spec tooling §1.1).
pub(crate) fn find_runtime() -> Result<PathBuf, CliError> {
    if let Some(value) = std::env::var_os("MESH_RT_LIB_PATH") {
        if value.is_empty() {
            return Err(CliError::new("MESH_RT_LIB_PATH is set but empty"));
        }
        let path = PathBuf::from(value);
        if path.is_file() {
            return Ok(path);
        }
        return Err(CliError::new(format!(
            "MESH_RT_LIB_PATH names a missing file '{}'",
            path.display()
        )));
    }
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        candidates.push(dir.join("libmesh_rt.a"));
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for profile in ["debug", "release"] {
        candidates.push(workspace.join("target").join(profile).join("libmesh_rt.a"));
    }
    if let Some(found) = candidates.iter().find(|p| p.is_file()) {
        return Ok(found.clone());
    }
    build_runtime_in_checkout(&workspace)
        .ok_or_else(|| CliError::new("Mesh runtime library not found (set MESH_RT_LIB_PATH)"))
}

/// A meshc run from its own source checkout (`cargo run -p meshc -- build …` on a fresh
/// clone) before the runtime archive was ever built: cargo builds only the runtime's rlib for
/// meshc, so build the archive the same way (same target directory and profile) and use it.
fn build_runtime_in_checkout(workspace: &Path) -> Option<PathBuf> {
    let exe_dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
    let target_dir = exe_dir.parent()?;
    let profile = exe_dir.file_name()?.to_str()?.to_string();
    if !workspace.join("libmesh_rt/Cargo.toml").is_file() || target_dir.file_name()? != "target" {
        return None;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("meshc: building the Mesh runtime (cargo build -p mesh_rt)");
    let mut cmd = std::process::Command::new(cargo);
    cmd.args(["build", "-q", "-p", "mesh_rt", "--target-dir"])
        .arg(target_dir)
        .current_dir(workspace);
    if profile == "release" {
        cmd.arg("--release");
    }
    let built = cmd.status().ok()?.success();
    let archive = exe_dir.join("libmesh_rt.a");
    (built && archive.is_file()).then_some(archive)
}

//! The compilation driver: reads the project's files, runs the stages in order (parse all →
//! check → lower → generate → link), stops between stages when a stage reported errors, and
//! renders diagnostics. This is the only place that does IO for the compiler.

use crate::project::{self, Project};
use mesh_sema::lower::ModuleInput;
use mesh_syntax::diagnostic::{Code, Diagnostic};
use mesh_syntax::parser;
use mesh_syntax::span::{SourceFile, SourceMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// A command failure: printed as the single `error: …` line (spec tooling §0.3).
#[derive(Debug)]
pub struct CliError {
    message: String,
    /// Emit the summary as JSON too (under `--json`).
    json: bool,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            json: false,
        }
    }

    /// The closing line of a command that already printed diagnostics; under `--json` it is
    /// also emitted as a JSON summary object.
    pub fn summary(message: impl Into<String>, json: bool) -> CliError {
        CliError {
            message: message.into(),
            json,
        }
    }

    /// The text after `error: `.
    #[cfg(test)]
    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn report(&self) {
        if self.json {
            let summary = serde_json_line(&self.message);
            eprintln!("{summary}");
        }
        eprintln!("error: {}", self.message);
    }
}

fn serde_json_line(message: &str) -> String {
    let escaped: String = message
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            '\n' => vec!['\\', 'n'],
            c => vec![c],
        })
        .collect();
    format!(
        r#"{{"code":"C0001","severity":"error","message":"{escaped}","file":"","spans":[],"fix":null}}"#
    )
}

pub struct BuildOptions {
    pub dir: PathBuf,
    pub output: Option<PathBuf>,
    pub opt_level: u8,
    pub emit_llvm: bool,
    pub json: bool,
    pub color: bool,
    pub dump: Option<String>,
    pub for_run: bool,
}

/// `meshc check`: parse and type-check only.
pub fn check(options: &BuildOptions) -> Result<(), CliError> {
    let project = project::load(&options.dir)?;
    frontend(options, &project).map(|_| ())
}

/// `meshc build`: writes the executable and returns its path.
pub fn build(options: &BuildOptions) -> Result<PathBuf, CliError> {
    let started = Instant::now();
    let project = project::load(&options.dir)?;
    let output = output_path(options, &project)?;
    let mut checked = frontend(options, &project)?;
    let mut program = mesh_mir::lower::lower(&mut checked);
    if options.opt_level > 0 {
        mesh_mir::opt::optimise(&mut program);
    }
    if let Err(e) = mesh_mir::verify::verify(&program) {
        panic!("MIR verification failed: {e}");
    }
    if options.dump.as_deref() == Some("mir") {
        print!("{program}");
        return Ok(output);
    }
    let codegen_options = mesh_codegen::Options {
        opt_level: options.opt_level,
        want_llvm_ir: options.emit_llvm,
    };
    let generated = mesh_codegen::generate(&program, &codegen_options).map_err(CliError::new)?;
    let runtime = find_runtime()?;
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::new(format!("cannot create '{}': {e}", parent.display())))?;
    }
    let object = output.with_file_name(format!(".{}.{}.o", file_name(&output), std::process::id()));
    std::fs::write(&object, &generated.object)
        .map_err(|e| CliError::new(format!("cannot write '{}': {e}", object.display())))?;
    let linked = mesh_codegen::link(&object, &runtime, &output);
    let _ = std::fs::remove_file(&object);
    linked.map_err(|e| CliError::new(e.to_string()))?;
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
    let project = project::load(&options.dir)?;
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

fn output_path(options: &BuildOptions, project: &Project) -> Result<PathBuf, CliError> {
    let output = match &options.output {
        Some(o) => o.clone(),
        None => project.root.join(&project.name),
    };
    if output.is_dir() {
        return Err(CliError::new(format!(
            "output path '{}' is a directory; pass --output",
            output.display()
        )));
    }
    Ok(output)
}

/// Parses every module, then checks the program; renders diagnostics and fails on errors.
fn frontend(options: &BuildOptions, project: &Project) -> Result<mesh_sema::Checked, CliError> {
    let mut sources = SourceMap::new();
    let mut parsed = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = project
        .warnings
        .iter()
        .map(|w| Diagnostic::warning(Code::C0001, w.clone()))
        .collect();
    for (path, module) in &project.modules {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::new(format!("cannot read '{}': {e}", path.display())))?;
        let file = sources.add(SourceFile::new(
            path.display().to_string(),
            module.clone(),
            text,
        ));
        let result = parser::parse_module(file, &sources.get(file).text);
        diagnostics.extend(result.diagnostics);
        if let Some(ast) = result.module {
            parsed.push(ModuleInput {
                name: module.clone(),
                ast,
            });
        }
    }
    if !diagnostics.iter().any(Diagnostic::is_error) {
        let graph: Vec<_> = parsed.iter().map(|m| (m.name.as_str(), &m.ast)).collect();
        if let Err(message) = project::check_imports(&graph) {
            render(options, &sources, &diagnostics);
            return Err(CliError::summary(message, options.json));
        }
        let (checked, diags) = mesh_sema::analyze(&parsed, &project.entry_module);
        diagnostics.extend(diags);
        if let Some(checked) = checked {
            render(options, &sources, &diagnostics);
            return Ok(checked);
        }
    }
    render(options, &sources, &diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    Err(CliError {
        message: format!(
            "could not compile '{}' ({errors} errors, {warnings} warnings)",
            project.name
        ),
        json: options.json,
    })
}

fn render(options: &BuildOptions, sources: &SourceMap, diagnostics: &[Diagnostic]) {
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
fn find_runtime() -> Result<PathBuf, CliError> {
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
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| CliError::new("Mesh runtime library not found (set MESH_RT_LIB_PATH)"))
}

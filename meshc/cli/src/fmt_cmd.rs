//! `meshc fmt [PATH…] [--check] [--stdin] [--line-width N] [--indent-size N]` (spec tooling
//! §5.1): formats `.mpl` files in place (atomically: temp file + rename, unchanged files are not
//! touched), or with `--check` lists those that would change, or formats stdin to stdout. The
//! layout and the safety net live in `mesh_syntax::fmt`; this file walks paths, writes files
//! and prints the summaries. A file that does not parse, or whose formatting the safety net
//! refuses, is never written and makes the command exit 1.

use crate::driver::CliError;
use mesh_syntax::diagnostic::Diagnostic;
use mesh_syntax::fmt::{format_source, FmtError, FmtOptions};
use mesh_syntax::span::{SourceFile, SourceMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The parsed command line of `meshc fmt`.
pub struct FmtRequest {
    pub paths: Vec<PathBuf>,
    pub check: bool,
    pub stdin: bool,
    pub options: FmtOptions,
    pub color: bool,
}

/// Runs the command.
pub fn run(req: &FmtRequest) -> Result<ExitCode, CliError> {
    if req.stdin {
        return run_stdin(req);
    }
    let paths = if req.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        req.paths.clone()
    };
    let mut files = Vec::new();
    for path in &paths {
        files.extend(expand(path)?);
    }
    let mut failed = false;
    let mut changed = 0usize;
    let mut out = std::io::stdout().lock();
    for file in &files {
        let src = std::fs::read_to_string(file)
            .map_err(|e| CliError::new(format!("cannot read '{}': {e}", file.display())))?;
        let formatted = match format_source(&src, &req.options) {
            Ok(text) => text,
            Err(FmtError::Parse(diags)) => {
                report_parse(file, &src, &diags, req.color);
                failed = true;
                continue;
            }
            Err(FmtError::Internal(why)) => {
                eprintln!(
                    "error: internal formatter error in {}: {why}",
                    file.display()
                );
                failed = true;
                continue;
            }
        };
        if formatted == src {
            continue;
        }
        changed += 1;
        if req.check {
            let _ = writeln!(out, "would reformat: {}", file.display());
        } else if let Err(e) = write_atomically(file, &formatted) {
            eprintln!("error: cannot write '{}': {e}", file.display());
            failed = true;
        }
    }
    let _ = out.flush();
    if req.check {
        if changed > 0 {
            eprintln!(
                "{changed} file{} would be reformatted",
                if changed == 1 { "" } else { "s" }
            );
            return Ok(ExitCode::from(1));
        }
    } else {
        eprintln!("Formatted {changed} of {} files", files.len());
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_stdin(req: &FmtRequest) -> Result<ExitCode, CliError> {
    let mut src = String::new();
    std::io::stdin()
        .read_to_string(&mut src)
        .map_err(|e| CliError::new(format!("cannot read stdin: {e}")))?;
    let path = Path::new("<stdin>");
    match format_source(&src, &req.options) {
        Ok(text) => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(if req.check && text != src {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Err(FmtError::Parse(diags)) => {
            report_parse(path, &src, &diags, req.color);
            Ok(ExitCode::from(1))
        }
        Err(FmtError::Internal(why)) => Err(CliError::new(format!(
            "internal formatter error in <stdin>: {why}"
        ))),
    }
}

/// The `.mpl` files a path names: the file itself, or those found recursively under a
/// directory (skipping hidden entries, `target/` and `.mesh/`), sorted.
fn expand(path: &Path) -> Result<Vec<PathBuf>, CliError> {
    if !path.exists() {
        return Err(CliError::new(format!(
            "path '{}' does not exist",
            path.display()
        )));
    }
    if path.is_file() {
        if path.extension().and_then(|e| e.to_str()) != Some("mpl") {
            return Err(CliError::new(format!(
                "'{}' is not a .mpl file",
                path.display()
            )));
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    walk(path, &mut found);
    found.sort();
    if found.is_empty() {
        return Err(CliError::new(format!(
            "no .mpl files found under '{}'",
            path.display()
        )));
    }
    Ok(found)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            walk(&path, out);
        } else if name.ends_with(".mpl") {
            out.push(path);
        }
    }
}

/// Writes `text` to a temporary file beside `path` and renames it over `path`, so a reader
/// (or a crash) never sees a half-written file. The original permissions are kept.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let name = path
        .file_name()
        .map_or_else(|| "file".to_string(), |n| n.to_string_lossy().into_owned());
    let tmp = dir
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.meshfmt-{}", std::process::id()));
    let result = (|| {
        std::fs::write(&tmp, text)?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn report_parse(path: &Path, src: &str, diags: &[Diagnostic], color: bool) {
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new(path.display().to_string(), "Main", src));
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = err.write_all(d.render(&sources, color).as_bytes());
    }
    let _ = writeln!(err, "error: could not parse {}", path.display());
}

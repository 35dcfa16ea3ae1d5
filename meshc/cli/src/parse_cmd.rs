//! `meshc parse FILE…`: parses each file on its own and prints `== <path>` and its AST (the
//! `mesh_syntax::printer` dump) to stdout; parse diagnostics go to stderr, rendered by
//! `Diagnostic::render` (ariadne) or as JSON lines (`--format json`, alias `--json`). Exits 0
//! when every file parsed, else 1 after the spec's single `error: …` line (tooling §0.2–§0.3).

use crate::driver::CliError;
use mesh_driver::project;
use mesh_syntax::diagnostic::Diagnostic;
use mesh_syntax::parser::parse_module;
use mesh_syntax::printer::print_module;
use mesh_syntax::span::{SourceFile, SourceMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How diagnostics are written to stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagFormat {
    /// ariadne reports with source excerpts
    Human,
    /// one JSON object per line (spec tooling §1.1.3)
    Json,
}

/// What parsing a list of files produced: the text for each stream and the counts for the
/// final error line.
#[derive(Debug, Default, PartialEq)]
struct Outcome {
    stdout: String,
    stderr: String,
    failed_files: usize,
    errors: usize,
}

/// Runs the command: reads every file first (an unreadable one fails the command before
/// anything is printed), then parses and prints them in order.
pub fn run(files: &[PathBuf], format: DiagFormat, color: bool) -> Result<ExitCode, CliError> {
    let json = format == DiagFormat::Json;
    let mut inputs = Vec::with_capacity(files.len());
    for path in files {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::new(format!("cannot read '{}': {e}", path.display())))?;
        inputs.push((path.clone(), text));
    }
    let outcome = parse_files(inputs, json, color && !json);
    // A closed stdout (`meshc parse f | head`) is not an error of ours.
    let _ = std::io::stdout()
        .lock()
        .write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr()
        .lock()
        .write_all(outcome.stderr.as_bytes());
    if outcome.failed_files == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    Err(CliError::new(format!(
        "could not parse {} of {} file{} ({} error{})",
        outcome.failed_files,
        files.len(),
        plural(files.len()),
        outcome.errors,
        plural(outcome.errors)
    )))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Parses each (path, text) as its own module and collects both output streams.
fn parse_files(inputs: Vec<(PathBuf, String)>, json: bool, color: bool) -> Outcome {
    let mut sources = SourceMap::new();
    let mut outcome = Outcome::default();
    for (path, text) in inputs {
        let module = file_module_name(&path);
        let file = sources.add(SourceFile::new(path.display().to_string(), module, text));
        let src = sources.get(file).text.as_str();
        let parsed = parse_module(file, src);
        let errors = parsed.diagnostics.iter().filter(|d| d.is_error()).count();
        match &parsed.module {
            Some(ast) if errors == 0 => {
                outcome.stdout.push_str(&format!("== {}\n", path.display()));
                outcome.stdout.push_str(&print_module(ast, src));
            }
            _ => {
                outcome.failed_files += 1;
                // The parser always explains a failure; count it as one error if it did not.
                outcome.errors += errors.max(1);
            }
        }
        for d in &parsed.diagnostics {
            outcome.stderr.push_str(&render(d, &sources, json, color));
        }
    }
    outcome
}

fn render(d: &Diagnostic, sources: &SourceMap, json: bool, color: bool) -> String {
    if json {
        d.to_json(sources) + "\n"
    } else {
        d.render(sources, color)
    }
}

/// The module name diagnostics carry: the file name's (`rate_limiter.mpl` → `RateLimiter`).
fn file_module_name(path: &Path) -> String {
    let name = path.file_name().map(Path::new).unwrap_or(path);
    project::module_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, text: &str) -> (PathBuf, String) {
        (PathBuf::from(path), text.to_string())
    }

    #[test]
    fn prints_a_header_and_the_ast_of_each_file() {
        let out = parse_files(
            vec![input("a.mpl", "fn f() = 1\n"), input("b.mpl", "import X\n")],
            false,
            false,
        );
        assert_eq!(
            out.stdout,
            "== a.mpl\n(module @0..10\n  (fn f@3..4 @0..10\n    (params)\n    (body\n      \
             (int 1 @9..10))))\n== b.mpl\n(module @0..8\n  (import X@7..8 @0..8))\n"
        );
        assert_eq!(out.stderr, "");
        assert_eq!((out.failed_files, out.errors), (0, 0));
    }

    #[test]
    fn a_parse_error_goes_to_stderr_and_other_files_still_print() {
        let out = parse_files(
            vec![
                input("bad.mpl", "fn main() do\n  1\n"),
                input("good.mpl", "fn g() = 2\n"),
            ],
            false,
            false,
        );
        assert!(out.stdout.starts_with("== good.mpl\n"), "{}", out.stdout);
        assert!(!out.stdout.contains("bad.mpl"), "{}", out.stdout);
        assert!(
            out.stderr.contains("[P0001] Error: Parse error"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("bad.mpl:"), "{}", out.stderr);
        assert_eq!((out.failed_files, out.errors), (1, 1));
    }

    #[test]
    fn json_diagnostics_are_one_object_per_line() {
        let out = parse_files(vec![input("bad.mpl", "fn main() do\n")], true, false);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}", out.stderr);
        assert!(
            lines[0].starts_with(
                r#"{"code":"P0001","severity":"error","message":"Parse error","file":"bad.mpl""#
            ),
            "{}",
            lines[0]
        );
        assert!(!out.stderr.contains('\u{1b}'), "no ANSI escapes in JSON");
    }

    #[test]
    fn module_names_come_from_the_file_name() {
        assert_eq!(
            file_module_name(Path::new("src/rate_limiter.mpl")),
            "RateLimiter"
        );
    }
}

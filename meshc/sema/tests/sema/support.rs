//! The helpers every sema test goes through: the front end on in-memory sources (`front`),
//! `check_types!` (caret comments name the type of the expression above them) and
//! `check_diag!` (a snapshot of the input and its rendered diagnostics). Kept local to this
//! test crate: the CLI's driver owns the real pipeline over files.

use mesh_sema::lower::ModuleInput;
use mesh_sema::Checked;
use mesh_syntax::diagnostic::{Code, Diagnostic};
use mesh_syntax::parser::parse_module;
use mesh_syntax::span::{FileId, SourceFile, SourceMap, Span};

/// Checks that every caret comment of `src` (`#   ^^^ Int`, under the line it points into)
/// names the inferred type of the expression (or pattern) spanning exactly those columns.
/// On a mismatch, fails with the input rewritten to the actual types.
macro_rules! check_types {
    ($src:expr) => {{
        $crate::support::check_types($src);
    }};
}

/// Runs the front end on `src`, which must report a diagnostic with code `$code`, and
/// snapshots the input with every diagnostic rendered without colour. Every headline must
/// match its code's template, and no message may show an inference variable.
macro_rules! check_diag {
    ($src:expr, $code:ident) => {{
        let snapshot = $crate::support::diag_snapshot($src, mesh_syntax::diagnostic::Code::$code);
        insta::assert_snapshot!(snapshot);
    }};
}

/// The result of running the front end on a test input.
pub struct Front {
    pub sources: SourceMap,
    pub checked: Option<Checked>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One test file: its path, module name and text.
struct Input {
    path: String,
    module: String,
    text: String,
}

/// Splits a test input into files. A single module is `test.mpl` (module `Main`); several are
/// introduced by `#- path.mpl` lines (`#- geo/shapes.mpl` is module `Geo.Shapes`), and the
/// entry module is `Main`.
fn inputs(src: &str) -> Vec<Input> {
    if !src.starts_with("#- ") {
        return vec![Input {
            path: "test.mpl".into(),
            module: "Main".into(),
            text: src.to_string(),
        }];
    }
    let mut out: Vec<Input> = Vec::new();
    for line in src.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("#- ") {
            let path = path.trim().to_string();
            out.push(Input {
                module: module_name(&path),
                path,
                text: String::new(),
            });
        } else if let Some(last) = out.last_mut() {
            last.text.push_str(line);
        }
    }
    out
}

/// `api/router.mpl` → `Api.Router` (the CLI's rule, spec tooling §2).
fn module_name(path: &str) -> String {
    path.trim_end_matches(".mpl")
        .split('/')
        .map(|part| {
            part.split('_')
                .map(|w| {
                    let mut cs = w.chars();
                    cs.next()
                        .map(|c| c.to_uppercase().chain(cs).collect::<String>())
                        .unwrap_or_default()
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Parses every file and, when all parse, lowers and checks them (entry module `Main`).
pub fn front(src: &str) -> Front {
    let mut sources = SourceMap::new();
    let mut modules = Vec::new();
    let mut diagnostics = Vec::new();
    for input in inputs(src) {
        let file = sources.add(SourceFile::new(
            input.path,
            input.module.clone(),
            input.text,
        ));
        let parsed = parse_module(file, &sources.get(file).text);
        diagnostics.extend(parsed.diagnostics);
        if let Some(ast) = parsed.module {
            modules.push(ModuleInput {
                name: input.module,
                ast,
            });
        }
    }
    let mut checked = None;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        let (c, diags) = mesh_sema::analyze(&modules, "Main");
        checked = c;
        diagnostics.extend(diags);
    }
    Front {
        sources,
        checked,
        diagnostics,
    }
}

/// Every diagnostic rendered without colour, in source order (as the driver prints them).
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut ordered: Vec<&Diagnostic> = diagnostics.iter().collect();
    ordered.sort_by_key(|d| {
        d.primary_span()
            .map_or((u32::MAX, u32::MAX), |s| (s.file.0, s.start))
    });
    ordered.iter().map(|d| d.render(sources, false)).collect()
}

fn with_newline(src: &str) -> String {
    if src.ends_with('\n') {
        src.to_string()
    } else {
        format!("{src}\n")
    }
}

/// Whether `text` shows an inference variable (`?17`).
fn shows_inference_variable(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(2)
        .any(|w| w[0] == b'?' && w[1].is_ascii_digit())
}

/// The input, a separator line and the rendered diagnostics; see `check_diag!`.
pub fn diag_snapshot(src: &str, code: Code) -> String {
    let front = front(src);
    let rendered = render(&front.sources, &front.diagnostics);
    assert!(
        front.diagnostics.iter().any(|d| d.code == code),
        "expected a {code} diagnostic for:\n{src}\nbut got:\n{rendered}"
    );
    for d in &front.diagnostics {
        assert!(
            d.code.matches(&d.message),
            "the headline of {} does not match its template {:?}: {}",
            d.code,
            d.code.templates(),
            d.message
        );
        // The spec's E0002 headline names the variable (`infinite type: ?{n} occurs in {T}`).
        if d.code != Code::E0002 {
            let labels = d.labels.iter().map(|l| l.message.as_str());
            let texts = std::iter::once(d.message.as_str())
                .chain(labels)
                .chain(d.notes.iter().map(String::as_str))
                .chain(d.help.as_deref());
            for text in texts {
                assert!(
                    !shows_inference_variable(text),
                    "{} shows an inference variable: {text}",
                    d.code
                );
            }
        }
    }
    format!("{}----- diagnostics -----\n{rendered}", with_newline(src))
}

/// A caret comment: its own line, the line it points into and its columns (in characters).
/// The expected type is the rest of the comment, compared by rewriting the input.
struct Caret {
    line: usize,
    target: usize,
    columns: std::ops::Range<usize>,
}

fn carets(lines: &[&str]) -> Vec<Caret> {
    let mut out = Vec::new();
    let mut target = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix('#') else {
            target = Some(i);
            continue;
        };
        let rest_trimmed = rest.trim_start();
        if !rest_trimmed.starts_with('^') {
            continue;
        }
        let start = line.chars().count() - rest_trimmed.chars().count();
        let width = rest_trimmed.chars().take_while(|&c| c == '^').count();
        let Some(t) = target else {
            panic!("caret comment on line {} points at nothing", i + 1);
        };
        out.push(Caret {
            line: i,
            target: t,
            columns: start..start + width,
        });
    }
    out
}

/// The byte offset of character column `col` of line `line` in `text`.
fn offset(lines: &[&str], line: usize, col: usize) -> usize {
    let start: usize = lines[..line].iter().map(|l| l.len() + 1).sum();
    let in_line = lines[line]
        .char_indices()
        .nth(col)
        .map_or(lines[line].len(), |(b, _)| b);
    start + in_line
}

/// The displayed type of the expression (else pattern, else function name) spanning exactly
/// `span`: the last one allocated when several do (an enclosing node is allocated after its
/// parts).
fn type_at(checked: &mut Checked, span: Span) -> Option<String> {
    let program = &checked.program;
    let ty = (0..program.exprs.len())
        .rev()
        .find(|&i| program.exprs[i].span == span)
        .map(|i| program.expr_types[i])
        .or_else(|| {
            (0..program.pats.len())
                .rev()
                .find(|&i| program.pats[i].span == span)
                .map(|i| program.pat_types[i])
        })
        .or_else(|| {
            let i = program.fns.iter().position(|f| f.name_span == span)?;
            program.fn_types.get(i).map(|t| t.0)
        })?;
    let resolved = checked.types.resolve(ty);
    Some(checked.types.display(resolved))
}

/// See `check_types!`. Works on single-module inputs.
pub fn check_types(src: &str) {
    let mut front = front(src);
    let Some(checked) = front.checked.as_mut() else {
        panic!(
            "expected this input to check:\n{}",
            render(&front.sources, &front.diagnostics)
        );
    };
    let lines: Vec<&str> = src.split('\n').collect();
    let found = carets(&lines);
    assert!(!found.is_empty(), "no caret comment in the input");
    let mut actual: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    for caret in &found {
        let span = Span::new(
            FileId(0),
            offset(&lines, caret.target, caret.columns.start),
            offset(&lines, caret.target, caret.columns.end),
        );
        let shown = type_at(checked, span).unwrap_or_else(|| "<no expression here>".into());
        let line = &lines[caret.line];
        let keep = line
            .char_indices()
            .nth(caret.columns.end)
            .map_or(line.len(), |(b, _)| b);
        actual[caret.line] = format!("{} {shown}", &line[..keep]);
    }
    let actual = actual.join("\n");
    assert!(
        actual == src,
        "inferred types differ from the caret comments:\n--- expected\n{src}\n--- actual\n{actual}"
    );
}

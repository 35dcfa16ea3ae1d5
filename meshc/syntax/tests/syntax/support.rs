//! The helpers every syntax test goes through (STYLE §3): `check_parse!` snapshots an input and
//! its printed AST, `check_diag!` an input and its rendered plain diagnostics. Both are macros so
//! that insta names each snapshot after the calling test.

use mesh_syntax::parser::parse_module;
use mesh_syntax::printer::print_module;
use mesh_syntax::span::{SourceFile, SourceMap};

/// The path diagnostics show for a test input.
pub const PATH: &str = "test.mpl";

/// Parses `src` and snapshots it with its AST: `check_parse!("fn main() do 1 end")`.
/// Panics (so no snapshot is written) when `src` does not parse or a span does not fit it.
macro_rules! check_parse {
    ($src:expr) => {{
        let snapshot = $crate::support::parse_snapshot($src);
        insta::assert_snapshot!(snapshot);
    }};
}

/// Parses `src`, which must fail with a diagnostic whose rendering contains `$expected`, and
/// snapshots the input with the rendered plain diagnostics.
macro_rules! check_diag {
    ($src:expr, $expected:expr) => {{
        let snapshot = $crate::support::diag_snapshot($src, $expected);
        insta::assert_snapshot!(snapshot);
    }};
}

/// Parses `src`, which must fail with exactly one diagnostic per entry of `$expected` (in
/// source order, each rendering containing its entry), and snapshots the input with them.
macro_rules! check_diags {
    ($src:expr, $expected:expr) => {{
        let snapshot = $crate::support::diags_snapshot($src, $expected);
        insta::assert_snapshot!(snapshot);
    }};
}

/// The input, a separator line and the printed AST.
pub fn parse_snapshot(src: &str) -> String {
    let (sources, file) = source_map(src);
    let parsed = parse_module(file, src);
    let Some(module) = parsed.module else {
        let rendered = render(&sources, &parsed.diagnostics);
        panic!("expected this input to parse:\n{src}\nbut got:\n{rendered}");
    };
    let ast = print_module(&module, src);
    assert!(
        !has_bad_span(&ast),
        "a span does not fit the source:\n{ast}"
    );
    format!("{}----- ast -----\n{ast}", with_newline(src))
}

/// The input, a separator line and every diagnostic rendered without colour.
pub fn diag_snapshot(src: &str, expected: &str) -> String {
    let (sources, file) = source_map(src);
    let parsed = parse_module(file, src);
    if let Some(module) = parsed.module {
        panic!(
            "expected a parse error for:\n{src}\nbut it parsed:\n{}",
            print_module(&module, src)
        );
    }
    assert!(
        !parsed.diagnostics.is_empty(),
        "no module and no diagnostic"
    );
    let rendered = render(&sources, &parsed.diagnostics);
    assert!(
        rendered.contains(expected),
        "expected the diagnostics to contain {expected:?}:\n{rendered}"
    );
    format!("{}----- diagnostics -----\n{rendered}", with_newline(src))
}

/// Like `diag_snapshot`, for an input with several independent errors.
pub fn diags_snapshot(src: &str, expected: &[&str]) -> String {
    let (sources, file) = source_map(src);
    let parsed = parse_module(file, src);
    assert!(parsed.module.is_none(), "expected parse errors for:\n{src}");
    let rendered: Vec<String> = parsed
        .diagnostics
        .iter()
        .map(|d| d.render(&sources, false))
        .collect();
    assert_eq!(
        rendered.len(),
        expected.len(),
        "expected {} diagnostics, got:\n{}",
        expected.len(),
        rendered.concat()
    );
    for (r, e) in rendered.iter().zip(expected) {
        assert!(
            r.contains(e),
            "expected a diagnostic containing {e:?}, got:\n{r}"
        );
    }
    format!(
        "{}----- diagnostics -----\n{}",
        with_newline(src),
        rendered.concat()
    )
}

/// A one-file source map holding `src` as `test.mpl`.
pub fn source_map(src: &str) -> (SourceMap, mesh_syntax::span::FileId) {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new(PATH, "Test", src));
    (sources, file)
}

pub fn render(sources: &SourceMap, diagnostics: &[mesh_syntax::diagnostic::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.render(sources, false))
        .collect()
}

fn with_newline(src: &str) -> String {
    if src.ends_with('\n') {
        src.to_string()
    } else {
        format!("{src}\n")
    }
}

/// Whether the printer marked a span as not fitting the source (`@3..99!`).
pub fn has_bad_span(ast: &str) -> bool {
    let bytes = ast.as_bytes();
    ast.match_indices('@').any(|(at, _)| {
        let rest = &bytes[at + 1..];
        let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
        let n = digits(rest);
        if n == 0 || !rest[n..].starts_with(b"..") {
            return false;
        }
        let m = digits(&rest[n + 2..]);
        m > 0 && rest.get(n + 2 + m) == Some(&b'!')
    })
}

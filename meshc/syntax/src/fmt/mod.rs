//! The source formatter behind `meshc fmt` (spec tooling §5): canonical layout of a parsed file,
//! with a safety net that re-parses the result and refuses it unless its syntax tree (spans
//! aside) and its comments equal the input's.
//!
//! *Decision:* the formatter works on the token stream (with the comments merged back in by
//! position) rather than printing the AST. Mesh newlines are significant in block contexts
//! (spec language §1.2), so the line structure of the input is kept: statements are never
//! joined, literals are copied verbatim from the source (so number bases, escapes and heredocs
//! survive), and what changes is indentation (`layout.rs`, derived from the nesting of `do`
//! blocks, brackets, arrow closures and pipe/arm continuations), spacing between tokens
//! (`spacing.rs`), blank lines, trailing commas and the breaking of over-long bracket groups
//! and pipe chains (`breaking.rs`). Because the output depends only on the tokens, the line
//! breaks and the comments, formatting is idempotent.

mod breaking;
mod layout;
mod spacing;

use crate::comments::Comment;
use crate::diagnostic::Diagnostic;
use crate::parser::parse_module;
use crate::printer::print_module;
use crate::span::FileId;

/// Layout options (`--line-width`, `--indent-size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FmtOptions {
    pub line_width: usize,
    pub indent_size: usize,
}

impl Default for FmtOptions {
    fn default() -> Self {
        FmtOptions {
            line_width: 100,
            indent_size: 2,
        }
    }
}

/// Why a source text was not formatted.
#[derive(Debug)]
pub enum FmtError {
    /// The input does not parse: its diagnostics (rendered by the caller).
    Parse(Vec<Diagnostic>),
    /// The safety net refused the output: what differed.
    Internal(String),
}

/// Formats `src`. The result parses to the same syntax tree (spans aside) with the same
/// comments, or an error is returned and nothing should be written.
pub fn format_source(src: &str, opts: &FmtOptions) -> Result<String, FmtError> {
    let file = FileId(0);
    let parsed = parse_module(file, src);
    let Some(before) = parsed.module else {
        return Err(FmtError::Parse(parsed.diagnostics));
    };
    let out = format_unchecked(src, opts);
    let after = parse_module(file, &out)
        .module
        .ok_or_else(|| FmtError::Internal("the formatted text does not parse".to_string()))?;
    if strip_spans(&print_module(&before, src)) != strip_spans(&print_module(&after, &out)) {
        return Err(FmtError::Internal(
            "output would change the program".to_string(),
        ));
    }
    if comment_key(&before.comments.list) != comment_key(&after.comments.list) {
        return Err(FmtError::Internal(
            "output would change the comments".to_string(),
        ));
    }
    Ok(out)
}

/// The formatted text without the safety net (used by `format_source` and by tests that
/// look at the layout of inputs the check would refuse). Input that does not lex is returned
/// with only its whitespace normalised.
pub fn format_unchecked(src: &str, opts: &FmtOptions) -> String {
    let lines = layout::layout(src);
    let lines = breaking::break_long_lines(lines, opts);
    layout::render(&lines, opts)
}

/// The AST printer's output with every `@start..end` span atom removed.
pub fn strip_spans(printed: &str) -> String {
    let bytes = printed.as_bytes();
    let mut out = String::with_capacity(printed.len());
    let mut i = 0;
    while i < printed.len() {
        if bytes[i] == b'@' {
            if let Some(len) = span_atom_len(&bytes[i + 1..]) {
                i += 1 + len;
                continue;
            }
        }
        let ch_len = printed[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&printed[i..i + ch_len]);
        i += ch_len;
    }
    out
}

/// Length of `digits..digits[!]` at the start of `b`, if it is one.
fn span_atom_len(b: &[u8]) -> Option<usize> {
    let first = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if first == 0 || b.get(first..first + 2) != Some(b"..") {
        return None;
    }
    let second = b[first + 2..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if second == 0 {
        return None;
    }
    let mut len = first + 2 + second;
    if b.get(len) == Some(&b'!') {
        len += 1;
    }
    Some(len)
}

/// What must survive formatting of the comments: kind and text (trailing spaces aside).
fn comment_key(list: &[Comment]) -> Vec<(crate::lexer::CommentKind, String)> {
    list.iter()
        .map(|c| {
            let text: Vec<&str> = c.text.lines().map(str::trim_end).collect();
            (c.kind, text.join("\n").trim_end().to_string())
        })
        .collect()
}

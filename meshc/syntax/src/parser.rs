//! Parsing entry point: lexes, runs the generated LR(1) parser and maps its errors to the
//! spec's parse diagnostics (code P0001, headline "Parse error", the message as the label).

use crate::ast::{BinOp, Expr, ExprKind, Module};
use crate::diagnostic::Diagnostic;
use crate::lexer::{self, LexError};
use crate::span::{FileId, Span};
use crate::token::Token;
use lalrpop_util::ParseError;

#[allow(
    clippy::all,
    clippy::unwrap_used,
    unused_parens,
    dead_code,
    unused_imports
)]
mod generated {
    lalrpop_util::lalrpop_mod!(pub grammar);
}

/// An error raised by a grammar action (a construct that parses but is malformed).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

/// The result of parsing one file: the module when parsing succeeded, and every diagnostic.
pub struct Parsed {
    pub module: Option<Module>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one source file. Lexical errors are all reported; the parser stops at the first
/// syntax error of the file (spec §5.8).
pub fn parse_module(file: FileId, src: &str) -> Parsed {
    let lexed = lexer::lex(src);
    if !lexed.errors.is_empty() {
        let diagnostics = lexed
            .errors
            .iter()
            .map(|e| lex_diagnostic(file, e))
            .collect();
        return Parsed {
            module: None,
            diagnostics,
        };
    }
    let tokens = merge_else_if(lexed.tokens)
        .into_iter()
        .map(Ok::<_, ActionError>);
    match generated::grammar::ModuleParser::new().parse(file, tokens) {
        Ok(module) => Parsed {
            module: Some(module),
            diagnostics: vec![],
        },
        Err(e) => Parsed {
            module: None,
            diagnostics: vec![parse_diagnostic(file, src.len(), e)],
        },
    }
}

/// Merges `else` directly followed by `if` into one `ElseIf` token.
fn merge_else_if(tokens: Vec<lexer::Spanned>) -> Vec<lexer::Spanned> {
    let mut out: Vec<lexer::Spanned> = Vec::with_capacity(tokens.len());
    for (l, tok, r) in tokens {
        if tok == Token::If {
            if let Some(last) = out.last_mut() {
                if last.1 == Token::Else {
                    *last = (last.0, Token::ElseIf, r);
                    continue;
                }
            }
        }
        out.push((l, tok, r));
    }
    out
}

fn lex_diagnostic(file: FileId, e: &LexError) -> Diagnostic {
    Diagnostic::error("P0001", "Parse error")
        .with_label(Span::new(file, e.start, e.end), e.message())
}

fn parse_diagnostic(
    file: FileId,
    eof: usize,
    e: ParseError<usize, Token, ActionError>,
) -> Diagnostic {
    let (start, end, message) = match e {
        ParseError::InvalidToken { location } => (location, location, "invalid token".to_string()),
        ParseError::UnrecognizedEof { location, expected } => {
            (location, location.max(eof), eof_message(&expected))
        }
        ParseError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => (l, r, unexpected_message(&tok, &expected)),
        ParseError::ExtraToken { token: (l, tok, r) } => {
            (l, r, format!("unexpected {}", tok.describe()))
        }
        ParseError::User { error } => (error.start, error.end, error.message),
    };
    Diagnostic::error("P0001", "Parse error").with_label(Span::new(file, start, end), message)
}

fn expects(expected: &[String], terminal: &str) -> bool {
    expected.iter().any(|e| e == terminal)
}

fn expects_expression(expected: &[String]) -> bool {
    expects(expected, "INT") && expects(expected, "IDENT")
}

fn eof_message(expected: &[String]) -> String {
    if expects(expected, "\"end\"") {
        "expected `end` to close `do` block".into()
    } else if expects_expression(expected) {
        "expected expression".into()
    } else {
        format!("unexpected end of file; expected {}", list(expected))
    }
}

fn unexpected_message(found: &Token, expected: &[String]) -> String {
    if expects_expression(expected) && !expects(expected, "\"end\"") {
        return format!("expected expression, found {}", found.describe());
    }
    if expects(expected, "\"=\"") && expects(expected, "\"do\"") {
        return format!(
            "expected `=` or `do` for function body, found {}",
            found.describe()
        );
    }
    if matches!(found, Token::Newline) && expects(expected, "\"end\"") && expected.len() <= 3 {
        return "expected `end` to close `do` block".into();
    }
    format!(
        "unexpected {}; expected {}",
        found.describe(),
        list(expected)
    )
}

fn list(expected: &[String]) -> String {
    let mut names: Vec<String> = expected
        .iter()
        .map(|e| match e.as_str() {
            "INT" => "integer".to_string(),
            "FLOAT" => "float".to_string(),
            "STR" | "STR_BEGIN" => "string".to_string(),
            "IDENT" | "UIDENT" => "identifier".to_string(),
            "NL" => "newline".to_string(),
            other => format!("`{}`", other.trim_matches('"')),
        })
        .collect();
    names.dedup();
    match names.len() {
        0 => "nothing".into(),
        1 => names.remove(0),
        _ if names.len() > 6 => format!("{} or …", names[..6].join(", ")),
        _ => names.join(", "),
    }
}

/// Builds a binary expression node (used by grammar actions).
pub(crate) fn binary(file: FileId, l: usize, r: usize, op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    Expr {
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        span: Span::new(file, l, r),
    }
}

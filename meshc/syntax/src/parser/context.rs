//! Sharper parse messages from the tokens around an error: the spec's wording for malformed
//! `@cluster` attributes, glob imports, legacy `clustered(...)` declarations, `pub` inside a
//! block, non-identifier `json { }` keys, and which block an end of file leaves open (spec
//! §3.1.1, §2.3, §4.3, §5.8).

use super::missing_end;
use crate::diagnostic::Diagnostic;
use crate::lexer::Spanned;
use crate::span::Span;
use crate::token::Token;

/// Replaces the primary label of a parse diagnostic when the tokens show what went wrong.
/// `expects_end`: the parser would have accepted an `end` at the error.
pub fn refine(mut d: Diagnostic, tokens: &[Spanned], src: &str, expects_end: bool) -> Diagnostic {
    let Some(label) = d.labels.first_mut() else {
        return d;
    };
    let at = label.span.start as usize;
    let file = label.span.file;
    let index = tokens
        .iter()
        .position(|(l, _, _)| *l >= at)
        .unwrap_or(tokens.len());
    let before = &tokens[..index];
    let found = tokens.get(index).map(|t| &t.1);
    let next = tokens.get(index + 1).map(|t| &t.1);
    if let Some(help) = reserved_word(before, found, next).or_else(|| list_pattern(before, found)) {
        d.help = Some(help);
    }
    let Some(label) = d.labels.first_mut() else {
        return d;
    };
    if let Some(message) = cluster(before, found).or_else(|| misc(before, found)) {
        label.message = message.to_string();
        return d;
    }
    // A missing `end`: at the end of the input, or where a line starts that the parser
    // could have met an `end` before.
    let starts_line = src
        .get(..at)
        .is_some_and(|b| b[b.rfind('\n').map_or(0, |i| i + 1)..].trim().is_empty());
    if found.is_none() || (expects_end && starts_line) {
        // The offending token too: its own line may be what shows a block ended.
        let upto = &tokens[..(index + 1).min(tokens.len())];
        if let Some(missing) = missing_end::find(src, upto, found.is_none()) {
            // One column just after the block's last token (its line's newline, when there
            // is one), where the `end` belongs.
            let width = src[missing.at..].chars().next().map_or(0, char::len_utf8);
            label.span = Span::new(file, missing.at, missing.at + width);
            label.message = missing.message.to_string();
            let (from, to) = missing.opener;
            return d.with_label(Span::new(file, from, to), "this block has no `end`");
        }
    }
    if let Some(message) = open_block(before, found) {
        label.message = message.to_string();
    }
    d
}

fn kind(tokens: &[Spanned], back: usize) -> Option<&Token> {
    tokens
        .len()
        .checked_sub(back)
        .and_then(|i| tokens.get(i))
        .map(|t| &t.1)
}

/// `@cluster` forms (spec §3.1.1).
fn cluster(before: &[Spanned], found: Option<&Token>) -> Option<&'static str> {
    let at = before.iter().rposition(|t| t.1 == Token::At)?;
    let tail: Vec<&Token> = before[at + 1..].iter().map(|t| &t.1).collect();
    if tail.len() > 4 {
        return None;
    }
    match (tail.as_slice(), found) {
        ([], _) => Some("expected `cluster` after `@`"),
        ([Token::Cluster, Token::LParen], _) => {
            Some("expected integer replication count inside `@cluster(...)`")
        }
        ([Token::Cluster, Token::LParen, Token::Minus], _) => {
            Some("expected integer replication count inside `@cluster(...)`")
        }
        (
            [Token::Cluster, Token::LParen, Token::Int(_)]
            | [Token::Cluster, Token::LParen, Token::Minus, Token::Int(_)],
            Some(Token::Comma),
        ) => Some("expected exactly one replication count in `@cluster(N)`"),
        (
            [Token::Cluster, Token::LParen, Token::Int(_)]
            | [Token::Cluster, Token::LParen, Token::Minus, Token::Int(_)],
            _,
        ) => Some("expected `)` to close `@cluster(...)`"),
        ([Token::Cluster, ..], _) => Some("expected `fn` or `def` after `@cluster`"),
        _ => None,
    }
}

fn misc(before: &[Spanned], found: Option<&Token>) -> Option<&'static str> {
    if kind(before, 1) == Some(&Token::Import) && found == Some(&Token::Star) {
        return Some("glob imports are not allowed; import names explicitly");
    }
    if matches!(found, Some(Token::Str(_) | Token::StrBegin | Token::Int(_)))
        && matches!(kind(before, 1), Some(Token::JsonBrace | Token::Comma))
        && inside_json(before)
    {
        return Some("expected identifier key in json literal");
    }
    let legacy = before
        .first()
        .is_some_and(|t| matches!(&t.1, Token::Ident(w) if w == "clustered"));
    if legacy && before.get(1).is_some_and(|t| t.1 == Token::LParen) {
        return Some("legacy `clustered(work)` declarations are no longer supported; migrate to `@cluster` or `@cluster(N)` before `fn`/`def`");
    }
    if found == Some(&Token::Pub) {
        // `pub` is valid wherever an item may start, so an error on it is in a block.
        return Some("`pub` is not allowed on a declaration inside a block");
    }
    None
}

/// A reserved word where a name belongs (`let end = 1`, `fn type()`, a parameter `end ::`).
fn reserved_word(
    before: &[Spanned],
    found: Option<&Token>,
    next: Option<&Token>,
) -> Option<String> {
    let found = found?;
    let word = found.to_string();
    let is_keyword = !matches!(
        found,
        Token::Ident(_) | Token::UpperIdent(_) | Token::Newline
    ) && !word.is_empty()
        && word.chars().all(|c| c.is_ascii_lowercase());
    if !is_keyword {
        return None;
    }
    let names_follow = matches!(
        kind(before, 1),
        Some(
            Token::Let
                | Token::Fn
                | Token::Def
                | Token::LocalFn
                | Token::For
                | Token::Struct
                | Token::Type
                | Token::Interface
                | Token::Actor
                | Token::Service
                | Token::Supervisor
                | Token::Module
        )
    );
    let parameter = matches!(kind(before, 1), Some(Token::LParen | Token::Comma))
        && next == Some(&Token::ColonColon);
    (names_follow || parameter)
        .then(|| format!("`{word}` is a reserved word and cannot be used as a name"))
}

/// A list literal where a pattern belongs: the spec has no list patterns (§4.7).
fn list_pattern(before: &[Spanned], found: Option<&Token>) -> Option<String> {
    if found != Some(&Token::LBracket) {
        return None;
    }
    let in_arms = matches!(innermost_block(before), Some("case" | "receive"));
    let pattern_start = match kind(before, 1) {
        Some(Token::Let | Token::Bar | Token::ColonColon) => true,
        Some(Token::Newline | Token::Do) => in_arms,
        _ => false,
    };
    pattern_start.then(|| {
        "there are no list-literal patterns: match a list with `head :: tail` and `_` \
         (`a :: b :: _` for two or more elements)"
            .to_string()
    })
}

/// The kind of the innermost `do` block open at the end of `before`.
fn innermost_block(before: &[Spanned]) -> Option<&'static str> {
    let mut stack: Vec<&'static str> = Vec::new();
    let mut pending: Option<&'static str> = None;
    for (_, t, _) in before {
        match t {
            Token::Case | Token::Match => pending = Some("case"),
            Token::Receive => pending = Some("receive"),
            Token::Fn | Token::LocalFn if pending.is_none() => pending = Some("fn"),
            Token::Arrow if pending == Some("fn") => pending = Some("closure"),
            Token::Do => stack.push(match pending.take() {
                Some(kind @ ("case" | "receive")) => kind,
                _ => "do",
            }),
            // An arrow closure's `end` closes no `do` block.
            Token::End if pending == Some("closure") => pending = None,
            Token::End => {
                stack.pop();
            }
            Token::Newline | Token::Semi if pending != Some("closure") => pending = None,
            _ => {}
        }
    }
    stack.last().copied()
}

/// Whether the innermost open bracket is a `json {`.
fn inside_json(before: &[Spanned]) -> bool {
    let mut depth = 0usize;
    for (_, t, _) in before.iter().rev() {
        match t {
            Token::RBrace | Token::RParen | Token::RBracket => depth += 1,
            Token::JsonBrace if depth == 0 => return true,
            Token::LBrace
            | Token::PercentBrace
            | Token::JsonBrace
            | Token::LParen
            | Token::LBracket => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    false
}

/// At the end of the file: which construct's `end` is missing.
fn open_block(before: &[Spanned], found: Option<&Token>) -> Option<&'static str> {
    let mut stack: Vec<&'static str> = Vec::new();
    let mut pending: Option<&'static str> = None;
    // An arrow closure that took an `end` when a block's `end` went missing is the likely
    // culprit (its body ran on past the line the user meant it to end on).
    let mut closure_took_end = false;
    for (_, t, _) in before {
        match t {
            Token::Case | Token::Match => pending = Some("case"),
            Token::Receive => pending = Some("receive"),
            Token::Fn if pending.is_none() => pending = Some("fn"),
            Token::Arrow if pending == Some("fn") => pending = Some("closure"),
            Token::Do => {
                let owner = match pending.take() {
                    Some("closure") | Some("fn") | None => "do",
                    Some(other) => other,
                };
                stack.push(owner);
            }
            Token::End => {
                if pending == Some("closure") {
                    pending = None;
                    closure_took_end = true;
                } else {
                    stack.pop();
                }
            }
            Token::Newline | Token::Semi if pending != Some("closure") => pending = None,
            _ => {}
        }
    }
    if pending == Some("closure") || (found.is_none() && closure_took_end && !stack.is_empty()) {
        return Some("unclosed closure -- expected `end`");
    }
    if found.is_some() {
        return None;
    }
    match stack.last() {
        Some(&"case") => Some("expected `end` to close `case` block"),
        Some(&"receive") => Some("expected `end` to close `receive` block"),
        _ => None,
    }
}

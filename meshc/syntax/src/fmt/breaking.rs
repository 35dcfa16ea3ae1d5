//! Line breaking (spec tooling §5.2 rule 6): a pipe chain with two or more `|>` gets one stage
//! per line, and a line wider than the line width breaks its first bracket group — one element
//! per line, indented once, the closing bracket on its own line. Only lines without blocks,
//! closures or comments are broken: newlines inside brackets are insignificant (spec language
//! §1.2) and a leading `|>` continues the expression, so the result means the same program.

use super::layout::{line_text, Atom, Line};
use super::spacing::Role;
use super::FmtOptions;
use crate::token::Token;

/// Splits pipe chains and over-long bracket groups; other lines are returned unchanged.
pub(crate) fn break_long_lines(lines: Vec<Line>, opts: &FmtOptions) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let mut work = vec![line];
        while let Some(line) = work.pop() {
            let parts = split_import(&line, opts)
                .or_else(|| split_pipes(&line))
                .or_else(|| split_group(&line, opts));
            if let Some(parts) = parts {
                work.extend(parts.into_iter().rev());
            } else {
                out.push(line);
            }
        }
    }
    out
}

/// Whether a line may be re-broken: no comments or multi-line atoms on it.
fn breakable(line: &Line) -> bool {
    line.atoms
        .iter()
        .all(|a| !a.is_comment() && !a.text.contains('\n'))
}

/// What is open within a line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Bracket,
    Do,
    FnPending,
    FnArrow,
}

/// For each atom, the number of constructs of the line open before it; `None` when the line
/// closes something it did not open (it continues a construct from an earlier line) or
/// leaves something open.
fn nesting(atoms: &[Atom]) -> Option<Vec<(usize, Option<Open>)>> {
    let mut stack: Vec<Open> = Vec::new();
    let mut out = Vec::with_capacity(atoms.len());
    for (i, a) in atoms.iter().enumerate() {
        out.push((stack.len(), stack.last().copied()));
        let Some(tok) = a.tok.as_ref() else {
            continue;
        };
        match tok {
            Token::LParen
            | Token::LBracket
            | Token::LBrace
            | Token::PercentBrace
            | Token::JsonBrace => stack.push(Open::Bracket),
            Token::RParen | Token::RBracket | Token::RBrace
                if stack.pop() != Some(Open::Bracket) =>
            {
                return None;
            }
            Token::Fn => {
                let decl = i == 0
                    || matches!(
                        atoms[i - 1].tok,
                        Some(Token::Pub) | Some(Token::RParen) | Some(Token::Cluster)
                    );
                if !decl {
                    stack.push(Open::FnPending);
                }
            }
            Token::Arrow if stack.last() == Some(&Open::FnPending) => {
                stack.pop();
                stack.push(Open::FnArrow);
            }
            Token::Do => {
                if stack.last() == Some(&Open::FnPending) {
                    stack.pop();
                }
                stack.push(Open::Do);
            }
            Token::End if !matches!(stack.pop(), Some(Open::Do) | Some(Open::FnArrow)) => {
                return None;
            }
            Token::Else | Token::LocalFn | Token::Def => return None,
            _ => {}
        }
    }
    stack.is_empty().then_some(out)
}

fn is_pipe(a: &Atom) -> bool {
    matches!(a.tok, Some(Token::Pipe) | Some(Token::SlotPipe(_)))
}

fn is_open_bracket(a: &Atom) -> bool {
    matches!(
        a.tok,
        Some(Token::LParen)
            | Some(Token::LBracket)
            | Some(Token::LBrace)
            | Some(Token::PercentBrace)
            | Some(Token::JsonBrace)
    )
}

/// `from M import a, b` that does not fit becomes the parenthesised form, and a parenthesised
/// import on one line is printed one name per line.
fn split_import(line: &Line, opts: &FmtOptions) -> Option<Vec<Line>> {
    if !breakable(line) || !line.atoms.first()?.is(&Token::From) {
        return None;
    }
    let atoms: Vec<Atom> = line
        .atoms
        .iter()
        .filter(|a| a.role != Role::DropComma)
        .cloned()
        .collect();
    let k = atoms.iter().position(|a| a.is(&Token::Import))?;
    let parenthesised = atoms.get(k + 1)?.is(&Token::LParen);
    let names: Vec<Atom> = if parenthesised {
        if !atoms.last()?.is(&Token::RParen) {
            return None;
        }
        atoms[k + 2..atoms.len() - 1].to_vec()
    } else {
        let width = line.indent * opts.indent_size + line_text(&atoms).chars().count();
        if width <= opts.line_width {
            return None;
        }
        atoms[k + 1..].to_vec()
    };
    let paren = |tok: Token, text: &str| Atom {
        text: text.to_string(),
        tok: Some(tok),
        role: Role::Plain,
        gap: true,
        breaks: 0,
    };
    let mut head = atoms[..=k].to_vec();
    head.push(paren(Token::LParen, "("));
    let mut parts = vec![Line {
        indent: line.indent,
        atoms: head,
        blank_before: line.blank_before,
    }];
    for chunk in names.split_inclusive(|a| a.is(&Token::Comma)) {
        parts.push(Line {
            indent: line.indent + 1,
            atoms: chunk.to_vec(),
            blank_before: false,
        });
    }
    parts.push(Line {
        indent: line.indent,
        atoms: vec![paren(Token::RParen, ")")],
        blank_before: false,
    });
    Some(parts)
}

/// `a |> f |> g` → `a` / `|> f` / `|> g` (one level deeper than `a`).
fn split_pipes(line: &Line) -> Option<Vec<Line>> {
    if !breakable(line) {
        return None;
    }
    let depth = nesting(&line.atoms)?;
    let pipes: Vec<usize> = (0..line.atoms.len())
        .filter(|&i| is_pipe(&line.atoms[i]))
        .collect();
    if pipes.len() < 2 || pipes.iter().any(|&i| depth[i].0 != 0) {
        return None;
    }
    let leading = pipes[0] == 0;
    let stage_indent = if leading {
        line.indent
    } else {
        line.indent + 1
    };
    let cuts: Vec<usize> = pipes.into_iter().filter(|&i| i > 0).collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for &cut in cuts.iter().chain(std::iter::once(&line.atoms.len())) {
        parts.push(Line {
            indent: if start == 0 {
                line.indent
            } else {
                stage_indent
            },
            atoms: line.atoms[start..cut].to_vec(),
            blank_before: start == 0 && line.blank_before,
        });
        start = cut;
    }
    Some(parts)
}

/// Breaks the widest bracket group of a line that does not fit the width.
fn split_group(line: &Line, opts: &FmtOptions) -> Option<Vec<Line>> {
    let atoms: Vec<Atom> = line
        .atoms
        .iter()
        .filter(|a| a.role != Role::DropComma)
        .cloned()
        .collect();
    let width = line.indent * opts.indent_size + line_text(&atoms).chars().count();
    if width <= opts.line_width || !breakable(line) {
        return None;
    }
    let depth = nesting(&atoms)?;
    // Candidate groups: brackets opened at nesting 0, with their closer.
    let mut best: Option<(usize, usize)> = None;
    for open in (0..atoms.len()).filter(|&i| depth[i].0 == 0 && is_open_bracket(&atoms[i])) {
        let close = (open + 1..atoms.len())
            .find(|&j| depth[j].0 == 1 && depth[j + 1..].first().is_none_or(|d| d.0 == 0))?;
        if close > open + 1 && best.is_none_or(|(o, c)| close - open > c - o) {
            best = Some((open, close));
        }
    }
    let (open, close) = best?;
    let commas: Vec<usize> = (open + 1..close)
        .filter(|&i| depth[i] == (1, Some(Open::Bracket)) && atoms[i].is(&Token::Comma))
        .collect();
    let inner = line.indent + 1;
    let mut parts = vec![Line {
        indent: line.indent,
        atoms: atoms[..=open].to_vec(),
        blank_before: line.blank_before,
    }];
    let mut start = open + 1;
    let ends: Vec<usize> = commas
        .iter()
        .map(|c| c + 1)
        .chain(std::iter::once(close))
        .collect();
    for end in ends {
        if end > start {
            parts.push(Line {
                indent: inner,
                atoms: atoms[start..end].to_vec(),
                blank_before: false,
            });
        }
        start = end;
    }
    parts.push(Line {
        indent: line.indent,
        atoms: atoms[close..].to_vec(),
        blank_before: false,
    });
    Some(parts)
}

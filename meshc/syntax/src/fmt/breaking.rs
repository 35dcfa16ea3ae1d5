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
            if let Some(parts) = split_pipes(&line).or_else(|| split_group(&line, opts)) {
                work.extend(parts.into_iter().rev());
            } else {
                out.push(line);
            }
        }
    }
    out
}

/// Whether a line may be re-broken: no comments, blocks or closures on it.
fn breakable(line: &Line) -> bool {
    line.atoms.iter().all(|a| {
        !a.is_comment()
            && !matches!(
                a.tok,
                Some(Token::Do)
                    | Some(Token::End)
                    | Some(Token::Fn)
                    | Some(Token::LocalFn)
                    | Some(Token::Def)
                    | Some(Token::Else)
            )
            && !a.text.contains('\n')
    })
}

fn delta(a: &Atom) -> isize {
    match a.tok {
        Some(Token::LParen)
        | Some(Token::LBracket)
        | Some(Token::LBrace)
        | Some(Token::PercentBrace)
        | Some(Token::JsonBrace) => 1,
        Some(Token::RParen) | Some(Token::RBracket) | Some(Token::RBrace) => -1,
        _ => 0,
    }
}

fn is_pipe(a: &Atom) -> bool {
    matches!(a.tok, Some(Token::Pipe) | Some(Token::SlotPipe(_)))
}

/// `a |> f |> g` → `a` / `|> f` / `|> g` (one level deeper than `a`).
fn split_pipes(line: &Line) -> Option<Vec<Line>> {
    if !breakable(line) {
        return None;
    }
    let mut depth = 0isize;
    let mut cuts = Vec::new();
    for (i, a) in line.atoms.iter().enumerate() {
        if depth == 0 && is_pipe(a) && i > 0 {
            cuts.push(i);
        }
        depth += delta(a);
        if depth < 0 {
            return None;
        }
    }
    let pipes = line.atoms.iter().filter(|a| is_pipe(a)).count();
    let depth0 = cuts.len() + usize::from(line.atoms.first().is_some_and(is_pipe));
    if depth0 < 2 || depth0 != pipes || depth != 0 {
        return None;
    }
    let stage_indent = if line.atoms.first().is_some_and(is_pipe) {
        line.indent
    } else {
        line.indent + 1
    };
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

/// Breaks the first bracket group of a line that does not fit the width.
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
    let open = atoms.iter().position(|a| delta(a) == 1)?;
    let mut depth = 0isize;
    let mut close = None;
    let mut commas = Vec::new();
    for (i, a) in atoms.iter().enumerate().skip(open) {
        depth += delta(a);
        if depth == 1 && a.is(&Token::Comma) {
            commas.push(i);
        }
        if depth == 0 {
            close = Some(i);
            break;
        }
    }
    let close = close?;
    if close == open + 1 {
        return None;
    }
    let inner = line.indent + 1;
    let mut parts = vec![Line {
        indent: line.indent,
        atoms: atoms[..=open].to_vec(),
        blank_before: line.blank_before,
    }];
    let mut start = open + 1;
    for &end in commas
        .iter()
        .map(|c| c + 1)
        .collect::<Vec<_>>()
        .iter()
        .chain(std::iter::once(&close))
    {
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

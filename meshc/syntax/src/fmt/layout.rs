//! The formatter's line model: the file's tokens and comments as atoms (source text kept
//! verbatim, an interpolated string as one atom), grouped into the input's lines, with the
//! indentation and blank lines of spec tooling §5.2 rules 1–4 computed from a stack of open
//! constructs (`do` blocks, brackets, arrow closures), and the final rendering to text.

use super::spacing::{self, Role};
use super::FmtOptions;
use crate::lexer::{self, CommentKind};
use crate::token::Token;

/// One token or comment of the output.
#[derive(Debug, Clone)]
pub(crate) struct Atom {
    /// The text to print (a token's source text; a comment with trailing spaces trimmed).
    pub text: String,
    /// The token, or `None` for a comment.
    pub tok: Option<Token>,
    pub role: Role,
    /// Whether whitespace separated it from the previous atom in the input.
    pub gap: bool,
    /// Line breaks between the previous atom and this one in the input.
    pub breaks: usize,
}

impl Atom {
    pub fn is(&self, t: &Token) -> bool {
        self.tok.as_ref() == Some(t)
    }
    pub fn is_comment(&self) -> bool {
        self.tok.is_none()
    }
}

/// One output line: its indentation level and atoms.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub indent: usize,
    pub atoms: Vec<Atom>,
    pub blank_before: bool,
}

/// What is open at a point of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Do,
    Bracket,
    /// A closure `fn` before its `->` or `do`.
    FnPending,
    /// An arrow closure, closed by `end`.
    FnArrow,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    open: Open,
    /// The indentation level of the line that opened it.
    indent: usize,
}

/// The atoms of `src` in source order; `None` when it does not lex.
pub(crate) fn atoms(src: &str) -> Option<Vec<Atom>> {
    let lexed = lexer::lex(src);
    if !lexed.errors.is_empty() {
        return None;
    }
    let mut raw: Vec<(usize, usize, Option<Token>, Option<CommentKind>)> = Vec::new();
    let tokens: Vec<_> = lexed
        .tokens
        .into_iter()
        .filter(|(_, t, _)| *t != Token::Newline)
        .collect();
    let mut i = 0;
    while i < tokens.len() {
        let (start, tok, mut end) = tokens[i].clone();
        if tok == Token::StrBegin {
            let mut depth = 0usize;
            while i < tokens.len() {
                match tokens[i].1 {
                    Token::StrBegin => depth += 1,
                    Token::StrEnd => depth = depth.saturating_sub(1),
                    _ => {}
                }
                end = tokens[i].2;
                if depth == 0 {
                    break;
                }
                i += 1;
            }
            raw.push((start, end, Some(Token::Str(String::new())), None));
        } else {
            raw.push((start, end, Some(tok), None));
        }
        i += 1;
    }
    for c in &lexed.comments {
        raw.push((c.start, c.end, None, Some(c.kind)));
    }
    raw.sort_by_key(|r| r.0);
    let mut out = Vec::with_capacity(raw.len());
    let mut prev_end = 0usize;
    for (n, (start, end, tok, kind)) in raw.into_iter().enumerate() {
        let gap_text = src.get(prev_end..start).unwrap_or("");
        let breaks = if n == 0 { 0 } else { count_breaks(gap_text) };
        let source = src.get(start..end).unwrap_or("");
        let text = match (&tok, kind) {
            (Some(Token::JsonBrace), _) => "json {".to_string(),
            (Some(Token::PercentBrace), _) => "%{".to_string(),
            (Some(_), _) => source.to_string(),
            (None, _) => source
                .lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n"),
        };
        out.push(Atom {
            text,
            tok,
            role: Role::Plain,
            gap: !gap_text.is_empty(),
            breaks,
        });
        prev_end = end;
    }
    spacing::assign_roles(&mut out);
    Some(out)
}

/// Line breaks in a stretch of whitespace: `\r\n`, `\n` and a lone `\r` count one each.
fn count_breaks(s: &str) -> usize {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\r')
        .count()
}

/// Tokens that start a line at the indentation of the construct they close or continue
/// (`after` aligns with its `receive` like `else` with its `if`).
fn is_closer(t: &Token) -> bool {
    matches!(
        t,
        Token::End | Token::Else | Token::After | Token::RParen | Token::RBracket | Token::RBrace
    )
}

/// The name of the function a line declares (`[pub] fn name`), to keep clauses together.
fn fn_name(group: &[Atom]) -> Option<String> {
    let mut code = group.iter().filter(|a| !a.is_comment());
    let mut first = code.next()?;
    if first.is(&Token::Pub) {
        first = code.next()?;
    }
    if !first.is(&Token::Fn) {
        return None;
    }
    code.next().map(|a| a.text.clone())
}

fn is_pipe(t: &Token) -> bool {
    matches!(t, Token::Pipe | Token::SlotPipe(_))
}

/// A line ending in one of these continues on the next (indented once more).
fn continues(t: &Token) -> bool {
    use Token::*;
    matches!(
        t,
        Arrow
            | Pipe
            | SlotPipe(_)
            | Eq
            | FatArrow
            | Plus
            | Minus
            | Star
            | Slash
            | Percent
            | EqEq
            | NotEq
            | LtEq
            | GtEq
            | AndAnd
            | OrOr
            | And
            | Or
            | Concat
            | PlusPlus
            | ColonColon
    )
}

fn is_opener_end(t: &Token) -> bool {
    matches!(
        t,
        Token::Do
            | Token::LParen
            | Token::LBracket
            | Token::LBrace
            | Token::PercentBrace
            | Token::JsonBrace
    )
}

/// The lines of `src` with indentation and blank lines decided (rules 1–4).
pub(crate) fn layout(src: &str) -> Vec<Line> {
    let Some(atoms) = atoms(src) else {
        return fallback_lines(src);
    };
    // Group into the input's lines.
    let mut groups: Vec<Vec<Atom>> = Vec::new();
    for atom in atoms {
        match groups.last_mut() {
            Some(g) if atom.breaks == 0 => g.push(atom),
            _ => groups.push(vec![atom]),
        }
    }
    let groups = join_decorators(groups);
    let mut stack: Vec<Entry> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    let mut continuation = false;
    let mut stmt_indent: Vec<usize> = Vec::new();
    // The last top-level unit: Some(true) import, Some(false) other item, None comment/start.
    let mut last_top: Option<Option<bool>> = None;
    let mut last_fn: Option<String> = None;
    let mut else_if = false;
    let code_follows: Vec<bool> = {
        let mut seen = false;
        let mut v: Vec<bool> = groups
            .iter()
            .rev()
            .map(|g| {
                let here = seen;
                seen |= g.iter().any(|a| !a.is_comment());
                here
            })
            .collect();
        v.reverse();
        v
    };
    for (g, group) in groups.into_iter().enumerate() {
        let src_blank = group.first().is_some_and(|a| a.breaks >= 2);
        let first_code = group
            .iter()
            .find(|a| !a.is_comment())
            .and_then(|a| a.tok.clone());
        let depth = stack.len();
        let base = stack.last().map_or(0, |e| e.indent + 1);
        let prev_opened = lines
            .last()
            .and_then(|l| l.atoms.last())
            .and_then(|a| a.tok.as_ref())
            .is_some_and(|t| {
                is_opener_end(t)
                    || (*t == Token::Arrow && stack.last().is_some_and(|e| e.open == Open::FnArrow))
            });
        let Some(first) = first_code else {
            // A comment-only line.
            let blank = if depth == 0 {
                match last_top {
                    None => false,
                    // After an item, a comment attached to the next item is set apart.
                    Some(Some(_)) => src_blank || code_follows.get(g).copied().unwrap_or(false),
                    Some(None) => src_blank,
                }
            } else {
                src_blank && !prev_opened
            };
            if depth == 0 {
                last_top = Some(None);
                last_fn = None;
            }
            lines.push(Line {
                indent: base,
                atoms: group,
                blank_before: blank,
            });
            continue;
        };
        let indent = if is_closer(&first) {
            stack.last().map_or(0, |e| e.indent)
        } else if is_pipe(&first) {
            stmt_indent.get(depth).copied().unwrap_or(base) + 1
        } else if continuation {
            base + 1
        } else {
            base
        };
        let blank = if depth == 0 && !is_closer(&first) && !continuation && !is_pipe(&first) {
            let import = matches!(first, Token::Import | Token::From);
            let name = fn_name(&group);
            let b = match last_top {
                None => false,
                Some(None) => src_blank,
                // Clauses of one function may stay together.
                Some(Some(_)) if name.is_some() && name == last_fn => src_blank,
                Some(Some(prev_import)) => !(prev_import && import),
            };
            last_top = Some(Some(import));
            last_fn = name;
            b
        } else {
            src_blank && !prev_opened && !is_closer(&first)
        };
        if !is_closer(&first) && !is_pipe(&first) {
            stmt_indent.truncate(depth);
            stmt_indent.resize(depth + 1, indent);
        }
        // Walk the line, keeping the stack of open constructs.
        let mut prev: Option<&Token> = None;
        let mut first_on_line = true;
        for (k, atom) in group.iter().enumerate() {
            let Some(tok) = atom.tok.as_ref() else {
                continue;
            };
            let top = stack.last().map(|e| e.open);
            match tok {
                Token::Do => {
                    if top == Some(Open::FnPending) {
                        stack.pop();
                    }
                    if else_if {
                        else_if = false;
                    } else {
                        stack.push(Entry {
                            open: Open::Do,
                            indent,
                        });
                    }
                }
                Token::Else => {
                    let next = group[k + 1..].iter().find(|a| !a.is_comment());
                    else_if = next.is_some_and(|a| a.is(&Token::If));
                }
                Token::Fn => {
                    let decl = !matches!(top, Some(Open::Bracket) | Some(Open::FnArrow))
                        && (first_on_line
                            || matches!(
                                prev,
                                Some(Token::Pub) | Some(Token::RParen) | Some(Token::Cluster)
                            ));
                    if !decl {
                        stack.push(Entry {
                            open: Open::FnPending,
                            indent,
                        });
                    }
                }
                Token::Arrow if top == Some(Open::FnPending) => {
                    if let Some(e) = stack.last_mut() {
                        e.open = Open::FnArrow;
                    }
                }
                Token::End => {
                    while let Some(e) = stack.pop() {
                        if matches!(e.open, Open::Do | Open::FnArrow) {
                            break;
                        }
                    }
                }
                Token::LParen
                | Token::LBracket
                | Token::LBrace
                | Token::PercentBrace
                | Token::JsonBrace => stack.push(Entry {
                    open: Open::Bracket,
                    indent,
                }),
                Token::RParen | Token::RBracket | Token::RBrace => {
                    while let Some(e) = stack.pop() {
                        if e.open == Open::Bracket {
                            break;
                        }
                    }
                }
                _ => {}
            }
            prev = Some(tok);
            first_on_line = false;
        }
        let last_code = group.iter().rev().find(|a| !a.is_comment());
        continuation = stack.len() <= depth
            && last_code
                .and_then(|a| a.tok.as_ref())
                .is_some_and(continues);
        lines.push(Line {
            indent,
            atoms: group,
            blank_before: blank,
        });
    }
    lines
}

/// A line holding only `@cluster` / `@cluster(N)` joins the declaration below it (rule 5).
fn join_decorators(groups: Vec<Vec<Atom>>) -> Vec<Vec<Atom>> {
    let mut out: Vec<Vec<Atom>> = Vec::with_capacity(groups.len());
    let mut pending: Option<Vec<Atom>> = None;
    for mut group in groups {
        if let Some(mut decorator) = pending.take() {
            if let Some(first) = group.first_mut() {
                first.breaks = 0;
                first.gap = true;
            }
            decorator.append(&mut group);
            group = decorator;
        }
        let only_decorator = group.len() >= 2
            && group[0].is(&Token::At)
            && group[1].is(&Token::Cluster)
            && group[2..].iter().all(|a| {
                matches!(
                    a.tok,
                    Some(Token::LParen)
                        | Some(Token::RParen)
                        | Some(Token::Int(_))
                        | Some(Token::Minus)
                )
            });
        if only_decorator {
            pending = Some(group);
        } else {
            out.push(group);
        }
    }
    out.extend(pending);
    out
}

/// Input that does not lex: whitespace-only normalisation.
fn fallback_lines(src: &str) -> Vec<Line> {
    src.replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .map(|l| Line {
            indent: 0,
            atoms: vec![Atom {
                text: l.trim_end().to_string(),
                tok: None,
                role: Role::Plain,
                gap: false,
                breaks: 1,
            }],
            blank_before: false,
        })
        .collect()
}

/// The text of one line without its indentation.
pub(crate) fn line_text(atoms: &[Atom]) -> String {
    let mut out = String::new();
    for (i, atom) in atoms.iter().enumerate() {
        if i > 0 && spacing::space_between(&atoms[i - 1], atom) {
            out.push(' ');
        }
        out.push_str(&atom.text);
    }
    out
}

/// The final text: LF endings, no trailing whitespace, one final newline (none when empty).
pub(crate) fn render(lines: &[Line], opts: &FmtOptions) -> String {
    let mut out = String::new();
    for line in lines {
        let atoms: Vec<Atom> = line
            .atoms
            .iter()
            .filter(|a| a.role != Role::DropComma)
            .cloned()
            .collect();
        let text = line_text(&atoms);
        if text.trim().is_empty() {
            if !out.is_empty() && !out.ends_with("\n\n") && line.blank_before {
                out.push('\n');
            }
            continue;
        }
        if line.blank_before && !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&" ".repeat(line.indent * opts.indent_size));
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

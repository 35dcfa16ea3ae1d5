//! Which block a missing `end` belongs to (spec §5.8: "expected `end` to close `do` block").
//! The parser notices a missing `end` only where the file (or the declaration) runs out, often
//! far below the block the user left open; the indentation tells where it was meant to end.
//! Blocks are matched with their `end`s as the parser does; a line that starts at or left of an
//! open block's opening line (other than its `end`, `else` or `after`) shows that block ended
//! without its `end`. The first such block is blamed: the error points just after its last
//! line, with its opening line as a second label.

use crate::lexer::Spanned;
use crate::token::Token;

/// What a missing `end` would close, and where.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MissingEnd {
    /// The spec's message for the kind of block.
    pub message: &'static str,
    /// Where the `end` belongs: just after the block's last token (a zero-width position).
    pub at: usize,
    /// The opening line, from its first token to the token that opened the block.
    pub opener: (usize, usize),
}

/// An open block: its kind, the range of its opening line shown in the label, and the
/// indentation of that line.
#[derive(Debug, Clone, Copy)]
struct Open {
    kind: &'static str,
    opener: (usize, usize),
    indent: usize,
}

/// The block a missing `end` belongs to, given the tokens up to the error (the offending one
/// included). `at_eof` says whether the error is at the end of the input; otherwise only a
/// block the indentation blames is returned.
pub(super) fn find(src: &str, before: &[Spanned], at_eof: bool) -> Option<MissingEnd> {
    let mut stack: Vec<Open> = Vec::new();
    // `case`/`receive`/`fn` seen on this line before the `do` or `->` that opens its block.
    let mut pending: Option<(&'static str, usize)> = None;
    // The blamed block's depth in `stack`, and the error for it.
    let mut blamed: Option<(usize, MissingEnd)> = None;
    let mut last_end = 0;
    for &(l, ref t, r) in before {
        if *t == Token::Newline {
            if let Some(("closure", start)) = pending {
                // An arrow closure whose body goes on past its line is closed by an `end`.
                stack.push(open("closure", src, start, start));
                pending = None;
            } else if !matches!(pending, Some(("closure", _))) {
                pending = None;
            }
            continue;
        }
        let indent = line_indent(src, l);
        if blamed.is_none() {
            if let (Some(indent), Some(top)) = (indent, stack.last()) {
                if indent < top.indent || (indent == top.indent && !continues_block(t)) {
                    let missing = MissingEnd {
                        message: message(top.kind),
                        at: last_end,
                        opener: top.opener,
                    };
                    blamed = Some((stack.len() - 1, missing));
                }
            }
        }
        match t {
            Token::Case | Token::Match => pending = Some(("case", l)),
            Token::Receive => pending = Some(("receive", l)),
            Token::Fn if pending.is_none() => pending = Some(("fn", l)),
            Token::Arrow if matches!(pending, Some(("fn", _))) => {
                pending = pending.map(|(_, start)| ("closure", start));
            }
            Token::Do => {
                let kind = match pending.take() {
                    Some(("case", _)) => "case",
                    Some(("receive", _)) => "receive",
                    _ => "do",
                };
                stack.push(open(kind, src, l, r));
            }
            Token::End => {
                if matches!(pending, Some(("closure", _))) {
                    pending = None;
                } else if let Some(closed) = stack.pop() {
                    // An `end` aligned with the blamed block's opening line is its own: the
                    // indentation was only sloppy.
                    let own = indent == Some(closed.indent);
                    if own && blamed.as_ref().is_some_and(|(d, _)| *d == stack.len()) {
                        blamed = None;
                    }
                }
            }
            Token::Semi if !matches!(pending, Some(("closure", _))) => pending = None,
            _ => {}
        }
        last_end = r;
    }
    if let Some((_, missing)) = blamed {
        return Some(missing);
    }
    if !at_eof {
        return None;
    }
    if let Some(("closure", start)) = pending {
        return Some(MissingEnd {
            message: message("closure"),
            at: last_end,
            opener: open("closure", src, start, start).opener,
        });
    }
    let top = stack.last()?;
    Some(MissingEnd {
        message: message(top.kind),
        at: last_end,
        opener: top.opener,
    })
}

fn message(kind: &str) -> &'static str {
    match kind {
        "case" => "expected `end` to close `case` block",
        "receive" => "expected `end` to close `receive` block",
        "closure" => "unclosed closure -- expected `end`",
        _ => "expected `end` to close `do` block",
    }
}

/// A block opened by the token at `start..end`: its label runs from the first token of the
/// opening line (or `start` for a closure, whose `fn` may sit mid-line) to `end`.
fn open(kind: &'static str, src: &str, start: usize, end: usize) -> Open {
    let line_start = src[..start.min(src.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = &src[line_start..];
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let from = if kind == "closure" {
        start
    } else {
        line_start + indent
    };
    let to = if kind == "closure" {
        // The closure's whole first line.
        line_start + line.find('\n').unwrap_or(line.len())
    } else {
        end
    };
    Open {
        kind,
        opener: (from, to.max(from)),
        indent,
    }
}

/// The column of the token at `offset` when it is the first token of its line.
fn line_indent(src: &str, offset: usize) -> Option<usize> {
    let before = src.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = &before[line_start..];
    prefix
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then_some(prefix.len())
}

/// Tokens that may start a line at an open block's own indentation without ending it: its
/// `end` and continuation keywords, closing brackets, and operators continuing an expression.
fn continues_block(t: &Token) -> bool {
    use Token::*;
    matches!(
        t,
        End | Else
            | ElseIf
            | After
            | RParen
            | RBracket
            | RBrace
            | Pipe
            | SlotPipe(_)
            | Bar
            | Comma
            | Dot
            | Arrow
            | FatArrow
            | When
            | Do
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blame(src: &str) -> Option<(String, String, String)> {
        let tokens = crate::lexer::lex(src).tokens;
        find(src, &tokens, true).map(|m| {
            (
                m.message.to_string(),
                src[..m.at].lines().last().unwrap_or("").to_string(),
                src[m.opener.0..m.opener.1].to_string(),
            )
        })
    }

    #[test]
    fn a_shallower_line_blames_the_block_above_it() {
        let src = "fn f(x) do\n  if x do\n    1\n  else\n    2\n\nfn main() do\n  1\nend\n";
        assert_eq!(
            blame(src),
            Some((
                "expected `end` to close `do` block".into(),
                "    2".into(),
                "if x do".into()
            ))
        );
    }

    #[test]
    fn an_end_left_of_its_block_closes_an_outer_one() {
        let src = "fn a(x) do\n  case x do\n    1 -> 2\nend\n";
        assert_eq!(
            blame(src),
            Some((
                "expected `end` to close `case` block".into(),
                "    1 -> 2".into(),
                "case x do".into()
            ))
        );
    }

    #[test]
    fn an_end_aligned_with_a_sloppily_indented_block_is_its_own() {
        let src = "fn main() do\n  if x do\n  foo()\n  end\n  bar()\n";
        assert_eq!(
            blame(src),
            Some((
                "expected `end` to close `do` block".into(),
                "  bar()".into(),
                "fn main() do".into()
            ))
        );
    }

    #[test]
    fn balanced_blocks_and_one_liners_blame_nothing_but_the_last_open_block() {
        let src = "fn a() do\n  if true do 1 else 2 end\n  let f = fn x -> x end\n  f(1)\n";
        assert_eq!(
            blame(src),
            Some((
                "expected `end` to close `do` block".into(),
                "  f(1)".into(),
                "fn a() do".into()
            ))
        );
    }
}

//! Spacing between the atoms of a line (spec tooling §5.2 rule 5): one space around binary
//! operators, `=`, `->`, `=>`, `|>`, `::` and the `!` of result types, none inside brackets,
//! generic angle brackets or `|state|`, one inside the braces of struct and `json` literals,
//! calls and constructor patterns hugging their parenthesis, no space before `,` `:` `.` `?`.
//! Context a pair of atoms cannot tell (unary minus, generic `<`, the brace kind) is decided
//! once for the whole file by `assign_roles`.

use super::layout::Atom;
use crate::token::Token;

/// What an atom is, beyond its token, for spacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Role {
    #[default]
    Plain,
    /// Prefix `-` or `!`.
    Unary,
    /// `<` / `>` of a generic argument list.
    GenericOpen,
    GenericClose,
    /// The bars of a handler's `|state|`.
    StateOpen,
    StateClose,
    /// `{` / `}` of a struct literal or pattern, or `json {`: one space inside.
    SpacedOpen,
    SpacedClose,
    /// A binary `..` (ranges hug their operands: `0..n`).
    Range,
    /// A trailing comma before a closing bracket: not printed.
    DropComma,
}

/// Whether a token can end an operand (so a following `-` is binary).
fn ends_operand(t: &Token, role: Role) -> bool {
    use Token::*;
    match t {
        Gt => role == Role::GenericClose,
        _ => matches!(
            t,
            Int(_)
                | Float(_)
                | Str(_)
                | Atom(_)
                | Regex { .. }
                | Ident(_)
                | UpperIdent(_)
                | RParen
                | RBracket
                | RBrace
                | True
                | False
                | Nil
                | SelfKw
                | Question
                | End
                | Break
                | Continue
        ),
    }
}

/// Decides the role of every atom of a file (comments are skipped).
pub(crate) fn assign_roles(atoms: &mut [Atom]) {
    let code: Vec<usize> = (0..atoms.len())
        .filter(|&i| !atoms[i].is_comment())
        .collect();
    let generic = generic_brackets(atoms, &code);
    // For every open bracket: whether its braces are spaced, and its comma count.
    let mut brackets: Vec<(Token, bool, usize)> = Vec::new();
    let mut state_open = false;
    for (n, &i) in code.iter().enumerate() {
        let prev = n.checked_sub(1).map(|p| code[p]);
        let prev_tok = prev.and_then(|p| atoms[p].tok.clone());
        let prev_role = prev.map_or(Role::Plain, |p| atoms[p].role);
        let next_tok = code.get(n + 1).and_then(|&j| atoms[j].tok.clone());
        let next2_tok = code.get(n + 2).and_then(|&j| atoms[j].tok.clone());
        let Some(tok) = atoms[i].tok.clone() else {
            continue;
        };
        let after_operand = prev_tok
            .as_ref()
            .is_some_and(|t| ends_operand(t, prev_role))
            && atoms[i].breaks == 0;
        let role = match &tok {
            Token::Minus | Token::Bang if !after_operand => Role::Unary,
            Token::DotDot if after_operand => Role::Range,
            Token::Lt if generic.contains(&n) => Role::GenericOpen,
            Token::Gt if generic.contains(&n) => Role::GenericClose,
            Token::Bar
                if prev_tok == Some(Token::Do)
                    && matches!(next_tok, Some(Token::Ident(_)))
                    && next2_tok == Some(Token::Bar) =>
            {
                state_open = true;
                Role::StateOpen
            }
            Token::Bar if state_open => {
                state_open = false;
                Role::StateClose
            }
            Token::LBrace
            | Token::JsonBrace
            | Token::LParen
            | Token::LBracket
            | Token::PercentBrace => {
                let spaced = tok == Token::JsonBrace
                    || (tok == Token::LBrace && matches!(prev_tok, Some(Token::UpperIdent(_))));
                brackets.push((tok.clone(), spaced, 0));
                if spaced {
                    Role::SpacedOpen
                } else {
                    Role::Plain
                }
            }
            Token::RBrace | Token::RParen | Token::RBracket => match brackets.pop() {
                Some((_, true, _)) => Role::SpacedClose,
                _ => Role::Plain,
            },
            Token::Comma => {
                if let Some(b) = brackets.last_mut() {
                    b.2 += 1;
                }
                let closes = matches!(
                    next_tok,
                    Some(Token::RParen) | Some(Token::RBracket) | Some(Token::RBrace)
                );
                // `(x,)` is a one-element tuple: that comma stays.
                let one_tuple = brackets
                    .last()
                    .is_some_and(|b| b.0 == Token::LParen && b.2 == 1);
                if closes && !one_tuple {
                    Role::DropComma
                } else {
                    Role::Plain
                }
            }
            _ => Role::Plain,
        };
        atoms[i].role = role;
    }
}

/// Positions (in `code`) of the `<` and `>` of generic argument lists: a `<` after a type
/// name (or after the name of a function being declared) whose contents up to the matching
/// `>` can only be a type.
fn generic_brackets(atoms: &[Atom], code: &[usize]) -> std::collections::HashSet<usize> {
    let tok = |n: usize| code.get(n).and_then(|&i| atoms[i].tok.as_ref());
    let mut found = std::collections::HashSet::new();
    for n in 1..code.len() {
        if tok(n) != Some(&Token::Lt) || found.contains(&n) {
            continue;
        }
        let after_type = matches!(tok(n - 1), Some(Token::UpperIdent(_)))
            || (matches!(tok(n - 1), Some(Token::Ident(_)))
                && n >= 2
                && matches!(tok(n - 2), Some(Token::Fn) | Some(Token::LocalFn)));
        if !after_type {
            continue;
        }
        let mut opens = Vec::new();
        let mut pairs = Vec::new();
        let mut m = n;
        let ok = loop {
            match tok(m) {
                Some(Token::Lt) => opens.push(m),
                Some(Token::Gt) => {
                    if let Some(o) = opens.pop() {
                        pairs.push((o, m));
                    }
                    if opens.is_empty() {
                        break true;
                    }
                }
                Some(
                    Token::UpperIdent(_)
                    | Token::Ident(_)
                    | Token::Dot
                    | Token::Comma
                    | Token::LParen
                    | Token::RParen
                    | Token::Arrow
                    | Token::Question
                    | Token::Bang,
                ) => {}
                _ => break false,
            }
            m += 1;
        };
        if ok {
            for (o, c) in pairs {
                found.insert(o);
                found.insert(c);
            }
        }
    }
    found
}

/// Whether one space goes between two adjacent atoms of a line.
pub(crate) fn space_between(prev: &Atom, next: &Atom) -> bool {
    let (Some(p), Some(n)) = (prev.tok.as_ref(), next.tok.as_ref()) else {
        return true;
    };
    use Token::*;
    match next.role {
        Role::GenericOpen | Role::GenericClose | Role::StateClose | Role::Range => return false,
        Role::SpacedClose => return !matches!(prev.role, Role::SpacedOpen),
        _ => {}
    }
    match prev.role {
        Role::Unary | Role::GenericOpen | Role::StateOpen | Role::Range => return false,
        Role::SpacedOpen => return true,
        _ => {}
    }
    match n {
        Comma | Semi | RParen | RBracket | RBrace | Dot | Question | Colon => return false,
        LParen => {
            return match p {
                Ident(_) | UpperIdent(_) | RParen | RBracket | Question | SelfKw | Spawn | Send
                | Link | Monitor | Cluster | Deriving => false,
                Gt if prev.role == Role::GenericClose => false,
                LParen | LBracket | PercentBrace | LBrace | Dot | At => false,
                Fn => next.gap,
                _ => true,
            }
        }
        LBracket if matches!(p, Ident(_) | RParen | RBracket) => return next.gap,
        _ => {}
    }
    !matches!(p, LParen | LBracket | PercentBrace | LBrace | Dot | At)
}

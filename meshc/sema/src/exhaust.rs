//! Exhaustiveness and redundancy of `case` (spec §4.7: E0012 lists missing patterns, W0001
//! flags unreachable arms). The classic usefulness algorithm over a pattern matrix: a pattern
//! is useful if some value matches it and no earlier row; a match is exhaustive if `_` is not
//! useful after all unguarded arms. Types with finitely many constructors (Bool, `()`, sum
//! types, tuples, lists as `[]`/`h :: t`) are split by constructor; Int, Float and String only
//! by their wildcard rows.

use crate::errors;
use crate::hir::{AdtKind, ExprKind, Lit, PatId, PatKind, Program};
use crate::ty::{TyId, TyKind, Types};
use mesh_syntax::diagnostic::Diagnostic;

/// A simplified pattern.
#[derive(Debug, Clone, PartialEq)]
enum P {
    Wild,
    /// A constructor (index within its type's constructor list) with sub-patterns.
    Ctor(u32, Vec<P>),
    /// A literal of a type with infinitely many values.
    Lit(String),
    Or(Vec<P>),
}

/// One constructor of a type: its display name and argument types.
struct Ctor {
    name: String,
    args: Vec<TyId>,
}

struct Checker<'a> {
    program: &'a Program,
    types: &'a mut Types,
}

/// Checks every `case` in the program (function clause dispatch excluded: an unmatched call
/// panics at run time, spec §3.1.2).
pub fn check(program: &Program, types: &mut Types, diags: &mut Vec<Diagnostic>) {
    let mut c = Checker { program, types };
    for e in &program.exprs {
        let ExprKind::Case {
            scrutinee,
            arms,
            clauses_of: None,
        } = &e.kind
        else {
            continue;
        };
        let ty = program.expr_ty(*scrutinee);
        let mut rows: Vec<Vec<P>> = Vec::new();
        for (i, arm) in arms.iter().enumerate() {
            let p = c.simplify(arm.pat, ty);
            if !c.useful(&rows, std::slice::from_ref(&p), &[ty]) {
                let span = program.pat(arm.pat).span;
                diags.push(errors::redundant_arm(i + 1, span));
            }
            if arm.guard.is_none() {
                rows.push(vec![p]);
            }
        }
        let missing = c.missing(&rows, &[ty], 8);
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().map(|w| c.show(&w[0], ty)).collect();
            let t = c.types.display(ty);
            diags.push(errors::non_exhaustive(
                &t,
                &shown.join(", "),
                program.expr(*scrutinee).span,
            ));
        }
    }
}

impl Checker<'_> {
    fn simplify(&mut self, pat: PatId, ty: TyId) -> P {
        match self.program.pat(pat).kind.clone() {
            PatKind::Wildcard | PatKind::Bind(_) | PatKind::Error => P::Wild,
            PatKind::Lit(Lit::Bool(b)) => P::Ctor(u32::from(!b), vec![]),
            PatKind::Lit(Lit::Unit) => P::Wild,
            PatKind::Lit(l) => P::Lit(format!("{l:?}")),
            PatKind::Tuple(elems) => {
                let tys = self.ctor_args(ty, 0);
                P::Ctor(
                    0,
                    elems
                        .iter()
                        .zip(tys)
                        .map(|(&p, t)| self.simplify(p, t))
                        .collect(),
                )
            }
            PatKind::Variant {
                variant,
                args,
                any_payload,
                ..
            } => {
                let tys = self.ctor_args(ty, variant);
                if any_payload {
                    P::Ctor(variant, vec![P::Wild; tys.len()])
                } else {
                    P::Ctor(
                        variant,
                        args.iter()
                            .zip(tys)
                            .map(|(&p, t)| self.simplify(p, t))
                            .collect(),
                    )
                }
            }
            PatKind::Cons(h, t) => {
                let tys = self.ctor_args(ty, 1);
                let (ht, tt) = (
                    tys.first().copied().unwrap_or(ty),
                    tys.get(1).copied().unwrap_or(ty),
                );
                P::Ctor(1, vec![self.simplify(h, ht), self.simplify(t, tt)])
            }
            PatKind::Or(alts) => P::Or(alts.iter().map(|&p| self.simplify(p, ty)).collect()),
            PatKind::As(inner, _) => self.simplify(inner, ty),
            // `Down { … }` (the only struct patterns): a catch-all when every field is one,
            // else refutable and never completed by others (conservative).
            PatKind::Struct { fields, .. } => {
                let fields: Vec<P> = fields.iter().map(|&p| self.simplify(p, ty)).collect();
                if fields.iter().all(|f| matches!(f, P::Wild)) {
                    P::Wild
                } else {
                    P::Lit(format!("struct pattern {}", pat.0))
                }
            }
        }
    }

    /// The constructors of `ty`, or `None` for types with infinitely many values.
    fn ctors(&mut self, ty: TyId) -> Option<Vec<Ctor>> {
        let ty = self.types.resolve(ty);
        match self.types.kind(ty).clone() {
            TyKind::Bool => Some(vec![
                Ctor {
                    name: "true".into(),
                    args: vec![],
                },
                Ctor {
                    name: "false".into(),
                    args: vec![],
                },
            ]),
            TyKind::Tuple(elems) => Some(vec![Ctor {
                name: String::new(),
                args: elems,
            }]),
            TyKind::Builtin(crate::ty::BuiltinTy::List, args) => {
                let list = ty;
                Some(vec![
                    Ctor {
                        name: "[]".into(),
                        args: vec![],
                    },
                    Ctor {
                        name: "::".into(),
                        args: vec![args[0], list],
                    },
                ])
            }
            TyKind::Adt(id, args) => {
                let adt = self.program.adt(id);
                let AdtKind::Sum { variants } = &adt.kind else {
                    return None;
                };
                let variants = variants.clone();
                Some(
                    variants
                        .iter()
                        .map(|v| Ctor {
                            name: v.name.clone(),
                            args: v
                                .fields
                                .iter()
                                .map(|&f| self.types.instantiate(f, &args))
                                .collect(),
                        })
                        .collect(),
                )
            }
            _ => None,
        }
    }

    fn ctor_args(&mut self, ty: TyId, ctor: u32) -> Vec<TyId> {
        let mut ctors = self.ctors(ty).unwrap_or_default();
        if (ctor as usize) < ctors.len() {
            ctors.swap_remove(ctor as usize).args
        } else {
            Vec::new()
        }
    }

    /// Rows whose first column matches constructor `c`, with its arguments spliced in.
    fn specialize(&self, rows: &[Vec<P>], c: u32, arity: usize) -> Vec<Vec<P>> {
        let mut out = Vec::new();
        for row in rows {
            let rest = &row[1..];
            for head in expand(&row[0]) {
                match head {
                    P::Wild => out.push([vec![P::Wild; arity], rest.to_vec()].concat()),
                    P::Ctor(k, args) if k == c => out.push([args, rest.to_vec()].concat()),
                    _ => {}
                }
            }
        }
        out
    }

    /// Rows whose first column is a wildcard, without it.
    fn default_rows(&self, rows: &[Vec<P>]) -> Vec<Vec<P>> {
        rows.iter()
            .filter(|r| expand(&r[0]).contains(&P::Wild))
            .map(|r| r[1..].to_vec())
            .collect()
    }

    fn useful(&mut self, rows: &[Vec<P>], q: &[P], tys: &[TyId]) -> bool {
        let Some((head, rest)) = q.split_first() else {
            return rows.is_empty();
        };
        let ty = tys[0];
        match head {
            P::Or(alts) => alts
                .iter()
                .any(|a| self.useful(rows, &[vec![a.clone()], rest.to_vec()].concat(), tys)),
            P::Ctor(c, args) => {
                let arg_tys = self.ctor_args(ty, *c);
                let spec = self.specialize(rows, *c, args.len());
                self.useful(
                    &spec,
                    &[args.clone(), rest.to_vec()].concat(),
                    &[arg_tys, tys[1..].to_vec()].concat(),
                )
            }
            P::Lit(l) => {
                let spec: Vec<Vec<P>> = rows
                    .iter()
                    .filter(|r| {
                        expand(&r[0])
                            .iter()
                            .any(|p| *p == P::Wild || *p == P::Lit(l.clone()))
                    })
                    .map(|r| r[1..].to_vec())
                    .collect();
                self.useful(&spec, rest, &tys[1..])
            }
            P::Wild => match self.ctors(ty) {
                Some(ctors) if self.column_complete(rows, ctors.len()) => {
                    (0..ctors.len()).any(|c| {
                        let arity = ctors[c].args.len();
                        let spec = self.specialize(rows, c as u32, arity);
                        let q2 = [vec![P::Wild; arity], rest.to_vec()].concat();
                        self.useful(
                            &spec,
                            &q2,
                            &[ctors[c].args.clone(), tys[1..].to_vec()].concat(),
                        )
                    })
                }
                _ => {
                    let d = self.default_rows(rows);
                    self.useful(&d, rest, &tys[1..])
                }
            },
        }
    }

    /// Whether every constructor of the column's type heads some row.
    fn column_complete(&self, rows: &[Vec<P>], n: usize) -> bool {
        (0..n as u32).all(|c| {
            rows.iter().any(|r| {
                expand(&r[0])
                    .iter()
                    .any(|p| matches!(p, P::Ctor(k, _) if *k == c))
            })
        })
    }

    /// Up to `limit` value vectors no row matches (empty when the rows are exhaustive).
    fn missing(&mut self, rows: &[Vec<P>], tys: &[TyId], limit: usize) -> Vec<Vec<P>> {
        let Some(&ty) = tys.first() else {
            return if rows.is_empty() {
                vec![vec![]]
            } else {
                vec![]
            };
        };
        match self.ctors(ty) {
            Some(ctors) if self.column_complete(rows, ctors.len()) => {
                let mut out = Vec::new();
                for (c, ctor) in ctors.iter().enumerate() {
                    let arity = ctor.args.len();
                    let spec = self.specialize(rows, c as u32, arity);
                    for w in self.missing(
                        &spec,
                        &[ctor.args.clone(), tys[1..].to_vec()].concat(),
                        limit,
                    ) {
                        let (args, rest) = w.split_at(arity);
                        out.push([vec![P::Ctor(c as u32, args.to_vec())], rest.to_vec()].concat());
                        if out.len() >= limit {
                            return out;
                        }
                    }
                }
                out
            }
            Some(ctors) => {
                let d = self.default_rows(rows);
                let rest = self.missing(&d, &tys[1..], limit);
                let Some(first_rest) = rest.into_iter().next() else {
                    return vec![];
                };
                let used: Vec<u32> = rows
                    .iter()
                    .flat_map(|r| expand(&r[0]))
                    .filter_map(|p| if let P::Ctor(k, _) = p { Some(k) } else { None })
                    .collect();
                let mut out = Vec::new();
                for (c, ctor) in ctors.iter().enumerate() {
                    if !used.contains(&(c as u32)) {
                        out.push(
                            [
                                vec![P::Ctor(c as u32, vec![P::Wild; ctor.args.len()])],
                                first_rest.clone(),
                            ]
                            .concat(),
                        );
                    }
                }
                out.truncate(limit);
                out
            }
            None => {
                let d = self.default_rows(rows);
                self.missing(&d, &tys[1..], limit)
                    .into_iter()
                    .map(|w| [vec![P::Wild], w].concat())
                    .collect()
            }
        }
    }

    /// A witness pattern in source syntax (`None`, `Circle(_)`, `(_, false)`, `_ :: _`).
    fn show(&mut self, p: &P, ty: TyId) -> String {
        match p {
            P::Wild | P::Or(_) => "_".into(),
            P::Lit(l) => l.clone(),
            P::Ctor(c, args) => {
                let ctors = self.ctors(ty).unwrap_or_default();
                let Some(ctor) = ctors.get(*c as usize) else {
                    return "_".into();
                };
                let parts: Vec<String> = args
                    .iter()
                    .zip(ctor.args.clone())
                    .map(|(a, t)| self.show(a, t))
                    .collect();
                match ctor.name.as_str() {
                    "" => format!("({})", parts.join(", ")),
                    "::" => format!("{} :: {}", parts[0], parts[1]),
                    name if parts.is_empty() => name.to_string(),
                    name => format!("{name}({})", parts.join(", ")),
                }
            }
        }
    }
}

/// The alternatives of a (possibly nested) or-pattern.
fn expand(p: &P) -> Vec<P> {
    match p {
        P::Or(alts) => alts.iter().flat_map(expand).collect(),
        other => vec![other.clone()],
    }
}

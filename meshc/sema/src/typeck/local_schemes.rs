//! Let-polymorphism for local bindings. A `let` whose value is a syntactic value (a closure,
//! which includes nested `fn`s, a function, a constructor or stdlib function, or another
//! generalised local) is generalised over the variables of its type that are free neither in
//! the environment nor in a constraint still waiting for the end of the component (value
//! restriction: any other value stays monomorphic). Each use instantiates them afresh.
//!
//! The quantified variables stay unbound inference variables while the component is checked
//! (nothing outside the value can reach them, so nothing binds them); when the enclosing
//! function is generalised they become `Gen`s numbered after its own, recorded in
//! `Program::local_schemes` for MIR, which builds the value again at each use.
//!
//! Operator and Display requirements and `where` bounds that mention a quantified variable are
//! taken out of the component's list into the binding's scheme and added again, instantiated,
//! at each use: they are checked per instance (an arithmetic operand no use constrains
//! defaults to `Int` as elsewhere).

use super::bounds::PendingBound;
use super::{Checker, Pending};
use crate::hir::{ExprId, ExprKind, LocalId, LocalScheme, PatId, PatKind};
use crate::ty::{TyId, TyKind};
use mesh_syntax::span::Span;
use std::collections::HashMap;

/// A generalised `let` while its component is being checked.
#[derive(Debug, Clone)]
pub(super) struct PolyLocal {
    pub value: ExprId,
    /// The quantified inference variables.
    pub vars: Vec<u32>,
    /// Requirements and `where` bounds of the value on types that mention them.
    pub requirements: Vec<Pending>,
    pub bounds: Vec<PendingBound>,
}

impl Checker<'_> {
    /// `let pat = value`, generalised when the value allows it.
    pub(super) fn let_stmt(&mut self, pat: PatId, value: ExprId) {
        let pending_start = self.pending.len();
        let bounds_start = self.pending_bounds.len();
        let vt = self.infer(value);
        let span = self.program.expr(value).span;
        self.check_let_pat(pat, vt, span);
        let PatKind::Bind(local) = self.program.pat(pat).kind else {
            return;
        };
        // An annotated binding has the type written.
        if self.program.local_annotations[local.0 as usize].is_none() && self.is_value(value) {
            self.generalise_let(local, value, pending_start, bounds_start);
        }
    }

    /// A use of a local: a generalised one is instantiated, with its requirements.
    pub(super) fn local_use(&mut self, local: LocalId, span: Span) -> TyId {
        let ty = self.program.local_types[local.0 as usize];
        let Some(poly) = self.poly.get(&local).cloned() else {
            return ty;
        };
        let map: HashMap<u32, TyId> = poly
            .vars
            .iter()
            .map(|&v| (v, self.types.fresh_var()))
            .collect();
        for r in poly.requirements {
            let ty = self.types.replace_vars(r.ty, &map, None);
            self.pending.push(Pending {
                ty,
                req: r.req,
                span,
                origin: Some(r.origin.unwrap_or(r.span)),
            });
        }
        for b in poly.bounds {
            self.pending_bounds.push(PendingBound {
                ty: self.types.replace_vars(b.ty, &map, None),
                interface: b.interface,
                span,
                origin: Some(b.origin.unwrap_or(b.span)),
            });
        }
        self.types.replace_vars(ty, &map, None)
    }

    /// Whether `value` is a syntactic value: evaluating it has no effect, so MIR may build it
    /// once per use instead of once.
    fn is_value(&self, value: ExprId) -> bool {
        match self.program.expr(value).kind {
            ExprKind::Closure { .. }
            | ExprKind::Fn(_)
            | ExprKind::VariantFn { .. }
            | ExprKind::Builtin(_) => true,
            ExprKind::Local(l) => self.poly.contains_key(&l),
            _ => false,
        }
    }

    fn generalise_let(
        &mut self,
        local: LocalId,
        value: ExprId,
        pending_start: usize,
        bounds_start: usize,
    ) {
        let ty = self
            .types
            .resolve(self.program.local_types[local.0 as usize]);
        let mut vars = Vec::new();
        self.types.free_vars(ty, &mut vars);
        if vars.is_empty() {
            return;
        }
        let fixed = self.fixed_vars(value);
        vars.retain(|v| !fixed.contains(v));
        if vars.is_empty() {
            return;
        }
        // The requirements met while inferring the value that concern the quantified
        // variables move to the scheme (entries before the starts are outside the value).
        let mut requirements = Vec::new();
        for p in self.pending.split_off(pending_start) {
            if self.mentions(p.ty, &vars) {
                requirements.push(p);
            } else {
                self.pending.push(p);
            }
        }
        let mut bounds = Vec::new();
        for b in self.pending_bounds.split_off(bounds_start) {
            if self.mentions(b.ty, &vars) {
                bounds.push(b);
            } else {
                self.pending_bounds.push(b);
            }
        }
        self.poly.insert(
            local,
            PolyLocal {
                value,
                vars,
                requirements,
                bounds,
            },
        );
    }

    fn mentions(&self, ty: TyId, vars: &[u32]) -> bool {
        let mut free = Vec::new();
        self.types.free_vars(ty, &mut free);
        free.iter().any(|v| vars.contains(v))
    }

    /// The variables a `let` of `value` must not generalise: those of the environment the
    /// value can reach (its captures; the functions of the component, still monomorphic; the
    /// enclosing result and message types; declared type parameters) and those of the
    /// constraints resolved only at the end of the component (method calls on a receiver of
    /// unknown type, `?` on an operand of unknown type), which may still bind them.
    fn fixed_vars(&mut self, value: ExprId) -> Vec<u32> {
        let captures: Vec<LocalId> = match &self.program.expr(value).kind {
            ExprKind::Closure { captures, .. } => captures.clone(),
            ExprKind::Local(l) => vec![*l],
            _ => Vec::new(),
        };
        let mut roots: Vec<TyId> = captures
            .iter()
            .map(|c| self.program.local_types[c.0 as usize])
            .collect();
        roots.extend(self.mono.values().copied());
        roots.push(self.ret_ty);
        roots.extend(self.msg_ty);
        roots.extend(self.bounds.iter().map(|(t, _)| *t));
        roots.extend(self.generic_names.iter().map(|(t, _)| *t));
        for (m, result) in &self.deferred_methods {
            roots.push(m.receiver_ty);
            roots.extend(m.arg_tys.iter().copied());
            roots.push(*result);
        }
        for f in &self.deferred_fields {
            roots.extend(f.types());
        }
        for &(_, operand, payload, ret, _, _) in &self.deferred_try {
            roots.extend([operand, payload, ret]);
        }
        let mut vars = Vec::new();
        for t in roots {
            self.types.free_vars(t, &mut vars);
        }
        vars
    }

    /// When function `def` is generalised with `n` type parameters: gives the variables its
    /// generalised `let`s quantify the `Gen` indices after them (added to `map`) and records
    /// the bindings for MIR.
    pub(super) fn number_local_schemes(
        &mut self,
        locals: std::ops::Range<u32>,
        n: u32,
        map: &mut HashMap<u32, TyId>,
    ) {
        let inside: Vec<LocalId> = self
            .poly
            .range(LocalId(locals.start)..LocalId(locals.end))
            .map(|(l, _)| *l)
            .collect();
        let mut next = n;
        for local in inside {
            let Some(poly) = self.poly.remove(&local) else {
                continue;
            };
            let mut gens = Vec::new();
            for v in poly.vars {
                // Unbound by construction; a bound one simply keeps its binding.
                let var = self.types.intern(TyKind::Var(v));
                if self.types.shallow(var) != var {
                    continue;
                }
                map.insert(v, self.types.intern(TyKind::Gen(next)));
                gens.push(next);
                next += 1;
            }
            self.program.local_schemes.insert(
                local,
                LocalScheme {
                    value: poly.value,
                    gens,
                },
            );
        }
    }
}

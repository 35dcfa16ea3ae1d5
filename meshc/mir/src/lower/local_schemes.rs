//! Generalised `let`s (`hir::Program::local_schemes`, let-polymorphism in sema): the binding
//! itself emits nothing; each use lowers the bound value again with the use's type arguments
//! in the binding's `Gen`s, so a local `id` used at Int and at String becomes two closure
//! objects over two instances of its code (uses at one type share the code; see
//! `Ctx::closure_codes`). The value is a syntactic value, so building it more than once is
//! not observable. Closures capture the captures of a generalised local instead of the local.

use super::FnBuilder;
use crate::Operand;
use mesh_sema::hir::{self, ExprId, ExprKind, LocalId, PatKind};

impl FnBuilder<'_, '_> {
    /// Whether `pat` binds a generalised `let`.
    pub(super) fn is_generalised(&self, pat: hir::PatId) -> bool {
        let program = self.ctx.program;
        matches!(program.pat(pat).kind, PatKind::Bind(l) if program.local_schemes.contains_key(&l))
    }

    /// The use `e` of the generalised local `local`: its value built at the use's type.
    pub(super) fn local_scheme_use(&mut self, e: ExprId, local: LocalId) -> Operand {
        let program = self.ctx.program;
        let scheme = &program.local_schemes[&local];
        let use_ty = self.concrete(program.expr_ty(e));
        let mut found = Vec::new();
        self.ctx
            .types
            .match_gen(program.local_ty(local), use_ty, &mut found);
        let unit = self.ctx.types.unit();
        let mut subst = self.subst.clone();
        for &g in &scheme.gens {
            let g = g as usize;
            if subst.len() <= g {
                subst.resize(g + 1, unit);
            }
            subst[g] = found.get(g).copied().flatten().unwrap_or(unit);
        }
        let saved = std::mem::replace(&mut self.subst, subst);
        let value = self.expr(scheme.value);
        self.subst = saved;
        value
    }

    /// `captures` with each generalised local replaced by what its value captures, so a
    /// closure can build it inside. Order of first appearance, without repeats.
    pub(super) fn flat_captures(&self, captures: &[LocalId]) -> Vec<LocalId> {
        let mut out = Vec::new();
        self.flatten_into(captures, &mut out);
        out
    }

    fn flatten_into(&self, captures: &[LocalId], out: &mut Vec<LocalId>) {
        let program = self.ctx.program;
        for &c in captures {
            match program.local_schemes.get(&c) {
                Some(scheme) => match &program.expr(scheme.value).kind {
                    ExprKind::Closure { captures, .. } => self.flatten_into(captures, out),
                    ExprKind::Local(l) => self.flatten_into(&[*l], out),
                    _ => {}
                },
                None if !out.contains(&c) => out.push(c),
                None => {}
            }
        }
    }
}

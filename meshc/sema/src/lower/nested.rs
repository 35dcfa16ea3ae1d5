//! Nested function declarations (spec §4.1, P2): `fn name(…) … end` as a statement of a block.
//! Consecutive declarations of one name are the clauses of one function, as at the top level
//! (spec §3.1.2). The function becomes a `let` of a closure: it captures the enclosing locals
//! it uses, is visible in the rest of the block, and can call itself by its name (the closure's
//! `self_local`). The checker generalises it like any `let` of a closure; unlike top-level
//! functions, nested functions do not see the ones declared after them and cannot declare
//! generic parameters or `where` bounds.

use super::{Lowerer, Scope};
use crate::errors;
use crate::hir::{ExprKind, LocalId, PatKind, Stmt};
use mesh_syntax::ast;
use mesh_syntax::span::Span;

impl Lowerer<'_, '_> {
    /// The clauses of the nested function starting at `stmts[0]` (a `fn` statement), checked
    /// like top-level clauses, and how many statements they span.
    pub(super) fn nested_fn_clauses<'s>(
        &mut self,
        stmts: &'s [ast::Stmt],
    ) -> (Vec<&'s ast::FnDef>, usize) {
        let mut clauses: Vec<&ast::FnDef> = Vec::new();
        let mut used = 0;
        for stmt in stmts {
            let ast::StmtKind::Item(item) = &stmt.kind else {
                break;
            };
            let ast::ItemKind::Fn(f) = &item.kind else {
                break;
            };
            if clauses.first().is_some_and(|c| c.name.name != f.name.name) {
                break;
            }
            if self.check_next_clause(&clauses, f) {
                clauses.push(f);
            }
            used += 1;
        }
        (clauses, used)
    }

    /// `let name = <closure>` for a nested function with these clauses (at least one); `span`
    /// covers them all.
    pub(super) fn lower_nested_fn(&mut self, clauses: &[&ast::FnDef], span: Span) -> Option<Stmt> {
        let f = *clauses.first()?;
        if let Some(g) = f.generics.first() {
            self.diags.push(errors::unsupported(
                "generic parameters on a nested function",
                g.span,
            ));
        }
        if let Some(b) = f.where_bounds.first() {
            let span = b.param.span.to(b.bound.span);
            self.diags.push(errors::unsupported(
                "a `where` clause on a nested function",
                span,
            ));
        }
        // Reported above; the names still resolve (to one type each) so that no error follows.
        let outer_generics = self.generics.len();
        for g in &f.generics {
            let var = self.types.fresh_var();
            self.generics.push((g.name.clone(), var));
        }
        self.locals.push(Scope::default());
        self.closures.push((self.locals.len() - 1, Vec::new()));
        let saved_loops = std::mem::replace(&mut self.loop_depth, 0);
        // Bound in the closure's own scope: a use inside the body is the closure itself, not a
        // capture. Parameters of the same name shadow it.
        let me = self.bind_local(&f.name.name, f.name.span, None);
        let simple = clauses.len() == 1
            && f.guard.is_none()
            && super::plain_params(f.params.iter().flatten());
        let params: Vec<LocalId> = f
            .params
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| {
                let ann = p.ty.as_ref().map(|t| self.annotation(t));
                self.param_local(i, p, ann, simple)
            })
            .collect();
        let ret = f.ret.as_ref().map(|t| self.annotation(t));
        let body = if simple {
            self.lower_expr(&f.body)
        } else {
            self.lower_clauses(clauses, &params, f.name.span)
        };
        self.loop_depth = saved_loops;
        self.generics.truncate(outer_generics);
        let captures = self.closures.pop().map(|(_, c)| c).unwrap_or_default();
        self.locals.pop();
        let value = self.program.add_expr(
            ExprKind::Closure {
                params,
                body,
                captures,
                self_local: Some(me),
                ret,
            },
            span,
        );
        let outer = self.bind_local(&f.name.name, f.name.span, None);
        let pat = self.program.add_pat(PatKind::Bind(outer), f.name.span);
        Some(Stmt::Let { pat, value })
    }
}

//! `Node.spawn(node, f, args…)` and `Node.spawn_link(node, f, args…)` (stdlib §17.1): like
//! `spawn(f, args…)`, on a connected node. Variadic, so not a row of the builtin table: the
//! call becomes `ExprKind::NodeSpawn`, typed like `spawn` (its pid's message type comes from
//! the actor) with a `String` node, and lowered to the runtime's remote spawn by MIR
//! (`mesh_mir` `lower/node_spawn.rs`).

use super::Lowerer;
use crate::errors;
use crate::hir::{ExprId, ExprKind};
use mesh_syntax::ast::{self, Expr};
use mesh_syntax::span::Span;

impl Lowerer<'_, '_> {
    /// `Node.spawn(…)` / `Node.spawn_link(…)` unless a local or a module-level name shadows
    /// `Node`; `None` for any other call.
    pub(super) fn node_spawn(
        &mut self,
        callee: &Expr,
        args: &[ExprId],
        span: Span,
    ) -> Option<ExprKind> {
        let ast::ExprKind::Field { base, name: member } = &callee.kind else {
            return None;
        };
        let ast::ExprKind::Name(module) = &base.kind else {
            return None;
        };
        let link = match member.name.as_str() {
            "spawn" => false,
            "spawn_link" => true,
            _ => return None,
        };
        let is_local = self
            .locals
            .iter()
            .any(|s| s.bindings.iter().any(|(b, _)| b == module));
        let shadowed = self
            .scopes
            .get(&self.module)
            .is_some_and(|s| s.contains_key(module));
        if module != "Node" || is_local || shadowed {
            return None;
        }
        let [node, target, rest @ ..] = args else {
            self.diags.push(errors::arity_mismatch(2, args.len(), span));
            return Some(ExprKind::Error);
        };
        Some(ExprKind::NodeSpawn {
            node: *node,
            target: *target,
            args: rest.to_vec(),
            link,
        })
    }
}

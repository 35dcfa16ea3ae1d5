//! Clustered declarations (language §3.1.1, §4.12; stdlib §17.3, §18.4; runtime-cluster
//! §4.1, §7): the `@cluster` functions of the package and the `HTTP.clustered` route handlers,
//! collected into `Program::clustered` with their runtime names (`<Module>.<fn>`), counts and
//! kinds, and every compile-time rule: CFG0001 for declarations, E0046–E0051 for calls.
//!
//! `HTTP.clustered(n, h)` lowers to the internal call `__http_clustered("<Module>.<h>", n, h)`:
//! the handler stays an argument so the checker types it as `fn(Request) -> Response`; MIR
//! passes only the name and the count to the runtime (`mesh_rt_http_clustered`).

use super::{Binding, Lowerer};
use crate::builtins::Builtin;
use crate::errors;
use crate::hir::{ClusterDecl, ClusterKind, DefId, ExprId, ExprKind, Lit};
use mesh_syntax::ast;
use mesh_syntax::span::Span;
use std::collections::BTreeMap;

/// The default replication count of `@cluster` and `HTTP.clustered`.
pub const DEFAULT_COUNT: i64 = 2;

/// The route functions whose third argument is a handler (stdlib §18.1).
const ROUTE_FNS: &[&str] = &["route", "on_get", "on_post", "on_put", "on_delete"];

/// One `HTTP.clustered` call naming a handler.
#[derive(Debug, Clone)]
pub(super) struct RouteUse {
    def: DefId,
    count: i64,
    span: Span,
}

impl Lowerer<'_, '_> {
    /// `M.name` where `M` names a stdlib module (not a local): (module, name).
    fn stdlib_member<'e>(&self, e: &'e ast::Expr) -> Option<(String, &'e str)> {
        let ast::ExprKind::Field { base, name } = &e.kind else {
            return None;
        };
        self.stdlib_field(base, name)
    }

    fn stdlib_field<'e>(
        &self,
        base: &ast::Expr,
        name: &'e ast::Ident,
    ) -> Option<(String, &'e str)> {
        let ast::ExprKind::Name(module) = &base.kind else {
            return None;
        };
        let is_local = self
            .locals
            .iter()
            .any(|s| s.bindings.iter().any(|(n, _)| n == module));
        if is_local || self.user_type(module).is_some() {
            return None;
        }
        let full = match self.scopes.get(&self.module).and_then(|s| s.get(module)) {
            Some(Binding::Module(full)) => full.clone(),
            Some(_) => return None,
            None => module.clone(),
        };
        Some((full, name.name.as_str()))
    }

    fn is_http_clustered(&self, e: &ast::Expr) -> bool {
        self.stdlib_member(e)
            .is_some_and(|(m, n)| m == "HTTP" && n == "clustered")
    }

    fn is_continuity_promote(&self, e: &ast::Expr) -> bool {
        self.stdlib_member(e)
            .is_some_and(|(m, n)| m == "Continuity" && n == "promote")
    }

    /// A use of `M.name` without a call that the cluster rules reject (E0046, E0051).
    pub(super) fn cluster_field(
        &mut self,
        base: &ast::Expr,
        name: &ast::Ident,
        span: Span,
    ) -> Option<ExprKind> {
        match self.stdlib_field(base, name)? {
            (m, "promote") if m == "Continuity" => {
                self.diags.push(errors::continuity_promote(span));
                Some(ExprKind::Error)
            }
            (m, "clustered") if m == "HTTP" => {
                self.diags.push(errors::clustered_as_value(span));
                Some(ExprKind::Error)
            }
            _ => None,
        }
    }

    /// The call `callee(args)` when it is a cluster form: `Continuity.promote(...)` (E0046)
    /// or `HTTP.clustered(...)`.
    pub(super) fn cluster_call(
        &mut self,
        callee: &ast::Expr,
        args: &[ast::Expr],
        extra: bool,
        span: Span,
    ) -> Option<ExprKind> {
        if self.is_continuity_promote(callee) {
            for a in args {
                self.lower_expr(a);
            }
            self.diags.push(errors::continuity_promote(span));
            return Some(ExprKind::Error);
        }
        if !self.is_http_clustered(callee) {
            return None;
        }
        Some(self.http_clustered(callee.span, args, extra, span))
    }

    /// The span of the argument of a route call (`HTTP.route`/`HTTP.on_*`) that is an
    /// `HTTP.clustered(…)` call in handler position: `handler_index` is the handler's index
    /// among the explicit arguments (2, or 1 when a pipe supplies the router).
    pub(super) fn clustered_handler_arg(
        &self,
        callee: &ast::Expr,
        args: &[ast::Expr],
        handler_index: usize,
    ) -> Option<Span> {
        let (module, name) = self.stdlib_member(callee)?;
        if module != "HTTP" || !ROUTE_FNS.contains(&name) {
            return None;
        }
        let arg = args.get(handler_index)?;
        match &arg.kind {
            ast::ExprKind::Call { callee, .. } if self.is_http_clustered(callee) => Some(arg.span),
            _ => None,
        }
    }

    /// `HTTP.clustered(handler)` / `HTTP.clustered(n, handler)`: checks the rules and lowers
    /// to `__http_clustered("<Module>.<fn>", n, handler)`. `extra` is whether keyword or
    /// trailing arguments were given; `callee_span` is `HTTP.clustered`'s own (what an editor
    /// shows for the callee).
    fn http_clustered(
        &mut self,
        callee_span: Span,
        args: &[ast::Expr],
        extra: bool,
        span: Span,
    ) -> ExprKind {
        let allowed = self.clustered_ok == Some(span);
        if !allowed {
            self.diags.push(errors::clustered_not_in_route(span));
        }
        if extra {
            self.diags.push(errors::clustered_arguments(
                "keyword and trailing arguments are not accepted",
                span,
            ));
            return ExprKind::Error;
        }
        let (count_arg, handler_arg) = match args {
            [h] => (None, h),
            [n, h] => (Some(n), h),
            _ => {
                self.diags.push(errors::clustered_arguments(
                    &format!("expected 1 or 2 arguments, found {}", args.len()),
                    span,
                ));
                return ExprKind::Error;
            }
        };
        let count = match count_arg {
            None => Some(DEFAULT_COUNT),
            Some(n) => self.clustered_count(n),
        };
        let reported = self.diags.len();
        let handler = self.lower_expr(handler_arg);
        let def = if self.diags.len() > reported {
            None // the handler's own error is enough
        } else {
            self.clustered_handler(handler, handler_arg)
        };
        let (Some(count), Some(def)) = (count, def) else {
            return ExprKind::Error;
        };
        if !allowed {
            return ExprKind::Error;
        }
        self.route_uses.push(RouteUse { def, count, span });
        let decl = self.program.func(def);
        let runtime_name = format!("{}.{}", decl.module, decl.name);
        let builtin = Builtin::lookup(None, "__http_clustered")
            .expect("the stdlib table has __http_clustered");
        let callee = self
            .program
            .add_expr(ExprKind::Builtin(builtin), callee_span);
        let name = self
            .program
            .add_expr(ExprKind::Lit(Lit::Str(runtime_name)), span);
        let count = self.program.add_expr(ExprKind::Lit(Lit::Int(count)), span);
        ExprKind::Call {
            callee,
            args: vec![name, count, handler],
        }
    }

    /// The count argument: a positive integer literal (E0047 otherwise).
    fn clustered_count(&mut self, n: &ast::Expr) -> Option<i64> {
        let reason = match &n.kind {
            ast::ExprKind::Int(v) if *v == 0 => "the count must be positive, found 0".to_string(),
            ast::ExprKind::Int(v) => match i64::try_from(*v) {
                Ok(v) => return Some(v),
                Err(_) => "the count is too large".to_string(),
            },
            ast::ExprKind::Unary {
                op: ast::UnOp::Neg,
                operand,
            } if matches!(operand.kind, ast::ExprKind::Int(_)) => {
                "the count must be positive".to_string()
            }
            _ => "the count must be a positive integer literal".to_string(),
        };
        self.lower_expr(n);
        self.diags
            .push(errors::clustered_arguments(&reason, n.span));
        None
    }

    /// The handler argument: a named `pub fn` (E0047 for anything else, E0048 when private).
    fn clustered_handler(&mut self, handler: ExprId, arg: &ast::Expr) -> Option<DefId> {
        let reason = match self.program.expr(handler).kind {
            ExprKind::Fn(def) => {
                let decl = self.program.func(def);
                if decl.actor {
                    "the handler must be a function, not an actor"
                } else if !decl.is_pub {
                    let (name, def_span) = (decl.name.clone(), decl.name_span);
                    self.diags
                        .push(errors::clustered_handler_not_pub(&name, arg.span, def_span));
                    return None;
                } else {
                    return Some(def);
                }
            }
            // Already reported (an unknown or private name).
            ExprKind::Error => return None,
            ExprKind::Closure { .. } => "the handler must be a named `pub fn`, not a closure",
            _ => "the handler must be a named `pub fn`",
        };
        self.diags
            .push(errors::clustered_arguments(reason, arg.span));
        None
    }

    /// After every body is lowered: the `@cluster` declarations of `modules` (CFG0001) and
    /// the route handlers (E0050), into `Program::clustered`.
    pub(super) fn collect_clustered(&mut self, modules: &[super::ModuleInput]) {
        let mut decls: Vec<ClusterDecl> = Vec::new();
        // Explicit `@cluster` counts by function, for E0050 against route uses.
        let mut declared: BTreeMap<DefId, usize> = BTreeMap::new();
        for m in modules {
            let fns: Vec<&ast::FnDef> = m
                .ast
                .items
                .iter()
                .filter_map(|i| match &i.kind {
                    ast::ItemKind::Fn(f) => Some(&**f),
                    _ => None,
                })
                .collect();
            for f in &fns {
                let Some(attr) = &f.cluster else { continue };
                if let Some(decl) = self.cluster_decl(&m.name, f, attr, &fns) {
                    declared.insert(decl.def, decls.len());
                    decls.push(decl);
                }
            }
        }
        // Route handlers: one count per handler (E0050), kind Route.
        let uses = std::mem::take(&mut self.route_uses);
        let mut first_use: BTreeMap<DefId, (i64, Span)> = BTreeMap::new();
        for u in &uses {
            let name = self.program.func(u.def).name.clone();
            if let Some(&(count, span)) = first_use.get(&u.def) {
                if count != u.count {
                    self.diags.push(errors::clustered_conflicting_counts(
                        &name, count, u.count, u.span, span,
                    ));
                }
                continue;
            }
            first_use.insert(u.def, (u.count, u.span));
            match declared.get(&u.def) {
                Some(&i) => {
                    if decls[i].count != u.count {
                        self.diags.push(errors::clustered_conflicting_counts(
                            &name,
                            decls[i].count,
                            u.count,
                            u.span,
                            decls[i].span,
                        ));
                    }
                    decls[i].kind = ClusterKind::Route;
                }
                None => {
                    let decl = self.program.func(u.def);
                    decls.push(ClusterDecl {
                        runtime_name: format!("{}.{}", decl.module, decl.name),
                        def: u.def,
                        count: u.count,
                        kind: ClusterKind::Route,
                        span: u.span,
                    });
                }
            }
        }
        // A runtime name registered twice is a compile error (runtime-cluster §4.1).
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        decls.retain(|d| {
            if seen.contains_key(&d.runtime_name) {
                self.diags.push(errors::invalid_cluster_decl(
                    &format!("runtime name `{}` is registered twice", d.runtime_name),
                    d.span,
                ));
                return false;
            }
            seen.insert(d.runtime_name.clone(), d.span);
            true
        });
        self.program.clustered = decls;
    }

    /// One `@cluster` function of module `module` (whose functions are `fns`), or CFG0001.
    fn cluster_decl(
        &mut self,
        module: &str,
        f: &ast::FnDef,
        attr: &ast::ClusterAttr,
        fns: &[&ast::FnDef],
    ) -> Option<ClusterDecl> {
        let name = &f.name.name;
        let fail = |l: &mut Self, reason: String| {
            l.diags
                .push(errors::invalid_cluster_decl(&reason, attr.span));
            None
        };
        let def = *self.fns.get(&(module.to_string(), name.clone()))?;
        let decl = self.program.func(def);
        let (decl_span, decl_arity) = (decl.name_span, decl.arity);
        if decl_span != f.name.span {
            // Not the declaration the name resolves to: another arity (an overload) or a
            // later clause.
            return if decl_arity != f.arity() {
                let reason = format!(
                    "`@cluster` target `{name}` is overloaded (also defined with {decl_arity} parameter(s))"
                );
                fail(self, reason)
            } else {
                fail(
                    self,
                    format!("`@cluster` must precede the first clause of `{name}`"),
                )
            };
        }
        if let Some(other) = fns
            .iter()
            .find(|g| g.name.name == *name && g.arity() != f.arity())
        {
            return fail(
                self,
                format!(
                    "`@cluster` target `{name}` is overloaded (also defined with {} parameter(s))",
                    other.arity()
                ),
            );
        }
        if !f.is_pub {
            return fail(self, format!("`@cluster` target `{name}` must be `pub`"));
        }
        let count = match attr.replicas {
            None => DEFAULT_COUNT,
            Some(n) if attr.negative => {
                return fail(
                    self,
                    format!("the replication count must be a positive integer, found -{n}"),
                )
            }
            Some(0) => {
                return fail(
                    self,
                    "the replication count must be a positive integer, found 0".to_string(),
                )
            }
            Some(n) => match i64::try_from(n) {
                Ok(n) => n,
                Err(_) => return fail(self, format!("the replication count {n} is too large")),
            },
        };
        let kind = if f.arity() == 0 {
            ClusterKind::Startup
        } else {
            ClusterKind::Other
        };
        Some(ClusterDecl {
            runtime_name: format!("{module}.{name}"),
            def,
            count,
            kind,
            span: attr.span,
        })
    }
}

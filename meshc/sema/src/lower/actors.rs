//! Actors and services (language spec §3.7, §3.8, §4.11).
//!
//! An `actor` becomes a function marked `actor` (its `terminate` clause registered by a call
//! at the top of its body). A `service` is rewritten into ordinary declarations, as source
//! the user could almost have written (the generated names contain a `.`, so they cannot
//! clash with user names):
//!
//! ```text
//! type Tally.Request do AddBy(Int) | Clear end          # one variant per handler
//! fn Tally.init(…)                                       # the service's own functions
//! actor Tally.__main(init args…) do Tally.__loop(Tally.init(args…)) end
//! actor Tally.__loop(__state :: Int) do                # init's declared result type
//!   receive do
//!     Tally.Request.AddBy(k) -> let n = __state
//!                               let (__s, __v) = <handler body>
//!                               let __v :: Int = __v      # the declared reply type
//!                               __service_reply(__v)
//!                               Tally.__loop(__s)
//!     Tally.Request.Clear -> let _n = __state
//!                            Tally.__loop(<handler body>)
//!   end
//! end
//! fn Tally.start(args…) -> Pid<Tally.Request> = spawn(Tally.__main, args…)
//! fn Tally.add_by(__pid, k) -> Reply = __service_call(__pid, Tally.Request.AddBy(k))
//! fn Tally.clear(__pid) = send(__pid, Tally.Request.Clear)
//! ```
//!
//! `Tally.start(…)` then resolves like a module member (`service_member`), also from other
//! modules: `from M import Tally`, `M.Tally.start(…)` after `import M`, and `Store.start()`
//! after `import Services.Store` when that module declares `service Store`.

use super::types::STD_PREFIX;
use super::{Binding, Lowerer, ModuleInput};
use crate::errors;
use mesh_rt_abi::supervisor::{
    RESTART_PERMANENT, RESTART_TEMPORARY, RESTART_TRANSIENT, SHUTDOWN_BRUTAL_KILL,
    STRATEGY_ONE_FOR_ALL, STRATEGY_ONE_FOR_ONE, STRATEGY_REST_FOR_ONE,
};
use mesh_syntax::ast::{self, Expr, ExprKind, Ident, Pattern, PatternKind, Stmt, StmtKind};
use mesh_syntax::span::Span;

use super::Bodies;
use std::borrow::Cow;

impl<'m> Lowerer<'_, 'm> {
    /// Declares an actor as a function whose body may receive.
    pub(super) fn declare_actor(
        &mut self,
        m: &'m ModuleInput,
        span: Span,
        a: &'m ast::ActorDef,
        bodies: &mut Bodies<'m>,
    ) {
        let mut block = a.body.clone();
        if let Some(t) = &a.terminate {
            let closure = expr(
                ExprKind::Closure(vec![ast::ClosureClause {
                    params: vec![],
                    guard: None,
                    body: expr(ExprKind::Block(t.clone()), t.span),
                    span: t.span,
                }]),
                t.span,
            );
            block.stmts.insert(
                0,
                stmt_expr(call(builtin("__on_terminate", t.span), vec![closure])),
            );
        }
        let f = synth_fn(&a.name.name, a.name.span, a.params.clone(), None, {
            let s = block.span;
            expr(ExprKind::Block(block), s)
        });
        self.declare_generated(m, span, f, true, bodies);
    }

    fn declare_generated(
        &mut self,
        m: &'m ModuleInput,
        span: Span,
        f: ast::FnDef,
        actor: bool,
        bodies: &mut Bodies<'m>,
    ) {
        let key = (m.name.clone(), f.name.name.clone());
        self.declare_fn(m, span, Cow::Owned(f), bodies);
        if let Some(&def) = self.fns.get(&key) {
            self.program.fns[def.0 as usize].actor = actor;
        }
    }

    /// Rewrites a service into a request type and functions (module docs). Returns the
    /// request type's declaration, which the caller declares with the other types.
    pub(super) fn declare_service(
        &mut self,
        m: &'m ModuleInput,
        span: Span,
        s: &'m ast::ServiceDef,
        bodies: &mut Bodies<'m>,
    ) -> Option<ast::SumDef> {
        let svc = &s.name.name;
        let sp = s.name.span;
        self.services.insert((m.name.clone(), svc.clone()));
        let request = format!("{svc}.Request");
        let mut variants = Vec::new();
        let mut ok = true;
        for h in &s.handlers {
            let mut fields = Vec::new();
            for p in &h.params {
                match (&p.ty, &p.pattern.kind) {
                    (Some(t), PatternKind::Bind(_)) => fields.push(t.clone()),
                    _ => {
                        self.diags.push(errors::unsupported(
                            "a service handler parameter without a name and a type annotation",
                            p.span,
                        ));
                        ok = false;
                    }
                }
            }
            variants.push(ast::VariantDef {
                name: h.name.clone(),
                fields: fields
                    .into_iter()
                    .map(|ty| ast::VariantField { name: None, ty })
                    .collect(),
                span: h.span,
            });
        }
        if !ok {
            return None;
        }
        let init = s.fns.iter().find(|f| f.name.name == "init");
        let Some(init) = init else {
            self.diags.push(errors::service_without_init(svc, sp));
            return None;
        };
        // The service's own functions, under `Service.name`.
        for f in &s.fns {
            let mut g = f.clone();
            g.name.name = format!("{svc}.{}", f.name.name);
            self.declare_generated(m, span, g, false, bodies);
        }
        let init_params: Vec<ast::Param> = init.params.clone().unwrap_or_default();
        let init_args: Vec<Expr> = init_params.iter().map(param_name_expr).collect();
        // __main: runs init in the service's process, then loops.
        let main_body = call(
            name(&format!("{svc}.__loop"), sp),
            vec![call(name(&format!("{svc}.init"), sp), init_args.clone())],
        );
        let f = synth_fn(
            &format!("{svc}.__main"),
            sp,
            init_params.clone(),
            None,
            main_body,
        );
        self.declare_generated(m, span, f, true, bodies);
        // __loop: one receive arm per handler.
        let mut arms = Vec::new();
        for h in &s.handlers {
            arms.push(handler_arm(svc, &request, h));
        }
        let receive = expr(ExprKind::Receive { arms, after: None }, sp);
        // The state has the type `init` declares (spec §3.8), in every handler from the start.
        let state_param = ast::Param {
            pattern: pat(PatternKind::Bind("__state".into()), sp),
            ty: init.ret.clone(),
            span: sp,
        };
        let f = synth_fn(
            &format!("{svc}.__loop"),
            sp,
            vec![state_param],
            None,
            receive,
        );
        self.declare_generated(m, span, f, true, bodies);
        // start
        let mut spawn_args = vec![name(&format!("{svc}.__main"), sp)];
        spawn_args.extend(init_args);
        let pid_ty = ast::TypeExpr {
            kind: ast::TypeKind::Named {
                path: path(&[STD_PREFIX, "Pid"], sp),
                args: vec![named_type(&request, sp)],
            },
            span: sp,
        };
        let f = synth_fn(
            &format!("{svc}.start"),
            sp,
            init_params,
            Some(pid_ty),
            call(name("spawn", sp), spawn_args),
        );
        self.declare_generated(m, span, f, false, bodies);
        // One client function per handler.
        for h in &s.handlers {
            let hs = h.span;
            let mut params = vec![ast::Param {
                pattern: pat(PatternKind::Bind("__pid".into()), hs),
                ty: None,
                span: hs,
            }];
            params.extend(h.params.iter().cloned());
            let args: Vec<Expr> = h.params.iter().map(param_name_expr).collect();
            let request_value = construct(&request, &h.name, args, hs);
            let body = match h.kind {
                ast::HandlerKind::Call => call(
                    builtin("__service_call", hs),
                    vec![name("__pid", hs), request_value],
                ),
                ast::HandlerKind::Cast => {
                    call(name("send", hs), vec![name("__pid", hs), request_value])
                }
            };
            let ret = match h.kind {
                ast::HandlerKind::Call => h.reply.clone(),
                ast::HandlerKind::Cast => None,
            };
            let f = synth_fn(
                &format!("{svc}.{}", snake_case(&h.name.name)),
                h.name.span,
                params,
                ret,
                body,
            );
            self.declare_generated(m, span, f, false, bodies);
        }
        Some(ast::SumDef {
            is_pub: false,
            name: Ident {
                name: request,
                span: sp,
            },
            generics: vec![],
            variants,
            deriving: None,
        })
    }
}

impl Lowerer<'_, '_> {
    /// The service `base` names, as (declaring module, service name), when it is not a
    /// local: `Svc` declared in this module or bound by `from M import Svc`; `M.Svc` through
    /// `import M`; and `Store` through `import Services.Store` when that module declares a
    /// service `Store` (services are always exported, spec §2.3).
    pub(super) fn service_ref(&self, base: &Expr) -> Option<(String, String)> {
        let is_local = |n: &str| {
            self.locals
                .iter()
                .any(|s| s.bindings.iter().any(|(b, _)| b == n))
        };
        let binding = |n: &str| self.scopes.get(&self.module).and_then(|s| s.get(n));
        let is_service = |module: &str, svc: &str| {
            self.services
                .contains(&(module.to_string(), svc.to_string()))
        };
        match &base.kind {
            ExprKind::Name(n) if !is_local(n) => {
                if is_service(&self.module, n) {
                    return Some((self.module.clone(), n.clone()));
                }
                match binding(n) {
                    Some(Binding::Service(m, svc)) => Some((m.clone(), svc.clone())),
                    Some(Binding::Module(full)) if is_service(full, n) => {
                        Some((full.clone(), n.clone()))
                    }
                    _ => None,
                }
            }
            ExprKind::Field { base, name } => match &base.kind {
                ExprKind::Name(m) if !is_local(m) => match binding(m) {
                    Some(Binding::Module(full)) if is_service(full, &name.name) => {
                        Some((full.clone(), name.name.clone()))
                    }
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// `Svc.member` (`Tally.start`, `Tally.add_by`) of the service `base` names: its
    /// generated or own function. None when `base` names no service, or names a module
    /// (`import Services.Store`) that has a function `member` itself (the module member wins,
    /// spec §4.4), or when the service has no such member and is this module's (the caller
    /// goes on to report it).
    pub(super) fn service_member(
        &mut self,
        base: &Expr,
        member: &Ident,
    ) -> Option<crate::hir::ExprKind> {
        let (module, svc) = self.service_ref(base)?;
        if let ExprKind::Name(n) = &base.kind {
            let through_module = matches!(
                self.scopes.get(&self.module).and_then(|s| s.get(n)),
                Some(Binding::Module(_))
            );
            if through_module
                && self
                    .fns
                    .contains_key(&(module.clone(), member.name.clone()))
            {
                return None;
            }
        }
        let generated = (module.clone(), format!("{svc}.{}", member.name));
        match self.fns.get(&generated).copied() {
            Some(def) if self.program.func(def).is_pub || module == self.module => {
                Some(crate::hir::ExprKind::Fn(def))
            }
            Some(_) => {
                self.diags.push(errors::private_import(
                    &member.name,
                    &format!("{module}.{svc}"),
                    member.span,
                ));
                Some(crate::hir::ExprKind::Error)
            }
            None if module == self.module => None,
            None => {
                self.diags.push(errors::name_not_exported(
                    &member.name,
                    &format!("{module}.{svc}"),
                    member.span,
                ));
                Some(crate::hir::ExprKind::Error)
            }
        }
    }
}

impl Lowerer<'_, '_> {
    /// `Job.map(xs, f)` (stdlib §16.4): one job per element, all started before any is
    /// awaited, results in input order. Written as the Mesh it means:
    /// `{ let __jf = f; List.map(List.map(xs, fn __jx -> Job.async(fn -> __jf(__jx) end)
    /// end), fn __jj -> Job.await(__jj) end) }`.
    pub(super) fn job_map(
        &mut self,
        callee: &Expr,
        args: &[Expr],
        trailing: Option<&Expr>,
    ) -> Option<crate::hir::ExprKind> {
        let ExprKind::Field { base, name: member } = &callee.kind else {
            return None;
        };
        let ExprKind::Name(module) = &base.kind else {
            return None;
        };
        let is_local = self
            .locals
            .iter()
            .any(|s| s.bindings.iter().any(|(b, _)| b == module));
        let shadowed = self
            .scopes
            .get(&self.module)
            .is_some_and(|s| s.contains_key(module));
        if module != "Job" || member.name != "map" || is_local || shadowed {
            return None;
        }
        let all: Vec<&Expr> = args.iter().chain(trailing).collect();
        let [xs, f] = all.as_slice() else {
            return None;
        };
        let sp = callee.span;
        let closure = |param: Option<&str>, body: Expr| {
            let params = param
                .map(|p| ast::Param {
                    pattern: pat(PatternKind::Bind(p.into()), sp),
                    ty: None,
                    span: sp,
                })
                .into_iter()
                .collect();
            expr(
                ExprKind::Closure(vec![ast::ClosureClause {
                    params,
                    guard: None,
                    body,
                    span: sp,
                }]),
                sp,
            )
        };
        let member_of = |m: &str, f: &str| {
            expr(
                ExprKind::Field {
                    base: Box::new(name(m, sp)),
                    name: Ident {
                        name: f.into(),
                        span: sp,
                    },
                },
                sp,
            )
        };
        let run = closure(None, call(name("__jf", sp), vec![name("__jx", sp)]));
        let start = closure(Some("__jx"), call(member_of("Job", "async"), vec![run]));
        let jobs = call(member_of("List", "map"), vec![(*xs).clone(), start]);
        let wait = closure(
            Some("__jj"),
            call(member_of("Job", "await"), vec![name("__jj", sp)]),
        );
        let results = call(member_of("List", "map"), vec![jobs, wait]);
        let bind_f = Stmt {
            kind: StmtKind::Let {
                pattern: pat(PatternKind::Bind("__jf".into()), sp),
                ty: None,
                value: (*f).clone(),
            },
            span: sp,
        };
        let block = expr(
            ExprKind::Block(ast::Block {
                stmts: vec![bind_f, stmt_expr(results)],
                span: sp,
            }),
            sp,
        );
        Some(self.lower_kind(&block))
    }
}

impl<'m> Lowerer<'_, 'm> {
    /// A supervisor becomes an actor `Name.__init` that registers its children and runs the
    /// runtime's supervisor loop (sched/supervisor.rs); `spawn(Name)` spawns it. Checks the
    /// settings (E0019–E0021); E0018 is the type checker's.
    pub(super) fn declare_supervisor(
        &mut self,
        m: &'m ModuleInput,
        span: Span,
        s: &'m ast::SupervisorDef,
        bodies: &mut Bodies<'m>,
    ) {
        let sup = &s.name.name;
        let sp = s.name.span;
        self.supervisors.insert((m.name.clone(), sup.clone()));
        let (mut strategy, mut max_restarts, mut max_seconds) =
            (STRATEGY_ONE_FOR_ONE, int(3, sp), int(5, sp));
        for (key, value) in &s.settings {
            match key.name.as_str() {
                "strategy" => {
                    strategy = match word(value).as_deref() {
                        Some("one_for_one" | "simple_one_for_one") => STRATEGY_ONE_FOR_ONE,
                        Some("one_for_all") => STRATEGY_ONE_FOR_ALL,
                        Some("rest_for_one") => STRATEGY_REST_FOR_ONE,
                        _ => {
                            self.diags
                                .push(errors::unknown_strategy(&shown(value), value.span));
                            STRATEGY_ONE_FOR_ONE
                        }
                    }
                }
                "max_restarts" => max_restarts = value.clone(),
                "max_seconds" => max_seconds = value.clone(),
                _ => self.diags.push(errors::unknown_setting(
                    "supervisor",
                    &key.name,
                    "strategy, max_restarts or max_seconds",
                    key.span,
                )),
            }
        }
        let mut stmts = Vec::new();
        for child in &s.children {
            let c = &child.name.name;
            let (mut start, mut restart, mut shutdown) = (None, RESTART_PERMANENT, 5000);
            for (key, value) in &child.settings {
                match key.name.as_str() {
                    "start" => start = Some(value.clone()),
                    "restart" => {
                        restart = match word(value).as_deref() {
                            Some("permanent") => RESTART_PERMANENT,
                            Some("transient") => RESTART_TRANSIENT,
                            Some("temporary") => RESTART_TEMPORARY,
                            _ => {
                                self.diags.push(errors::invalid_restart(
                                    &shown(value),
                                    c,
                                    value.span,
                                ));
                                RESTART_PERMANENT
                            }
                        }
                    }
                    "shutdown" => {
                        shutdown = match (&value.kind, word(value).as_deref()) {
                            (_, Some("brutal_kill")) => SHUTDOWN_BRUTAL_KILL,
                            (ExprKind::Int(n), _) if *n > 0 && *n <= i64::MAX as u64 => *n as i64,
                            _ => {
                                self.diags.push(errors::invalid_shutdown(
                                    &shown(value),
                                    c,
                                    value.span,
                                ));
                                5000
                            }
                        }
                    }
                    _ => self.diags.push(errors::unknown_setting(
                        "child",
                        &key.name,
                        "start, restart or shutdown",
                        key.span,
                    )),
                }
            }
            let Some(start) = start else {
                self.diags.push(errors::child_without_start(c, child.span));
                continue;
            };
            let cs = child.span;
            stmts.push(stmt_expr(call(
                builtin("__supervisor_child", cs),
                vec![
                    expr(ExprKind::Str(c.clone()), child.name.span),
                    start,
                    int(restart, cs),
                    int(shutdown, cs),
                ],
            )));
        }
        stmts.push(stmt_expr(call(
            builtin("__supervisor_run", sp),
            vec![
                expr(ExprKind::Str(sup.clone()), sp),
                int(strategy, sp),
                max_restarts,
                max_seconds,
            ],
        )));
        let body = expr(ExprKind::Block(ast::Block { stmts, span }), span);
        let f = synth_fn(&format!("{sup}.__init"), sp, vec![], None, body);
        self.declare_generated(m, span, f, true, bodies);
    }
}

/// An identifier written as a setting value (`one_for_all`, `brutal_kill`).
fn word(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.clone()),
        _ => None,
    }
}

/// A setting value as the diagnostics show it.
fn shown(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Int(n) => n.to_string(),
        ExprKind::Unary {
            op: ast::UnOp::Neg,
            operand,
        } => format!("-{}", shown(operand)),
        ExprKind::Str(s) => format!("{s:?}"),
        _ => "expression".into(),
    }
}

fn int(n: i64, span: Span) -> Expr {
    if n < 0 {
        expr(
            ExprKind::Unary {
                op: ast::UnOp::Neg,
                operand: Box::new(expr(ExprKind::Int(n.unsigned_abs()), span)),
            },
            span,
        )
    } else {
        expr(ExprKind::Int(n as u64), span)
    }
}

/// The receive arm of one handler.
fn handler_arm(svc: &str, request: &str, h: &ast::Handler) -> ast::Arm {
    let hs = h.span;
    let args: Vec<Pattern> = h
        .params
        .iter()
        .map(|p| pat(p.pattern.kind.clone(), p.span))
        .collect();
    let pattern = pat(
        PatternKind::Constructor {
            path: path(&[request, &h.name.name], hs),
            args: (!args.is_empty()).then_some(args),
        },
        hs,
    );
    let mut stmts = Vec::new();
    if let Some(state) = &h.state {
        stmts.push(Stmt {
            kind: StmtKind::Let {
                pattern: pat(PatternKind::Bind(state.name.clone()), state.span),
                ty: None,
                value: name("__state", state.span),
            },
            span: state.span,
        });
    }
    let body = expr(ExprKind::Block(h.body.clone()), h.body.span);
    let again = |state: Expr| call(name(&format!("{svc}.__loop"), hs), vec![state]);
    match h.kind {
        ast::HandlerKind::Call => {
            stmts.push(Stmt {
                kind: StmtKind::Let {
                    pattern: pat(
                        PatternKind::Tuple(vec![
                            pat(PatternKind::Bind("__s".into()), hs),
                            pat(PatternKind::Bind("__v".into()), hs),
                        ]),
                        hs,
                    ),
                    ty: None,
                    value: body,
                },
                span: hs,
            });
            // The reply has the declared type (the client function returns it unchecked).
            if let Some(reply) = &h.reply {
                stmts.push(Stmt {
                    kind: StmtKind::Let {
                        pattern: pat(PatternKind::Bind("__v".into()), reply.span),
                        ty: Some(reply.clone()),
                        value: name("__v", h.body.span),
                    },
                    span: hs,
                });
            }
            stmts.push(stmt_expr(call(
                builtin("__service_reply", hs),
                vec![name("__v", hs)],
            )));
            stmts.push(stmt_expr(again(name("__s", hs))));
        }
        ast::HandlerKind::Cast => stmts.push(stmt_expr(again(body))),
    }
    ast::Arm {
        pattern,
        guard: None,
        body: expr(ExprKind::Block(ast::Block { stmts, span: hs }), hs),
        span: hs,
    }
}

/// `GetPollMs` → `get_poll_ms` (spec §3.8).
pub(super) fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// A synthesised public function; `declare_generated` hands it to the list of bodies, which
/// owns it until lowering ends.
fn synth_fn(
    fn_name: &str,
    span: Span,
    params: Vec<ast::Param>,
    ret: Option<ast::TypeExpr>,
    body: Expr,
) -> ast::FnDef {
    ast::FnDef {
        cluster: None,
        is_pub: true,
        name: Ident {
            name: fn_name.to_string(),
            span,
        },
        generics: vec![],
        params: Some(params),
        ret,
        where_bounds: vec![],
        guard: None,
        body,
    }
}

fn expr(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

fn pat(kind: PatternKind, span: Span) -> Pattern {
    Pattern { kind, span }
}

fn name(n: &str, span: Span) -> Expr {
    expr(ExprKind::Name(n.to_string()), span)
}

/// A reference to the stdlib function `n` that a program cannot write or shadow (internal
/// ones included: `__service_reply`).
fn builtin(n: &str, span: Span) -> Expr {
    expr(ExprKind::Name(crate::builtins::generated_name(n)), span)
}

fn call(callee: Expr, args: Vec<Expr>) -> Expr {
    let span = callee.span;
    expr(
        ExprKind::Call {
            callee: Box::new(callee),
            args,
            kwargs: vec![],
            trailing: None,
        },
        span,
    )
}

fn stmt_expr(e: Expr) -> Stmt {
    let span = e.span;
    Stmt {
        kind: StmtKind::Expr(e),
        span,
    }
}

fn path(segments: &[&str], span: Span) -> ast::Path {
    ast::Path {
        segments: segments
            .iter()
            .map(|s| Ident {
                name: s.to_string(),
                span,
            })
            .collect(),
        span,
    }
}

fn named_type(n: &str, span: Span) -> ast::TypeExpr {
    ast::TypeExpr {
        kind: ast::TypeKind::Named {
            path: path(&[n], span),
            args: vec![],
        },
        span,
    }
}

/// `Request.Variant(args)` (or the bare variant when it has no payload).
fn construct(request: &str, variant: &Ident, args: Vec<Expr>, span: Span) -> Expr {
    let field = expr(
        ExprKind::Field {
            base: Box::new(name(request, span)),
            name: variant.clone(),
        },
        span,
    );
    if args.is_empty() {
        field
    } else {
        call(field, args)
    }
}

/// The argument expression forwarding a (name-bound) parameter.
fn param_name_expr(p: &ast::Param) -> Expr {
    match &p.pattern.kind {
        PatternKind::Bind(n) => name(n, p.span),
        _ => expr(ExprKind::Nil, p.span),
    }
}

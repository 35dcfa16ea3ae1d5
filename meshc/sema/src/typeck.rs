//! Type inference (Hindley–Milner, Algorithm J) over the HIR. Top-level functions are checked
//! in dependency order, one strongly connected component of the call graph at a time, and each
//! component is generalised before its users are checked (let-polymorphism at the top level).
//! Operator and Display requirements are collected while inferring and checked once the
//! component's types are known; an operand still unknown then defaults to `Int`. A `let` of a
//! syntactic value is generalised too (`local_schemes.rs`).

use crate::errors;
use crate::hir::{self, DefId, ExprId, ExprKind, InterpPart, Lit, Program, Stmt, TypeKey};

mod bounds;
mod convert;
mod data;
mod impl_choice;
mod iterate;
mod local_schemes;
mod mailbox;
use crate::scc::strongly_connected;
use crate::ty::{BuiltinTy, Mismatch, TyId, TyKind, Types};
use mesh_syntax::ast::{BinOp, UnOp};
use mesh_syntax::diagnostic::Diagnostic;
use mesh_syntax::span::Span;
use std::collections::{BTreeMap, HashMap};

/// A capability an operand type must have (spec §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Requirement {
    Arith(BinOp),
    Neg,
    Eq,
    Ord,
    Display,
    /// JSON-encodable (spec stdlib §11.2).
    Json,
}

/// A requirement on a type, checked when the component is inferred.
#[derive(Debug, Clone, Copy)]
struct Pending {
    ty: TyId,
    req: Requirement,
    span: Span,
    /// For a requirement of a generalised `let`'s value instantiated at a use (`span`): the
    /// operation in the value that has it.
    origin: Option<Span>,
}

struct Checker<'a> {
    program: &'a mut Program,
    types: &'a mut Types,
    diags: &'a mut Vec<Diagnostic>,
    /// Types of the functions being inferred in the current component (monomorphic there).
    mono: BTreeMap<DefId, TyId>,
    /// Generalised function types of finished components.
    schemes: HashMap<DefId, (TyId, u32)>,
    ret_ty: TyId,
    /// `?` operands of unknown type: (operand, payload, function result, spans).
    deferred_try: Vec<(ExprId, TyId, TyId, TyId, Span, Span)>,
    pending: Vec<Pending>,
    /// The message type of the actor (or `main`) being checked; `None` elsewhere.
    msg_ty: Option<TyId>,
    /// The `receive` whose patterns fixed `msg_ty`, for errors in later receives.
    msg_origin: Option<Span>,
    /// Parameter types the call being checked gives the closure literal inferred next.
    closure_hint: Option<Vec<TyId>>,
    /// `where` bounds of the component being checked (its type parameters' variables).
    bounds: Vec<(TyId, String)>,
    /// `where` bounds of called functions, instantiated.
    pending_bounds: Vec<bounds::PendingBound>,
    /// Method calls whose receiver type was unknown when met, with their result variable.
    deferred_methods: Vec<(bounds::MethodUse, TyId)>,
    /// Field accesses and struct updates whose base type was unknown when met.
    deferred_fields: Vec<data::DeferredField>,
    /// `try_into()`/`into()` calls typed once their expected result type is known.
    deferred_conversions: Vec<(bounds::MethodUse, TyId)>,
    /// `Type.method` uses that several impls define, chosen once their argument types are known.
    deferred_impl_methods: Vec<impl_choice::DeferredImplMethod>,
    /// The declared type parameters of the component, by variable (for diagnostics).
    generic_names: Vec<(TyId, String)>,
    /// The generalised `let`s of the component, until their function is generalised.
    poly: BTreeMap<hir::LocalId, local_schemes::PolyLocal>,
    /// Message types of the receives met in the component (and of instantiated functions'
    /// mailbox `Gen`s), with the receive's span: checked at its end (typeck/mailbox.rs).
    mailboxes: Vec<(TyId, Span)>,
    /// The `Gen` indices of each generalised function that are a receive's message type.
    mailbox_gens: HashMap<DefId, Vec<(u32, Span)>>,
}

/// Infers and checks every function; fills `expr_types`, `local_types` and `fn_types`.
pub fn check(program: &mut Program, types: &mut Types, diags: &mut Vec<Diagnostic>) {
    let unit = types.unit();
    program.expr_types = vec![unit; program.exprs.len()];
    program.local_types = vec![unit; program.locals.len()];
    program.fn_types = vec![(unit, 0); program.fns.len()];
    program.pat_types = vec![unit; program.pats.len()];
    program.try_from = vec![None; program.exprs.len()];
    program.field_index = vec![u32::MAX; program.exprs.len()];
    program.update_fields = vec![Vec::new(); program.exprs.len()];
    let graph: Vec<Vec<usize>> = (0..program.fns.len())
        .map(|f| {
            let mut refs = Vec::new();
            collect_fn_refs(program, program.fns[f].body, &mut refs);
            refs
        })
        .collect();
    let mut checker = Checker {
        program,
        types,
        diags,
        mono: BTreeMap::new(),
        schemes: HashMap::new(),
        ret_ty: unit,
        deferred_try: Vec::new(),
        pending: Vec::new(),
        msg_ty: None,
        msg_origin: None,
        closure_hint: None,
        bounds: Vec::new(),
        pending_bounds: Vec::new(),
        deferred_methods: Vec::new(),
        deferred_fields: Vec::new(),
        deferred_conversions: Vec::new(),
        deferred_impl_methods: Vec::new(),
        generic_names: Vec::new(),
        poly: BTreeMap::new(),
        mailboxes: Vec::new(),
        mailbox_gens: HashMap::new(),
    };
    for component in strongly_connected(&graph) {
        let defs: Vec<DefId> = component.into_iter().map(|i| DefId(i as u32)).collect();
        checker.check_component(&defs);
    }
    checker.check_entry();
    checker.check_impl_signatures();
    checker.check_derived_fields();
}

fn collect_fn_refs(program: &Program, root: ExprId, out: &mut Vec<usize>) {
    for_each_expr(program, root, &mut |p, e| match &p.expr(e).kind {
        ExprKind::Fn(def) => out.push(def.0 as usize),
        // Resolved only while checking: depend on every impl method of that name.
        // Walked through `Iterator.next` / `Iterable.iter` impls, by the source's type.
        ExprKind::For {
            iter: crate::hir::ForIter::Value(_),
            ..
        } => {
            for imp in &p.impls {
                let method = match imp.interface.as_str() {
                    "Iterator" => "next",
                    "Iterable" => "iter",
                    _ => continue,
                };
                out.extend(
                    imp.methods
                        .iter()
                        .filter(|(m, _)| m == method)
                        .map(|(_, d)| d.0 as usize),
                );
            }
        }
        // `W.from` with several `from` impls: the checker picks one by the argument types.
        ExprKind::ImplMethod { target, method } => {
            for imp in p.impls.iter().filter(|i| i.target == *target) {
                out.extend(
                    imp.methods
                        .iter()
                        .filter(|(m, _)| m == method)
                        .map(|(_, d)| d.0 as usize),
                );
            }
        }
        ExprKind::MethodCall { method, .. } => {
            // `v.try_into()` / `v.into()` call a `try_from` / `from` (typeck/convert.rs).
            let target = match method.as_str() {
                "try_into" => "try_from",
                "into" => "from",
                _ => method.as_str(),
            };
            for imp in &p.impls {
                out.extend(
                    imp.methods
                        .iter()
                        .filter(|(m, _)| m == method || m == target)
                        .map(|(_, d)| d.0 as usize),
                );
            }
        }
        _ => {}
    });
}

/// Visits `root` and every expression below it (iteratively: deep programs must not overflow).
pub fn for_each_expr(program: &Program, root: ExprId, f: &mut dyn FnMut(&Program, ExprId)) {
    let mut stack = vec![root];
    while let Some(e) = stack.pop() {
        f(program, e);
        stack.extend(program.children(e));
    }
}

impl<'a> Checker<'a> {
    fn check_component(&mut self, defs: &[DefId]) {
        self.mono.clear();
        // The bounds of every function of the component (their variables are distinct), so
        // method calls resolved after the bodies still see them.
        self.bounds = defs
            .iter()
            .filter_map(|d| self.program.fn_bounds.get(d))
            .flatten()
            .cloned()
            .collect();
        self.generic_names = defs
            .iter()
            .filter_map(|d| self.program.fn_generics.get(d))
            .flatten()
            .map(|(name, t)| (*t, name.clone()))
            .collect();
        for &def in defs {
            let ty = self.signature(def);
            self.mono.insert(def, ty);
        }
        for &def in defs {
            self.check_body(def);
        }
        self.resolve_impl_methods(false);
        self.resolve_conversions();
        self.resolve_deferred_methods();
        self.resolve_impl_methods(true);
        self.resolve_deferred_try();
        self.check_pending();
        self.settle_mailboxes(defs);
        for &def in defs {
            self.check_rigid_generics(def);
            self.generalise(def);
        }
    }

    /// A declared type parameter stands for any type: a body that fixes it (`fn f<T>(x :: T)
    /// -> Int = x`) or makes two parameters one is an E0001 at the function's name.
    fn check_rigid_generics(&mut self, def: DefId) {
        let Some(generics) = self.program.fn_generics.get(&def).cloned() else {
            return;
        };
        let span = self.program.func(def).name_span;
        let mut seen: Vec<(TyId, &str)> = Vec::new();
        for (name, t) in &generics {
            let resolved = self.types.resolve(*t);
            if !matches!(self.types.kind(resolved), TyKind::Var(_)) {
                let shown = self.types.display(resolved);
                self.diags.push(errors::type_mismatch(name, &shown, span));
                continue;
            }
            if let Some((_, other)) = seen.iter().find(|(r, _)| *r == resolved) {
                self.diags.push(errors::type_mismatch(name, other, span));
                continue;
            }
            seen.push((resolved, name));
        }
    }

    /// The function's type from its annotations, with fresh variables where none are given.
    fn signature(&mut self, def: DefId) -> TyId {
        let params = self.program.func(def).params.clone();
        let mut param_tys = Vec::new();
        for p in params {
            let ty = match &self.program.local_annotations[p.0 as usize] {
                Some(ann) => ann.ty,
                None => self.types.fresh_var(),
            };
            self.program.local_types[p.0 as usize] = ty;
            param_tys.push(ty);
        }
        let ret = match &self.program.ret_annotations[def.0 as usize] {
            // An actor's type carries its message type: `Fun(params) -> Actor<M>` (its body's
            // value is discarded), so `spawn` can type the pid per instantiation.
            _ if self.program.func(def).actor => {
                let m = self.types.fresh_var();
                self.types.builtin(BuiltinTy::Actor, vec![m])
            }
            Some(ann) => ann.ty,
            None => self.types.fresh_var(),
        };
        self.types.intern(TyKind::Fun(param_tys, ret))
    }

    fn check_body(&mut self, def: DefId) {
        let fn_ty = self.mono[&def];
        let TyKind::Fun(_, ret) = self.types.kind(fn_ty).clone() else {
            return;
        };
        self.ret_ty = ret;
        self.msg_origin = None;
        let decl = self.program.func(def);
        let body = decl.body;
        let is_main = Some(def) == self.program.entry
            || (decl.name == "main" && decl.params.is_empty() && self.program.entry.is_none());
        if decl.actor {
            self.msg_ty = self
                .types
                .nominal_args(ret)
                .and_then(|args| args.first().copied());
            // An actor's body is run for its effects: its value is discarded.
            self.ret_ty = self.types.fresh_var();
            self.infer(body);
            self.msg_ty = None;
            return;
        }
        self.msg_ty = is_main.then(|| self.types.fresh_var());
        let body_ty = self.infer(body);
        let span = self.result_span(body);
        self.expect(ret, body_ty, span);
        self.msg_ty = None;
    }

    /// Where to point when a function body has the wrong type: its last expression.
    pub(crate) fn result_span(&self, body: ExprId) -> Span {
        match &self.program.expr(body).kind {
            ExprKind::Block { tail: Some(t), .. } => self.result_span(*t),
            _ => self.program.expr(body).span,
        }
    }

    fn generalise(&mut self, def: DefId) {
        let fn_ty = self.types.resolve(self.mono[&def]);
        let mut vars = Vec::new();
        self.types.free_vars(fn_ty, &mut vars);
        let mut map: HashMap<u32, TyId> = vars
            .iter()
            .enumerate()
            .map(|(i, &v)| (v, self.types.intern(TyKind::Gen(i as u32))))
            .collect();
        let unit = self.types.unit();
        let scheme = self.types.replace_vars(fn_ty, &map, Some(unit));
        self.schemes.insert(def, (scheme, vars.len() as u32));
        let locals = self.program.func(def).locals.clone();
        self.number_local_schemes(locals, vars.len() as u32, &mut map);
        if let Some(bounds) = self.program.fn_bounds.get(&def).cloned() {
            let generalised = bounds
                .into_iter()
                .map(|(t, i)| (self.types.replace_vars(t, &map, Some(unit)), i))
                .collect();
            self.program.fn_bounds.insert(def, generalised);
        }
        self.program.fn_types[def.0 as usize] = (scheme, vars.len() as u32);
        let decl = self.program.func(def).clone();
        for e in decl.exprs.clone() {
            let t = self.program.expr_types[e as usize];
            self.program.expr_types[e as usize] = self.types.replace_vars(t, &map, Some(unit));
        }
        for l in decl.locals.clone() {
            let t = self.program.local_types[l as usize];
            self.program.local_types[l as usize] = self.types.replace_vars(t, &map, Some(unit));
        }
        for p in decl.pats.clone() {
            let t = self.program.pat_types[p as usize];
            self.program.pat_types[p as usize] = self.types.replace_vars(t, &map, Some(unit));
        }
    }

    fn check_entry(&mut self) {
        let Some(entry) = self.program.entry else {
            return;
        };
        let f = self.program.func(entry);
        if !f.params.is_empty() {
            let span = f.name_span;
            self.diags.push(
                errors::arity_mismatch(0, f.params.len(), span)
                    .with_note("`main` takes no parameters"),
            );
        }
    }

    /// Unifies `expected` with `found`, reporting E0001 (or E0002) at `span` on failure.
    pub(crate) fn expect(&mut self, expected: TyId, found: TyId, span: Span) {
        // spec §5.1: the only implicit coercion is Json → String (same representation).
        let (e, f) = (self.types.shallow(expected), self.types.shallow(found));
        if matches!(self.types.kind(e), TyKind::String) && self.types.is_builtin(f, BuiltinTy::Json)
        {
            return;
        }
        match self.types.unify(expected, found) {
            Ok(()) => {}
            Err(Mismatch::Types(..)) => {
                let (e, f) = (self.types.resolve(expected), self.types.resolve(found));
                let (e, f) = self.types.display_pair(e, f);
                self.diags.push(errors::type_mismatch(&e, &f, span));
            }
            Err(Mismatch::Infinite(v, t)) => {
                let t = self.types.resolve(t);
                let shown = self.types.display_with_vars(t);
                self.diags.push(errors::infinite_type(v, &shown, span));
            }
        }
    }

    pub(crate) fn infer(&mut self, e: ExprId) -> TyId {
        let ty = self.infer_kind(e);
        self.program.expr_types[e.0 as usize] = ty;
        ty
    }

    fn infer_kind(&mut self, e: ExprId) -> TyId {
        let span = self.program.expr(e).span;
        match self.program.expr(e).kind.clone() {
            ExprKind::Lit(lit) => self.literal(&lit),
            ExprKind::Local(l) => self.local_use(l, span),
            ExprKind::Fn(def) => self.fn_use_at(def, Some(span)),
            // Only ever a method call's callee, typed by `method_call`.
            ExprKind::BoundMethod { .. } => self.types.error(),
            ExprKind::ImplMethod { target, method } => self.defer_impl_method(e, target, &method),
            ExprKind::Builtin(b) => b.fn_type(self.types),
            ExprKind::VariantFn { adt, variant } => self.variant_fn_type(adt, variant),
            ExprKind::Call { callee, args } => self.call(callee, &args, span),
            ExprKind::Binary { op, lhs, rhs } => self.binary(op, lhs, rhs, span),
            ExprKind::Unary { op, operand } => self.unary(op, operand),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => self.if_expr(cond, then_branch, else_branch),
            ExprKind::Block { stmts, tail } => self.block(&stmts, tail),
            ExprKind::Interp(parts) => {
                for p in parts {
                    if let InterpPart::Expr(x) = p {
                        let t = self.infer(x);
                        let s = self.program.expr(x).span;
                        self.require(t, Requirement::Display, s);
                    }
                }
                self.types.string()
            }
            ExprKind::Tuple(elems) => {
                let elems = elems.iter().map(|&x| self.infer(x)).collect();
                self.types.intern(TyKind::Tuple(elems))
            }
            ExprKind::Return(value) => {
                let (t, s) = match value {
                    Some(v) => (self.infer(v), self.program.expr(v).span),
                    None => (self.types.unit(), span),
                };
                self.expect(self.ret_ty, t, s);
                self.types.never()
            }
            ExprKind::List(elems) => self.list(&elems),
            ExprKind::Construct { adt, variant, args } => self.construct(adt, variant, &args, span),
            ExprKind::Field {
                base,
                name,
                name_span,
            } => self.field(e, base, &name, name_span),
            ExprKind::StructUpdate { base, fields } => self.struct_update(e, base, &fields),
            ExprKind::Case {
                scrutinee, arms, ..
            } => self.case(scrutinee, &arms),
            ExprKind::Try(inner) => self.try_op(e, inner, span),
            ExprKind::While { cond, body } => {
                let ct = self.infer(cond);
                let b = self.types.bool();
                let cspan = self.program.expr(cond).span;
                self.expect(b, ct, cspan);
                self.infer(body);
                self.types.unit()
            }
            ExprKind::Break | ExprKind::Continue => self.types.never(),
            ExprKind::Map(entries) => {
                let (k, v) = (self.types.fresh_var(), self.types.fresh_var());
                for (ke, ve) in entries {
                    let (kt, vt) = (self.infer(ke), self.infer(ve));
                    let (ks, vs) = (self.program.expr(ke).span, self.program.expr(ve).span);
                    self.expect(k, kt, ks);
                    self.expect(v, vt, vs);
                }
                self.types.builtin(BuiltinTy::Map, vec![k, v])
            }
            ExprKind::For {
                pats,
                iter,
                filter,
                body,
            } => self.for_loop(&pats, iter, filter, body),
            ExprKind::Json(fields) => {
                for (_, v) in fields {
                    let t = self.infer(v);
                    let s = self.program.expr(v).span;
                    self.require(t, Requirement::Json, s);
                }
                self.types.builtin(BuiltinTy::Json, vec![])
            }
            ExprKind::MethodCall {
                receiver,
                method,
                method_span,
                args,
                callee,
            } => self.method_call(receiver, &method, method_span, &args, callee, span),
            ExprKind::Closure {
                params,
                body,
                self_local,
                ret,
                ..
            } => self.closure(&params, body, self_local, ret.map(|a| a.ty)),
            ExprKind::Spawn { target, args } => self.spawn(target, &args, span),
            ExprKind::NodeSpawn {
                node, target, args, ..
            } => {
                let string = self.types.string();
                let nt = self.infer(node);
                let ns = self.program.expr(node).span;
                self.expect(string, nt, ns);
                self.spawn(target, &args, span)
            }
            ExprKind::SelfPid => {
                let m = self.msg_ty.unwrap_or_else(|| self.types.fresh_var());
                self.types.builtin(BuiltinTy::Pid, vec![m])
            }
            ExprKind::Receive { arms, after } => self.receive(&arms, after, span),
            ExprKind::Error => self.types.error(),
        }
    }

    pub(crate) fn literal(&mut self, lit: &Lit) -> TyId {
        match lit {
            Lit::Int(_) => self.types.int(),
            Lit::Float(_) => self.types.float(),
            Lit::Bool(_) => self.types.bool(),
            Lit::Str(_) => self.types.string(),
            Lit::Unit => self.types.unit(),
            Lit::Atom(_) => self.types.builtin(BuiltinTy::Atom, vec![]),
            Lit::Regex(_) => self.types.builtin(BuiltinTy::Regex, vec![]),
        }
    }

    pub(crate) fn fn_use(&mut self, def: DefId) -> TyId {
        self.fn_use_at(def, None)
    }

    /// The type of a use of `def`, instantiated; its `where` bounds become requirements on
    /// the type arguments, checked with the component (E0006 at `span`).
    fn fn_use_at(&mut self, def: DefId, span: Option<Span>) -> TyId {
        if let Some(&ty) = self.mono.get(&def) {
            return ty;
        }
        let Some(&(scheme, n)) = self.schemes.get(&def) else {
            return self.types.error();
        };
        let args: Vec<TyId> = (0..n).map(|_| self.types.fresh_var()).collect();
        let bounds = self
            .program
            .fn_bounds
            .get(&def)
            .cloned()
            .unwrap_or_default();
        for (t, interface) in bounds {
            let t = self.types.instantiate(t, &args);
            let span = span.unwrap_or(self.program.func(def).name_span);
            self.pending_bounds.push(bounds::PendingBound {
                ty: t,
                interface,
                span,
                origin: None,
            });
        }
        self.instantiate_mailboxes(def, &args);
        self.types.instantiate(scheme, &args)
    }

    fn call(&mut self, callee: ExprId, args: &[ExprId], span: Span) -> TyId {
        if let ExprKind::ImplMethod { target, method } = self.program.expr(callee).kind.clone() {
            return self.impl_method_call(callee, (target, &method), args, span);
        }
        let callee_ty = self.infer(callee);
        let arg_tys = self.infer_args(callee_ty, args, &[]);
        if let ExprKind::Fn(def) = self.program.expr(callee).kind {
            if self.program.func(def).actor {
                // An actor calling itself (to loop): the call's value is irrelevant.
                self.apply(callee, callee_ty, args, arg_tys, span);
                return self.types.fresh_var();
            }
        }
        if let ExprKind::Builtin(b) = self.program.expr(callee).kind {
            if b.def().module.is_none()
                && b.def().name == "__supervisor_child"
                && args.len() == 4
                && !self.check_child_start(args[0], args[1], arg_tys[1])
            {
                return self.types.unit();
            }
            if b.def().module.is_none()
                && b.def().name == "send"
                && args.len() == 2
                && !self.check_message(arg_tys[0], arg_tys[1], self.program.expr(args[1]).span)
            {
                return self.types.unit();
            }
        }
        if let ExprKind::Builtin(b) = self.program.expr(callee).kind {
            let required = match b.def().symbol {
                crate::builtins::JSON_ENCODE => Some(Requirement::Json),
                crate::builtins::COMPARE => Some(Requirement::Ord),
                crate::builtins::TO_STRING => Some(Requirement::Display),
                _ => None,
            };
            for (&t, &a) in arg_tys.iter().zip(args).take(1) {
                if let Some(req) = required {
                    let s = self.program.expr(a).span;
                    self.require(t, req, s);
                }
            }
            if b.def().module == Some("Tuple") && !arg_tys.is_empty() {
                let ret = self.apply(callee, callee_ty, args, arg_tys.clone(), span);
                self.tuple_call(b.def().name, &arg_tys, args, ret);
                return ret;
            }
        }
        self.apply(callee, callee_ty, args, arg_tys, span)
    }

    /// `Tuple.first/second/nth/size` (stdlib spec §9) take any tuple, which a signature string
    /// cannot say: the argument must be a tuple, and the result is the element's type when
    /// the call shows which element (first, second, a literal index, or a tuple whose elements
    /// all have one type). Elsewhere the runtime checks the element against the expected type.
    fn tuple_call(&mut self, name: &str, arg_tys: &[TyId], args: &[ExprId], ret: TyId) {
        let t = self.types.shallow(arg_tys[0]);
        let span = self.program.expr(args[0]).span;
        let elems = match self.types.kind(t).clone() {
            TyKind::Tuple(elems) => elems,
            TyKind::Var(_) | TyKind::Gen(_) | TyKind::Error | TyKind::Never => return,
            _ => {
                let shown = self.types.display(t);
                self.diags
                    .push(errors::type_mismatch("a tuple", &shown, span));
                return;
            }
        };
        let index = match name {
            "first" => Some(0),
            "second" => Some(1),
            "nth" => match args.get(1).map(|&a| &self.program.expr(a).kind) {
                Some(ExprKind::Lit(crate::hir::Lit::Int(i))) => usize::try_from(*i).ok(),
                _ => None,
            },
            _ => return,
        };
        let elem = match index {
            Some(i) => elems.get(i).copied(),
            None => {
                let first = self.types.resolve(elems[0]);
                let same = elems.iter().all(|&e| self.types.resolve(e) == first);
                same.then_some(elems[0])
            }
        };
        if let Some(elem) = elem {
            self.expect(ret, elem, span);
        }
    }

    /// Infers the arguments `args` of a call of a `callee_ty` function whose first
    /// `known.len()` arguments are already inferred (a method call's receiver). Closure
    /// literals go last: the other arguments are unified with the parameters first (silently;
    /// `apply` reports mismatches), so a closure's parameters start out with the types the
    /// call gives them and `List.map(users, fn u -> u.name end)` can read `u.name`.
    pub(crate) fn infer_args(
        &mut self,
        callee_ty: TyId,
        args: &[ExprId],
        known: &[TyId],
    ) -> Vec<TyId> {
        let shallow = self.types.shallow(callee_ty);
        let params = match self.types.kind(shallow).clone() {
            TyKind::Fun(ps, _) if ps.len() == args.len() + known.len() => Some(ps),
            _ => None,
        };
        if let Some(ps) = &params {
            for (&p, &k) in ps.iter().zip(known) {
                let _ = self.types.unify(p, k);
            }
        }
        let is_closure =
            |c: &Self, a: ExprId| matches!(c.program.expr(a).kind, ExprKind::Closure { .. });
        let mut tys = vec![None; args.len()];
        for (i, &a) in args.iter().enumerate() {
            if !is_closure(self, a) {
                let t = self.infer(a);
                if let Some(ps) = &params {
                    let _ = self.types.unify(ps[known.len() + i], t);
                }
                tys[i] = Some(t);
            }
        }
        for (i, &a) in args.iter().enumerate() {
            if is_closure(self, a) {
                self.closure_hint = params.as_ref().and_then(|ps| {
                    let expected = self.types.shallow(ps[known.len() + i]);
                    match self.types.kind(expected) {
                        TyKind::Fun(hint, _) => Some(hint.clone()),
                        _ => None,
                    }
                });
                tys[i] = Some(self.infer(a));
                self.closure_hint = None;
            }
        }
        tys.into_iter().map(|t| t.unwrap_or(callee_ty)).collect()
    }

    /// Checks a call of `callee` (of type `callee_ty`) with already inferred arguments.
    pub(crate) fn apply(
        &mut self,
        callee: ExprId,
        callee_ty: TyId,
        args: &[ExprId],
        arg_tys: Vec<TyId>,
        span: Span,
    ) -> TyId {
        let shallow = self.types.shallow(callee_ty);
        match self.types.kind(shallow).clone() {
            TyKind::Fun(params, ret) => {
                if params.len() != args.len() {
                    self.diags
                        .push(errors::arity_mismatch(params.len(), args.len(), span));
                    return ret;
                }
                for ((&p, &a), &arg) in params.iter().zip(&arg_tys).zip(args) {
                    let s = self.program.expr(arg).span;
                    self.expect(p, a, s);
                }
                ret
            }
            TyKind::Var(_) => {
                let ret = self.types.fresh_var();
                let fun = self.types.intern(TyKind::Fun(arg_tys, ret));
                let s = self.program.expr(callee).span;
                self.expect(callee_ty, fun, s);
                ret
            }
            TyKind::Error => self.types.error(),
            _ => {
                let shown = self.types.display(shallow);
                let s = self.program.expr(callee).span;
                self.diags.push(errors::not_callable(&shown, s));
                self.types.error()
            }
        }
    }

    fn binary(&mut self, op: BinOp, lhs: ExprId, rhs: ExprId, span: Span) -> TyId {
        let lt = self.infer(lhs);
        let rt = self.infer(rhs);
        let rspan = self.program.expr(rhs).span;
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => {
                self.expect(lt, rt, rspan);
                self.require(lt, Requirement::Arith(op), span);
                lt
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => {
                self.expect(lt, rt, rspan);
                let req = if matches!(op, BinOp::Eq | BinOp::Ne) {
                    Requirement::Eq
                } else {
                    Requirement::Ord
                };
                self.require(lt, req, span);
                self.types.bool()
            }
            BinOp::And | BinOp::Or => {
                let b = self.types.bool();
                let lspan = self.program.expr(lhs).span;
                self.expect(b, lt, lspan);
                self.expect(b, rt, rspan);
                b
            }
            BinOp::Concat => {
                let s = self.types.string();
                let lspan = self.program.expr(lhs).span;
                self.expect(s, lt, lspan);
                self.expect(s, rt, rspan);
                s
            }
            BinOp::ListConcat => {
                let elem = self.types.fresh_var();
                let list = self.types.list(elem);
                let lspan = self.program.expr(lhs).span;
                self.expect(list, lt, lspan);
                self.expect(list, rt, rspan);
                list
            }
            // stdlib spec §9: `a..b` is `Range.new(a, b)`.
            BinOp::Range => {
                let int = self.types.int();
                let lspan = self.program.expr(lhs).span;
                self.expect(int, lt, lspan);
                self.expect(int, rt, rspan);
                self.types.builtin(BuiltinTy::Range, vec![])
            }
        }
    }

    fn unary(&mut self, op: UnOp, operand: ExprId) -> TyId {
        let t = self.infer(operand);
        let span = self.program.expr(operand).span;
        match op {
            UnOp::Neg => {
                self.require(t, Requirement::Neg, span);
                t
            }
            UnOp::Not => {
                let b = self.types.bool();
                self.expect(b, t, span);
                b
            }
        }
    }

    fn if_expr(&mut self, cond: ExprId, then_branch: ExprId, else_branch: Option<ExprId>) -> TyId {
        let ct = self.infer(cond);
        let b = self.types.bool();
        let cspan = self.program.expr(cond).span;
        self.expect(b, ct, cspan);
        let tt = self.infer(then_branch);
        match else_branch {
            Some(e) => {
                let et = self.infer(e);
                let result = self.types.fresh_var();
                let tspan = self.result_span(then_branch);
                let espan = self.result_span(e);
                self.expect(result, tt, tspan);
                self.expect(result, et, espan);
                result
            }
            None => self.types.unit(),
        }
    }

    fn block(&mut self, stmts: &[Stmt], tail: Option<ExprId>) -> TyId {
        for s in stmts {
            match s {
                Stmt::Let { pat, value } => self.let_stmt(*pat, *value),
                Stmt::Expr(x) => {
                    self.infer(*x);
                }
            }
        }
        match tail {
            Some(t) => self.infer(t),
            None => self.types.unit(),
        }
    }

    /// Checks the collected operator requirements now that the component is inferred.
    fn check_pending(&mut self) {
        self.check_pending_bounds();
        let int = self.types.int();
        for pending in std::mem::take(&mut self.pending) {
            let req = pending.req;
            let mut t = self.types.shallow(pending.ty);
            if let TyKind::Var(_) = self.types.kind(t) {
                if matches!(
                    req,
                    Requirement::Eq | Requirement::Ord | Requirement::Display
                ) {
                    // Stays generic: checked per instance (every type has a run-time form).
                    continue;
                }
                // An arithmetic operand nothing else constrains: default to Int (documented in
                // ARCHITECTURE.md).
                let _ = self.types.unify(t, int);
                t = int;
            }
            let kind = self.types.kind(t).clone();
            let ok = match (req, &kind) {
                (_, TyKind::Error | TyKind::Never) => true,
                (Requirement::Arith(_) | Requirement::Neg, TyKind::Int | TyKind::Float) => true,
                (Requirement::Arith(_) | Requirement::Neg, _) => {
                    // A user type takes the operator from its impl (spec §3.6).
                    let method = operator_method(req);
                    Program::type_key(self.types, t)
                        .is_some_and(|key| !self.program.impl_methods(key, method).is_empty())
                }
                (Requirement::Eq, _) => self.derives(t, "Eq"),
                (Requirement::Ord, _) => self.derives(t, "Ord"),
                (Requirement::Display, _) => self.derives(t, "Display"),
                (Requirement::Json, _) => self.derives(t, "Json"),
            };
            if !ok {
                let shown = self.types.display(t);
                let trait_name = requirement_trait(req);
                self.diags.push(match pending.origin {
                    Some(origin) => {
                        errors::missing_trait_at_use(&shown, trait_name, pending.span, origin)
                    }
                    None => errors::missing_trait(&shown, trait_name, pending.span),
                });
            }
        }
    }

    fn require(&mut self, ty: TyId, req: Requirement, span: Span) {
        self.pending.push(Pending {
            ty,
            req,
            span,
            origin: None,
        });
    }
}

impl Checker<'_> {
    /// `deriving(Json)` needs JSON-encodable fields (E0038); `deriving(Row)` needs fields a
    /// database row can fill: Int, Float, Bool, String or an Option of those (E0039).
    fn check_derived_fields(&mut self) {
        for i in 0..self.program.adts.len() {
            let adt = self.program.adts[i].clone();
            let Some(deriving) = &adt.deriving else {
                continue;
            };
            let fields: Vec<(String, TyId)> = match &adt.kind {
                crate::hir::AdtKind::Struct { fields } => {
                    fields.iter().map(|f| (f.name.clone(), f.ty)).collect()
                }
                crate::hir::AdtKind::Sum { variants } => variants
                    .iter()
                    .flat_map(|v| {
                        v.fields
                            .iter()
                            .enumerate()
                            .map(move |(j, &t)| (format!("{}.{j}", v.name), t))
                    })
                    .collect(),
            };
            for (name, ty) in fields {
                let shown = self.types.display(ty);
                if deriving.iter().any(|d| d == "Json") && !self.derives(ty, "Json") {
                    self.diags
                        .push(errors::field_not_json(&name, &shown, adt.span));
                }
                if deriving.iter().any(|d| d == "Row") && !self.row_field(ty) {
                    self.diags
                        .push(errors::field_not_row(&name, &shown, adt.span));
                }
            }
        }
    }

    fn row_field(&mut self, ty: TyId) -> bool {
        let ty = self.types.shallow(ty);
        match self.types.kind(ty).clone() {
            TyKind::Int | TyKind::Float | TyKind::Bool | TyKind::String => true,
            TyKind::Adt(crate::hir::OPTION, args) => {
                let inner = self.types.shallow(args[0]);
                matches!(
                    self.types.kind(inner),
                    TyKind::Int | TyKind::Float | TyKind::Bool | TyKind::String
                )
            }
            _ => false,
        }
    }

    pub(crate) fn require_display(&mut self, ty: TyId, span: Span) {
        self.require(ty, Requirement::Display, span);
    }

    /// Whether `ty` has `trait_name` (Eq, Ord or Display): built in for primitives, structural
    /// for tuples, derived or implemented for user types (spec §3.5: without a `deriving`
    /// clause structs and sum types get Eq and Ord but never Display). Type arguments must
    /// have it too; an unresolved variable is checked per instance.
    fn derives(&mut self, ty: TyId, trait_name: &str) -> bool {
        let ty = self.types.shallow(ty);
        match self.types.kind(ty).clone() {
            TyKind::Int
            | TyKind::Float
            | TyKind::String
            | TyKind::Var(_)
            | TyKind::Gen(_)
            | TyKind::Error
            | TyKind::Never => true,
            TyKind::Bool | TyKind::Unit => {
                trait_name != "Ord" || matches!(self.types.kind(ty), TyKind::Bool)
            }
            TyKind::Builtin(BuiltinTy::Json, _) => trait_name == "Json" || trait_name == "Display",
            TyKind::Adt(crate::hir::OPTION, args) if trait_name == "Json" => {
                self.derives(args[0], "Json")
            }
            TyKind::Builtin(BuiltinTy::List | BuiltinTy::Set, args) => {
                self.derives(args[0], trait_name)
            }
            // A Queue is a list at run time; it has no JSON form.
            TyKind::Builtin(BuiltinTy::Queue, args) => {
                trait_name != "Json" && self.derives(args[0], trait_name)
            }
            // The opaque stdlib types are compared and hashed by the runtime; an Atom displays
            // as its name. None of them is JSON-encodable.
            TyKind::Builtin(
                b @ (BuiltinTy::Atom
                | BuiltinTy::DateTime
                | BuiltinTy::Regex
                | BuiltinTy::SqliteConn
                | BuiltinTy::HttpRequest
                | BuiltinTy::HttpClient
                | BuiltinTy::StreamHandle
                | BuiltinTy::Range
                | BuiltinTy::Pid
                | BuiltinTy::PgConn
                | BuiltinTy::PoolHandle
                | BuiltinTy::Query
                | BuiltinTy::Expr
                | BuiltinTy::Changeset),
                _,
            ) => {
                matches!(trait_name, "Eq" | "Ord" | "Hash" | "Debug")
                    || (trait_name == "Display" && matches!(b, BuiltinTy::Atom | BuiltinTy::Pid))
            }
            TyKind::Builtin(BuiltinTy::Map, args) if trait_name == "Json" => {
                matches!(self.types.kind(self.types.shallow(args[0])), TyKind::String)
                    && self.derives(args[1], "Json")
            }
            TyKind::Builtin(BuiltinTy::Map, args) => {
                args.iter().all(|&a| self.derives(a, trait_name))
            }
            // Actors, iterators and the HTTP server's values have none of the derivable
            // traits.
            TyKind::Builtin(
                BuiltinTy::Actor
                | BuiltinTy::Iter
                | BuiltinTy::Router
                | BuiltinTy::Request
                | BuiltinTy::Response,
                _,
            ) => false,
            TyKind::Tuple(_) if trait_name == "Json" => false,
            TyKind::Tuple(elems) => elems.iter().all(|&e| self.derives(e, trait_name)),
            TyKind::Adt(id, args) => {
                let adt = self.program.adt(id);
                let has_impl = self
                    .program
                    .impls
                    .iter()
                    .any(|i| i.target == TypeKey::Adt(id) && i.interface == trait_name);
                let derived = match &adt.deriving {
                    None => trait_name == "Eq" || trait_name == "Ord",
                    Some(list) => list.iter().any(|d| d == trait_name),
                };
                has_impl || (derived && args.iter().all(|&a| self.derives(a, trait_name)))
            }
            TyKind::Fun(..) => false,
        }
    }
}

/// The impl method implementing an operator requirement.
fn operator_method(req: Requirement) -> &'static str {
    match req {
        Requirement::Arith(BinOp::Add) => "add",
        Requirement::Arith(BinOp::Sub) => "sub",
        Requirement::Arith(BinOp::Mul) => "mul",
        Requirement::Arith(BinOp::Div) => "div",
        Requirement::Arith(_) => "rem",
        _ => "neg",
    }
}

fn requirement_trait(req: Requirement) -> &'static str {
    match req {
        Requirement::Arith(BinOp::Add) => "Add",
        Requirement::Arith(BinOp::Sub) => "Sub",
        Requirement::Arith(BinOp::Mul) => "Mul",
        Requirement::Arith(BinOp::Div) => "Div",
        Requirement::Arith(_) => "Mod",
        Requirement::Neg => "Neg",
        Requirement::Eq => "Eq",
        Requirement::Ord => "Ord",
        Requirement::Display => "Display",
        Requirement::Json => "Json",
    }
}

impl Checker<'_> {
    /// `spawn(target, args…)`: `target` must be a function (E0016); the result is a pid typed
    /// by the actor's message type (untyped for a plain function).
    fn spawn(&mut self, target: ExprId, args: &[ExprId], span: Span) -> TyId {
        let tt = self.infer(target);
        let arg_tys: Vec<TyId> = args.iter().map(|&a| self.infer(a)).collect();
        let shallow = self.types.shallow(tt);
        let msg = match self.types.kind(shallow).clone() {
            TyKind::Fun(params, ret) => {
                if params.len() != args.len() {
                    self.diags
                        .push(errors::arity_mismatch(params.len(), args.len(), span));
                } else {
                    for ((&p, &a), &e) in params.iter().zip(&arg_tys).zip(args) {
                        let s = self.program.expr(e).span;
                        self.expect(p, a, s);
                    }
                }
                let ret = self.types.shallow(ret);
                match self.types.kind(ret).clone() {
                    TyKind::Builtin(BuiltinTy::Actor, margs) if margs.len() == 1 => Some(margs[0]),
                    _ => None,
                }
            }
            TyKind::Error | TyKind::Never => None,
            _ => {
                let resolved = self.types.resolve(tt);
                let shown = self.types.display(resolved);
                let s = self.program.expr(target).span;
                self.diags.push(errors::spawn_non_function(&shown, s));
                None
            }
        };
        let m = msg.unwrap_or_else(|| self.types.fresh_var());
        self.types.builtin(BuiltinTy::Pid, vec![m])
    }

    /// A supervisor child's `start` must be a function returning a Pid (E0018). Returns false
    /// when it reported an error.
    fn check_child_start(&mut self, name: ExprId, start: ExprId, ty: TyId) -> bool {
        let child = match &self.program.expr(name).kind {
            ExprKind::Lit(crate::hir::Lit::Str(s)) => s.clone(),
            _ => String::new(),
        };
        let shallow = self.types.shallow(ty);
        let found = match self.types.kind(shallow).clone() {
            TyKind::Fun(params, ret) if params.is_empty() => {
                let pid = self.types.builtin(BuiltinTy::Pid, vec![]);
                if self.types.unify(pid, ret).is_ok() {
                    return true;
                }
                ret
            }
            TyKind::Error | TyKind::Never => return true,
            _ => ty,
        };
        let resolved = self.types.resolve(found);
        let shown = self.types.display(resolved);
        let span = self.program.expr(start).span;
        self.diags.push(errors::start_not_pid(&child, &shown, span));
        false
    }

    /// `send(pid, msg)` to a typed pid checks the message type (E0014). Returns false when
    /// it reported an error.
    fn check_message(&mut self, pid: TyId, msg: TyId, span: Span) -> bool {
        let pid = self.types.shallow(pid);
        let TyKind::Builtin(BuiltinTy::Pid, args) = self.types.kind(pid).clone() else {
            return true;
        };
        if args.len() != 1 {
            return true;
        }
        if self.types.unify(args[0], msg).is_err() {
            let (e, f) = (self.types.resolve(args[0]), self.types.resolve(msg));
            let (e, f) = (self.types.display(e), self.types.display(f));
            self.diags.push(errors::message_type_mismatch(&e, &f, span));
            return false;
        }
        true
    }

    /// `receive`: patterns match the actor's message type (`Down { … }` / `Exit { … }` arms
    /// their system message); arm and `after` bodies unify. A pattern that does not fit the
    /// message type an earlier receive fixed also points at that receive.
    fn receive(
        &mut self,
        arms: &[crate::hir::Arm],
        after: Option<(ExprId, ExprId)>,
        span: Span,
    ) -> TyId {
        let m = self.msg_ty.unwrap_or_else(|| self.types.fresh_var());
        let result = self.types.fresh_var();
        // `Down { … }` / `Exit { … }` arms take those system messages, whatever `m` is.
        let mut own = Vec::new();
        for arm in arms {
            match self.system_message(arm.pat) {
                Some(t) => self.arms(std::slice::from_ref(arm), t, result),
                None => own.push(arm.clone()),
            }
        }
        if !own.is_empty() {
            // The label points at the `receive` keyword.
            let keyword = Span {
                end: span.end.min(span.start + "receive".len() as u32),
                ..span
            };
            self.note_mailbox(m, keyword);
        }
        let unfixed = matches!(self.types.kind(self.types.shallow(m)), TyKind::Var(_));
        let reported = self.diags.len();
        self.arms(&own, m, result);
        if let Some(origin) = self.msg_origin {
            let shown = self.types.resolve(m);
            let shown = self.types.display(shown);
            let pats: Vec<Span> = own.iter().map(|a| self.program.pat(a.pat).span).collect();
            for d in self.diags.iter_mut().skip(reported) {
                let in_pattern = d.primary_span().is_some_and(|s| {
                    pats.iter()
                        .any(|p| p.file == s.file && p.start <= s.start && s.end <= p.end)
                });
                if in_pattern {
                    *d = errors::with_receive_origin(d.clone(), origin, &shown);
                }
            }
        } else if unfixed && !matches!(self.types.kind(self.types.shallow(m)), TyKind::Var(_)) {
            self.msg_origin = Some(span);
        }
        if let Some((ms, body)) = after {
            let t = self.infer(ms);
            let int = self.types.int();
            let s = self.program.expr(ms).span;
            self.expect(int, t, s);
            let bt = self.infer(body);
            let span = self.result_span(body);
            self.expect(result, bt, span);
        }
        result
    }
}

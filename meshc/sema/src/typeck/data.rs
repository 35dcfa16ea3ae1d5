//! Inference for data: lists, tuples, struct and variant construction, field access and
//! update, `case` with patterns, and closures.

use super::bounds::MethodUse;
use super::impl_choice::Choice;
use super::Checker;
use crate::errors;
use crate::hir::{AdtId, AdtKind, Arm, ExprId, LocalId, PatId, PatKind, OPTION, RESULT};
use crate::ty::{TyId, TyKind};
use mesh_syntax::span::Span;

impl Checker<'_> {
    /// `Adt<fresh vars>` and the fresh vars.
    fn instantiate_adt(&mut self, adt: AdtId) -> (TyId, Vec<TyId>) {
        let n = self.program.adt(adt).generics.len();
        let args: Vec<TyId> = (0..n).map(|_| self.types.fresh_var()).collect();
        (self.types.adt(adt, args.clone()), args)
    }

    pub(super) fn list_of(&mut self, elem: TyId) -> TyId {
        self.types.list(elem)
    }

    pub(super) fn list(&mut self, elems: &[ExprId]) -> TyId {
        let elem = self.types.fresh_var();
        for &e in elems {
            let t = self.infer(e);
            let span = self.program.expr(e).span;
            self.expect(elem, t, span);
        }
        self.list_of(elem)
    }

    /// The declared field or payload types of a struct or variant, instantiated.
    fn member_types(&mut self, adt: AdtId, variant: Option<u32>, args: &[TyId]) -> Vec<TyId> {
        let declared: Vec<TyId> = match (&self.program.adt(adt).kind, variant) {
            (AdtKind::Struct { fields }, None) => fields.iter().map(|f| f.ty).collect(),
            (AdtKind::Sum { variants }, Some(v)) => variants[v as usize].fields.clone(),
            _ => vec![],
        };
        declared
            .into_iter()
            .map(|t| self.types.instantiate(t, args))
            .collect()
    }

    /// The function type of a payload constructor (`Some : Fun(T) -> Option<T>`).
    pub(super) fn variant_fn_type(&mut self, adt: AdtId, variant: u32) -> TyId {
        let (ty, targs) = self.instantiate_adt(adt);
        let fields = self.member_types(adt, Some(variant), &targs);
        self.types.intern(TyKind::Fun(fields, ty))
    }

    pub(super) fn construct(
        &mut self,
        adt: AdtId,
        variant: Option<u32>,
        args: &[ExprId],
        span: Span,
    ) -> TyId {
        let (ty, targs) = self.instantiate_adt(adt);
        let fields = self.member_types(adt, variant, &targs);
        if fields.len() != args.len() {
            for &a in args {
                self.infer(a);
            }
            self.diags
                .push(errors::arity_mismatch(fields.len(), args.len(), span));
            return ty;
        }
        for (&f, &a) in fields.iter().zip(args) {
            let t = self.infer(a);
            let s = self.program.expr(a).span;
            self.expect(f, t, s);
        }
        ty
    }

    /// The struct behind a (resolved) type, with its type arguments.
    fn struct_of(&mut self, ty: TyId) -> Option<(AdtId, Vec<TyId>)> {
        let t = self.types.shallow(ty);
        let TyKind::Adt(adt, args) = self.types.kind(t).clone() else {
            return None;
        };
        matches!(self.program.adt(adt).kind, AdtKind::Struct { .. }).then_some((adt, args))
    }

    pub(super) fn field(&mut self, e: ExprId, base: ExprId, name: &str, name_span: Span) -> TyId {
        let bt = self.infer(base);
        self.field_of(e, bt, name, name_span, true)
    }

    /// The type of field `name` of a value of type `bt` (`e` is the access). A base of still
    /// unknown type (a closure parameter, a value a later `case` fixes) is resolved, when
    /// `may_defer`, at the end of the component like a method call
    /// (`resolve_deferred_methods`).
    pub(super) fn field_of(
        &mut self,
        e: ExprId,
        bt: TyId,
        name: &str,
        name_span: Span,
        may_defer: bool,
    ) -> TyId {
        if may_defer && matches!(self.types.kind(self.types.shallow(bt)), TyKind::Var(_)) {
            let result = self.types.fresh_var();
            self.deferred_fields.push(DeferredField::Access {
                e,
                base_ty: bt,
                name: name.to_string(),
                name_span,
                result,
            });
            return result;
        }
        let Some((adt, args)) = self.struct_of(bt) else {
            if !matches!(self.types.kind(self.types.shallow(bt)), TyKind::Error) {
                let shown = self.types.display(bt);
                self.diags.push(errors::no_field(&shown, name, name_span));
            }
            return self.types.error();
        };
        let AdtKind::Struct { fields } = &self.program.adt(adt).kind else {
            return self.types.error();
        };
        let Some(index) = fields.iter().position(|f| f.name == name) else {
            let shown = self.types.display(bt);
            self.diags.push(errors::no_field(&shown, name, name_span));
            return self.types.error();
        };
        self.program.field_index[e.0 as usize] = index as u32;
        self.member_types(adt, None, &args)[index]
    }

    pub(super) fn struct_update(
        &mut self,
        e: ExprId,
        base: ExprId,
        fields: &[(String, ExprId, Span)],
    ) -> TyId {
        let bt = self.infer(base);
        let fields: Vec<(String, ExprId, Span, TyId)> = fields
            .iter()
            .map(|(name, value, span)| (name.clone(), *value, *span, self.infer(*value)))
            .collect();
        self.update_of(e, base, bt, fields, true)
    }

    /// `%{base | fields}` with `base` of type `bt` and the fields' values already inferred;
    /// deferred like a field access while `bt` is unknown.
    pub(super) fn update_of(
        &mut self,
        e: ExprId,
        base: ExprId,
        bt: TyId,
        fields: Vec<(String, ExprId, Span, TyId)>,
        may_defer: bool,
    ) -> TyId {
        if may_defer && matches!(self.types.kind(self.types.shallow(bt)), TyKind::Var(_)) {
            self.deferred_fields.push(DeferredField::Update {
                e,
                base,
                base_ty: bt,
                fields,
            });
            return bt;
        }
        let Some((adt, args)) = self.struct_of(bt) else {
            let shown = self.types.display(bt);
            let span = self.program.expr(base).span;
            self.diags
                .push(errors::type_mismatch("a struct", &shown, span));
            return self.types.error();
        };
        let AdtKind::Struct { fields: decl } = self.program.adt(adt).kind.clone() else {
            return self.types.error();
        };
        let types = self.member_types(adt, None, &args);
        let struct_name = self.program.adt(adt).name.clone();
        let mut sources = vec![None; decl.len()];
        for (name, value, span, t) in &fields {
            let (value, span, t) = (value, span, *t);
            match decl.iter().position(|f| f.name == *name) {
                Some(i) => {
                    let vs = self.program.expr(*value).span;
                    self.expect(types[i], t, vs);
                    sources[i] = Some(*value);
                }
                None => self
                    .diags
                    .push(errors::unknown_field(name, &struct_name, *span)),
            }
        }
        self.program.update_fields[e.0 as usize] = sources;
        bt
    }

    pub(super) fn case(&mut self, scrutinee: ExprId, arms: &[Arm]) -> TyId {
        let st = self.infer(scrutinee);
        let result = self.types.fresh_var();
        self.arms(arms, st, result);
        result
    }

    /// The arms of a `case` or `receive`: patterns of type `scrutinee`, Bool guards, bodies
    /// unified into `result`.
    pub(crate) fn arms(&mut self, arms: &[Arm], scrutinee: TyId, result: TyId) {
        let st = scrutinee;
        for arm in arms {
            self.check_pat(arm.pat, st);
            if let Some(g) = arm.guard {
                self.guard(g);
            }
            let bt = self.infer(arm.body);
            let span = self.result_span(arm.body);
            self.expect(result, bt, span);
        }
    }

    /// A guard must be Bool (E0025).
    pub(super) fn guard(&mut self, g: ExprId) {
        let t = self.infer(g);
        let b = self.types.bool();
        if self.types.unify(b, t).is_err() {
            let shown = self.types.display(t);
            let span = self.program.expr(g).span;
            self.diags.push(errors::guard_not_bool(&shown, span));
        }
    }

    /// A closure's type. `self_local` (a nested `fn`'s own name) has that type inside the body,
    /// monomorphically; `ret` is a return annotation the body must match.
    pub(super) fn closure(
        &mut self,
        params: &[LocalId],
        body: ExprId,
        self_local: Option<LocalId>,
        ret: Option<TyId>,
    ) -> TyId {
        let hint = self.closure_hint.take().filter(|h| h.len() == params.len());
        let param_tys: Vec<TyId> = params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let t = match &self.program.local_annotations[p.0 as usize] {
                    Some(ann) => ann.ty,
                    None => match &hint {
                        Some(h) => h[i],
                        None => self.types.fresh_var(),
                    },
                };
                self.program.local_types[p.0 as usize] = t;
                t
            })
            .collect();
        let ret = ret.unwrap_or_else(|| self.types.fresh_var());
        let fun = self.types.intern(TyKind::Fun(param_tys, ret));
        if let Some(me) = self_local {
            self.program.local_types[me.0 as usize] = fun;
        }
        let saved = std::mem::replace(&mut self.ret_ty, ret);
        let bt = self.infer(body);
        let span = self.result_span(body);
        self.expect(ret, bt, span);
        self.ret_ty = saved;
        fun
    }

    /// `let pat = value`: an annotation on a plain binding is checked against the value.
    pub(super) fn check_let_pat(&mut self, pat: PatId, value_ty: TyId, span: Span) {
        if let PatKind::Bind(local) = self.program.pat(pat).kind {
            if let Some(ann) = self.program.local_annotations[local.0 as usize].clone() {
                self.expect(ann.ty, value_ty, span);
                self.program.pat_types[pat.0 as usize] = ann.ty;
                self.program.local_types[local.0 as usize] = ann.ty;
                return;
            }
        }
        self.check_pat(pat, value_ty);
    }

    /// Checks a pattern against the type it matches and types its bindings.
    pub(super) fn check_pat(&mut self, pat: PatId, expected: TyId) {
        self.program.pat_types[pat.0 as usize] = expected;
        let span = self.program.pat(pat).span;
        match self.program.pat(pat).kind.clone() {
            PatKind::Wildcard | PatKind::Error => {}
            PatKind::Bind(local) => self.program.local_types[local.0 as usize] = expected,
            PatKind::Lit(lit) => {
                let t = self.literal(&lit);
                self.expect(expected, t, span);
            }
            PatKind::Tuple(elems) => {
                let tys: Vec<TyId> = elems.iter().map(|_| self.types.fresh_var()).collect();
                let tuple = self.types.intern(TyKind::Tuple(tys.clone()));
                self.expect(tuple, expected, span);
                for (&p, &t) in elems.iter().zip(&tys) {
                    self.check_pat(p, t);
                }
            }
            PatKind::Variant {
                adt, variant, args, ..
            } => {
                let (ty, targs) = self.instantiate_adt(adt);
                self.expect(ty, expected, span);
                let fields = self.member_types(adt, Some(variant), &targs);
                for (&p, &t) in args.iter().zip(&fields) {
                    self.check_pat(p, t);
                }
            }
            PatKind::Struct { adt, fields } => {
                let (ty, targs) = self.instantiate_adt(adt);
                self.expect(ty, expected, span);
                let types = self.member_types(adt, None, &targs);
                for (&p, &t) in fields.iter().zip(&types) {
                    self.check_pat(p, t);
                }
            }
            PatKind::Cons(head, tail) => {
                let elem = self.types.fresh_var();
                let list = self.list_of(elem);
                self.expect(list, expected, span);
                self.check_pat(head, elem);
                self.check_pat(tail, list);
            }
            PatKind::Or(alts) => {
                // The alternatives bind the same locals (E0011 otherwise): each later one must
                // give them the types the first one did.
                let mut first = Vec::new();
                for (i, &p) in alts.iter().enumerate() {
                    self.check_pat(p, expected);
                    if i == 0 {
                        let mut locals = Vec::new();
                        self.pattern_locals(p, &mut locals);
                        first = locals
                            .into_iter()
                            .map(|l| (l, self.program.local_types[l.0 as usize]))
                            .collect();
                        continue;
                    }
                    for &(local, ty) in &first {
                        let again = self.program.local_types[local.0 as usize];
                        self.expect(ty, again, self.program.pat(p).span);
                        self.program.local_types[local.0 as usize] = ty;
                    }
                }
            }
            PatKind::As(inner, local) => {
                self.program.local_types[local.0 as usize] = expected;
                self.check_pat(inner, expected);
            }
        }
    }
}

impl Checker<'_> {
    /// The type of the system message (`Down`, `Exit`; stdlib §16.2) a receive arm's pattern
    /// `Down { … }` / `Exit { … }` matches: such an arm takes that message whatever the
    /// process's own message type.
    pub(super) fn system_message(&mut self, pat: PatId) -> Option<TyId> {
        match self.program.pat(pat).kind {
            PatKind::Struct { adt, .. } if adt == crate::hir::DOWN || adt == crate::hir::EXIT => {
                Some(self.instantiate_adt(adt).0)
            }
            PatKind::As(inner, _) => self.system_message(inner),
            _ => None,
        }
    }

    /// The locals `pat` binds.
    fn pattern_locals(&self, pat: PatId, out: &mut Vec<LocalId>) {
        match &self.program.pat(pat).kind {
            PatKind::Wildcard | PatKind::Error | PatKind::Lit(_) => {}
            PatKind::Bind(local) => out.push(*local),
            PatKind::Tuple(ps)
            | PatKind::Variant { args: ps, .. }
            | PatKind::Struct { fields: ps, .. } => {
                ps.iter().for_each(|&p| self.pattern_locals(p, out));
            }
            PatKind::Cons(head, tail) => {
                self.pattern_locals(*head, out);
                self.pattern_locals(*tail, out);
            }
            // The later alternatives bind the same locals.
            PatKind::Or(alts) => self.pattern_locals(alts[0], out),
            PatKind::As(inner, local) => {
                out.push(*local);
                self.pattern_locals(*inner, out);
            }
        }
    }
}

impl Checker<'_> {
    /// `e?` (spec §4.9): `e` is a Result or Option and so is the enclosing function's result;
    /// the error types must agree (From conversion arrives with interfaces).
    pub(super) fn try_op(&mut self, e: ExprId, inner: ExprId, span: Span) -> TyId {
        let t = self.infer(inner);
        let inner_span = self.program.expr(inner).span;
        self.try_types(e, t, inner_span, span)
    }

    /// Whether two error types are already the same (without unifying them).
    fn same_error(&mut self, a: TyId, b: TyId) -> bool {
        let (a, b) = (self.types.resolve(a), self.types.resolve(b));
        let mut vars = Vec::new();
        self.types.free_vars(a, &mut vars);
        self.types.free_vars(b, &mut vars);
        a == b || !vars.is_empty()
    }

    /// Resolves the `?`s whose operand type was unknown when they were met: the operand takes
    /// the family (Result or Option) of the function's result, Result when that is unknown too.
    pub(super) fn resolve_deferred_try(&mut self) {
        for (e, operand, payload, ret, inner_span, span) in std::mem::take(&mut self.deferred_try) {
            let shallow = self.types.shallow(operand);
            if let TyKind::Var(_) = self.types.kind(shallow) {
                let r = self.types.shallow(ret);
                let ty = if self.types.is_adt(r, OPTION) {
                    self.types.option(payload)
                } else {
                    let err = self.types.fresh_var();
                    self.types.result(payload, err)
                };
                self.expect(ty, operand, inner_span);
            }
            let saved = std::mem::replace(&mut self.ret_ty, ret);
            let value = self.try_types(e, operand, inner_span, span);
            self.ret_ty = saved;
            self.expect(payload, value, inner_span);
        }
    }

    fn try_types(&mut self, e: ExprId, t: TyId, inner_span: Span, span: Span) -> TyId {
        let shallow = self.types.shallow(t);
        let family = match self.types.kind(shallow).clone() {
            TyKind::Adt(adt @ (RESULT | OPTION), args) => (adt, args),
            TyKind::Error => return self.types.error(),
            TyKind::Var(_) => {
                // Unknown operand: decided once the function's result type is known.
                let payload = self.types.fresh_var();
                self.deferred_try
                    .push((e, t, payload, self.ret_ty, inner_span, span));
                return payload;
            }
            _ => {
                let shown = self.types.display(t);
                self.diags
                    .push(errors::try_needs_result(&shown, inner_span));
                return self.types.error();
            }
        };
        let ret = self.types.shallow(self.ret_ty);
        let value = family.1[0];
        let fresh = self.types.fresh_var();
        let wanted = match family.0 {
            RESULT => self.types.result(fresh, family.1[1]),
            _ => self.types.option(fresh),
        };
        match self.types.kind(ret).clone() {
            TyKind::Var(_) => self.expect(ret, wanted, span),
            TyKind::Adt(adt, ret_args) if adt == family.0 => {
                if adt == RESULT && !self.same_error(family.1[1], ret_args[1]) {
                    // `?` converts the error with `impl From<E> for E2` (spec §4.9), the
                    // impl whose argument is this `E` when E2 has several.
                    let key = crate::hir::Program::type_key(self.types, ret_args[1]);
                    let error = family.1[1];
                    let choice = key.map(|k| {
                        let choice = self.choose_impl(k, "from", Some("From"), &[error]);
                        (k, choice)
                    });
                    match choice {
                        Some((_, Choice::One(def))) => {
                            self.program.try_from[e.0 as usize] = Some(def);
                            return value;
                        }
                        Some((k, Choice::Ambiguous(shown))) => {
                            let k = k.name(self.types);
                            self.diags.push(errors::ambiguous_impl(
                                "from", &k, &shown[0], &shown[1], span,
                            ));
                            return value;
                        }
                        _ => {}
                    }
                }
                self.expect(ret, wanted, inner_span)
            }
            TyKind::Error => {}
            _ => {
                let shown = self.types.display(ret);
                self.diags.push(errors::try_needs_result_fn(&shown, span));
            }
        }
        value
    }
}

impl Checker<'_> {
    /// `receiver.method(args)` (spec §4.4): an impl method of the receiver's type, else the
    /// stdlib function of the receiver's module (`"abc".length()` ≡ `String.length("abc")`).
    pub(super) fn method_call(
        &mut self,
        receiver: ExprId,
        method: &str,
        method_span: Span,
        args: &[ExprId],
        callee: ExprId,
        span: Span,
    ) -> TyId {
        let rt = self.infer(receiver);
        let mut all_args = vec![receiver];
        all_args.extend_from_slice(args);
        let mut arg_tys = vec![rt];
        // When the method is already known from the receiver's type, closure arguments get
        // their parameter types from it (`users.map(fn u -> u.name end)`).
        match self.method_type_guess(rt, method) {
            Some(guess) => arg_tys.extend(self.infer_args(guess, args, &[rt])),
            None => arg_tys.extend(args.iter().map(|&a| self.infer(a))),
        }
        let m = MethodUse {
            receiver,
            receiver_ty: rt,
            method: method.to_string(),
            method_span,
            args: all_args,
            arg_tys,
            callee,
            span,
        };
        if let Some(result) = self.defer_conversion(&m) {
            return result;
        }
        self.resolve_method(m, true)
    }

    /// The type of the method `receiver.method` when the receiver's type already names it (one
    /// impl method, or a function of the receiver's stdlib module), freshly instantiated.
    fn method_type_guess(&mut self, rt: TyId, method: &str) -> Option<TyId> {
        let key = crate::hir::Program::type_key(self.types, rt)?;
        match self.program.impl_methods(key, method).as_slice() {
            [(_, def)] => return Some(self.fn_use(*def)),
            [] => {}
            _ => return None,
        }
        let module = key.stdlib_module()?;
        let b = crate::builtins::Builtin::lookup(Some(module), method)?;
        Some(b.fn_type(self.types))
    }

    /// Resolves a method call whose arguments are inferred. A receiver of still unknown type
    /// is resolved through the function's `where` bounds or, when `may_defer`, once the
    /// component is inferred (`resolve_deferred_methods`): a closure's parameter learns its
    /// type from the call the closure is passed to, after its body was checked.
    pub(super) fn resolve_method(&mut self, m: MethodUse, may_defer: bool) -> TyId {
        let rt = m.receiver_ty;
        let shallow = self.types.shallow(rt);
        if matches!(self.types.kind(shallow), TyKind::Error) {
            return self.types.error();
        }
        if matches!(self.types.kind(shallow), TyKind::Var(_)) {
            if let Some(ty) = self.bound_method_call(&m) {
                return ty;
            }
            if may_defer {
                let result = self.types.fresh_var();
                self.deferred_methods.push((m, result));
                return result;
            }
        }
        let method = m.method.as_str();
        let method_span = m.method_span;
        let known = matches!(self.types.kind(shallow), TyKind::Tuple(_) | TyKind::Unit);
        let key = crate::hir::Program::type_key(self.types, rt);
        if key.is_none() && !known {
            let shown = self.display_param(rt);
            self.diags
                .push(errors::no_method(method, &shown, method_span));
            return self.types.error();
        }
        let mut candidates = key.map_or_else(Vec::new, |k| self.program.impl_methods(k, method));
        // Impls of one generic interface with different arguments: the argument types choose.
        if let Some(k) = key.filter(|_| {
            candidates.len() > 1 && candidates.iter().all(|(i, _)| *i == candidates[0].0)
        }) {
            let interface = candidates[0].0.clone();
            if let Choice::One(def) = self.choose_impl(k, method, Some(&interface), &m.arg_tys) {
                candidates = vec![(interface, def)];
            }
        }
        let callee_kind = match candidates.as_slice() {
            [(_, def)] => crate::hir::ExprKind::Fn(*def),
            [(a, _), (b, _), ..] => {
                let shown = key.map(|k| k.name(self.types)).unwrap_or_default();
                self.diags
                    .push(errors::ambiguous_method(method, &shown, a, b, method_span));
                return self.types.error();
            }
            [] => {
                if let Some(t) = self.field_call(&m) {
                    return t;
                }
                let module = key.and_then(|k| k.stdlib_module()).unwrap_or("");
                match crate::builtins::Builtin::lookup(Some(module), method)
                    .or_else(|| crate::builtins::Builtin::lookup(Some("Any"), method))
                {
                    Some(b) => crate::hir::ExprKind::Builtin(b),
                    None => {
                        let shown = self.types.display(rt);
                        self.diags
                            .push(errors::no_method(method, &shown, method_span));
                        return self.types.error();
                    }
                }
            }
        };
        let callee = m.callee;
        let callee_ty = match callee_kind {
            crate::hir::ExprKind::Fn(def) => self.fn_use(def),
            crate::hir::ExprKind::Builtin(b) => b.fn_type(self.types),
            _ => self.types.error(),
        };
        self.program.exprs[callee.0 as usize].kind = callee_kind;
        self.program.expr_types[callee.0 as usize] = callee_ty;
        if let crate::hir::ExprKind::Builtin(b) = self.program.expr(callee).kind {
            if b.def().symbol == crate::builtins::TO_STRING {
                self.require_display(rt, self.program.expr(m.receiver).span);
            }
        }
        self.apply(callee, callee_ty, &m.args, m.arg_tys, m.span)
    }

    /// `s.f(args)` where `f` is a field of struct `s` and no method: a call of the field's
    /// function value (spec §4.4, a field before a method). The callee placeholder keeps
    /// the field index and type; MIR loads the field from the receiver and calls it.
    fn field_call(&mut self, m: &MethodUse) -> Option<TyId> {
        let (adt, args) = self.struct_of(m.receiver_ty)?;
        let AdtKind::Struct { fields } = &self.program.adt(adt).kind else {
            return None;
        };
        let index = fields.iter().position(|f| f.name == m.method)?;
        let field_ty = self.member_types(adt, None, &args)[index];
        let callee = m.callee;
        self.program.field_index[callee.0 as usize] = index as u32;
        self.program.expr_types[callee.0 as usize] = field_ty;
        Some(self.apply(
            callee,
            field_ty,
            &m.args[1..],
            m.arg_tys[1..].to_vec(),
            m.span,
        ))
    }

    /// Resolves the method calls deferred while their receiver's type was unknown, as long
    /// as that makes progress; what stays unknown is E0030.
    /// Field accesses and struct updates whose base was of unknown type are resolved in the
    /// same rounds.
    pub(super) fn resolve_deferred_methods(&mut self) {
        loop {
            let pending = std::mem::take(&mut self.deferred_methods);
            let fields = std::mem::take(&mut self.deferred_fields);
            if pending.is_empty() && fields.is_empty() {
                return;
            }
            let before = pending.len() + fields.len();
            for (m, result) in pending {
                let span = m.span;
                let t = self.resolve_method(m, true);
                self.expect(result, t, span);
            }
            for f in fields {
                self.resolve_field(f, true);
            }
            if self.deferred_methods.len() + self.deferred_fields.len() == before {
                for (m, result) in std::mem::take(&mut self.deferred_methods) {
                    let span = m.span;
                    let t = self.resolve_method(m, false);
                    self.expect(result, t, span);
                }
                for f in std::mem::take(&mut self.deferred_fields) {
                    self.resolve_field(f, false);
                }
                return;
            }
        }
    }

    fn resolve_field(&mut self, f: DeferredField, may_defer: bool) {
        match f {
            DeferredField::Access {
                e,
                base_ty,
                name,
                name_span,
                result,
            } => {
                let t = self.field_of(e, base_ty, &name, name_span, may_defer);
                self.expect(result, t, name_span);
            }
            DeferredField::Update {
                e,
                base,
                base_ty,
                fields,
            } => {
                self.update_of(e, base, base_ty, fields, may_defer);
            }
        }
    }
}

/// A field access or struct update met while its base's type was unknown.
pub(super) enum DeferredField {
    Access {
        e: ExprId,
        base_ty: TyId,
        name: String,
        name_span: Span,
        result: TyId,
    },
    Update {
        e: ExprId,
        base: ExprId,
        base_ty: TyId,
        fields: Vec<(String, ExprId, Span, TyId)>,
    },
}

impl DeferredField {
    /// The types whose variables the deferred resolution may still bind.
    pub(super) fn types(&self) -> Vec<TyId> {
        match self {
            DeferredField::Access {
                base_ty, result, ..
            } => vec![*base_ty, *result],
            DeferredField::Update {
                base_ty, fields, ..
            } => std::iter::once(*base_ty)
                .chain(fields.iter().map(|f| f.3))
                .collect(),
        }
    }
}

//! Lowering of expressions and blocks.

use super::{Binding, Lowerer, Scope};
use crate::builtins::Builtin;
use crate::errors;
use crate::hir::{AdtKind, Arm, ExprId, ExprKind, InterpPart, Lit, Stmt};
use mesh_syntax::ast;
use mesh_syntax::span::Span;

impl Lowerer<'_, '_> {
    pub(super) fn lower_expr(&mut self, e: &ast::Expr) -> ExprId {
        let kind = self.lower_kind(e);
        self.program.add_expr(kind, e.span)
    }

    pub(super) fn lower_kind(&mut self, e: &ast::Expr) -> ExprKind {
        use ast::ExprKind as A;
        match &e.kind {
            A::Int(n) => self.int_literal(*n, false, e.span),
            A::Float(x) => ExprKind::Lit(Lit::Float(*x)),
            A::Str(s) => ExprKind::Lit(Lit::Str(s.clone())),
            A::Bool(b) => ExprKind::Lit(Lit::Bool(*b)),
            A::Nil => ExprKind::Lit(Lit::Unit),
            A::Atom(name) => ExprKind::Lit(Lit::Atom(name.clone())),
            A::Regex { pattern, flags } if flags.is_empty() => {
                ExprKind::Lit(Lit::Regex(pattern.clone()))
            }
            A::Regex { pattern, flags } => {
                ExprKind::Lit(Lit::Regex(format!("(?{flags}){pattern}")))
            }
            A::Interp(parts) => ExprKind::Interp(
                parts
                    .iter()
                    .map(|p| match p {
                        ast::InterpPart::Text(t) => InterpPart::Text(t.clone()),
                        ast::InterpPart::Expr(x) => InterpPart::Expr(self.lower_expr(x)),
                    })
                    .collect(),
            ),
            A::Name(name) => self.lower_name(name, e.span),
            A::Unary {
                op: ast::UnOp::Neg,
                operand,
            } if matches!(operand.kind, A::Int(_)) => {
                let A::Int(n) = operand.kind else {
                    unreachable!("guarded by matches!")
                };
                self.int_literal(n, true, e.span)
            }
            A::Unary { op, operand } => ExprKind::Unary {
                op: *op,
                operand: self.lower_expr(operand),
            },
            A::Binary { op, lhs, rhs } => ExprKind::Binary {
                op: *op,
                lhs: self.lower_expr(lhs),
                rhs: self.lower_expr(rhs),
            },
            A::Call {
                callee,
                args,
                kwargs,
                trailing,
            } => self.lower_call(callee, args, kwargs, trailing.as_deref(), e.span),
            A::Pipe { lhs, rhs, slot } => self.lower_pipe(lhs, rhs, *slot),
            A::Field { base, name } => self.lower_field(base, name, e.span),
            A::If {
                cond,
                then_block,
                else_expr,
            } => {
                let cond = self.lower_expr(cond);
                let then_branch = self.lower_block_expr(then_block);
                let else_branch = else_expr.as_ref().map(|x| self.lower_expr(x));
                ExprKind::If {
                    cond,
                    then_branch,
                    else_branch,
                }
            }
            A::Block(block) => self.lower_block(block),
            A::Tuple(elems) if elems.is_empty() => ExprKind::Lit(Lit::Unit),
            A::Tuple(elems) => ExprKind::Tuple(elems.iter().map(|x| self.lower_expr(x)).collect()),
            A::List(elems) => ExprKind::List(elems.iter().map(|x| self.lower_expr(x)).collect()),
            A::Map(entries) => ExprKind::Map(
                entries
                    .iter()
                    .map(|(k, v)| (self.lower_expr(k), self.lower_expr(v)))
                    .collect(),
            ),
            A::For {
                binding,
                iter,
                filter,
                body,
            } => self.lower_for(binding, iter, filter.as_deref(), body),
            A::StructLit { path, fields } => self.lower_struct_lit(path, fields, e.span),
            A::StructUpdate { base, fields } => {
                let base = self.lower_expr(base);
                let fields = fields
                    .iter()
                    .map(|(n, v)| (n.name.clone(), self.lower_expr(v), n.span))
                    .collect();
                ExprKind::StructUpdate { base, fields }
            }
            A::Case { scrutinee, arms } => {
                let scrutinee = self.lower_expr(scrutinee);
                let arms = arms.iter().map(|a| self.lower_arm(a)).collect();
                ExprKind::Case {
                    scrutinee,
                    arms,
                    clauses_of: None,
                }
            }
            A::Closure(clauses) => self.lower_closure(clauses, e.span),
            A::Try(inner) => ExprKind::Try(self.lower_expr(inner)),
            A::SelfValue => self.lower_name("self", e.span),
            A::Json(fields) => {
                // spec stdlib §11.3: members in ascending byte order of keys; last duplicate wins.
                let mut members: Vec<(String, ExprId)> = Vec::new();
                for (k, v) in fields {
                    let v = self.lower_expr(v);
                    members.retain(|(existing, _)| *existing != k.name);
                    members.push((k.name.clone(), v));
                }
                members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                ExprKind::Json(members)
            }
            A::While { cond, body } => {
                let cond = self.lower_expr(cond);
                self.loop_depth += 1;
                let body = self.lower_block_expr(body);
                self.loop_depth -= 1;
                ExprKind::While { cond, body }
            }
            A::Break | A::Continue if self.loop_depth == 0 => {
                self.diags
                    .push(errors::outside_loop(matches!(e.kind, A::Break), e.span));
                ExprKind::Error
            }
            A::Receive { arms, after } => {
                if !self.in_actor {
                    self.diags.push(errors::receive_outside_actor(e.span));
                }
                let arms = arms.iter().map(|a| self.lower_arm(a)).collect();
                let after = after
                    .as_ref()
                    .map(|(ms, body)| (self.lower_expr(ms), self.lower_expr(body)));
                ExprKind::Receive { arms, after }
            }
            A::Break => ExprKind::Break,
            A::Continue => ExprKind::Continue,
            _ => {
                self.diags
                    .push(errors::unsupported("this expression form", e.span));
                ExprKind::Error
            }
        }
    }

    fn int_literal(&mut self, magnitude: u64, negative: bool, span: Span) -> ExprKind {
        let value = if negative {
            (magnitude as i128).wrapping_neg()
        } else {
            magnitude as i128
        };
        match i64::try_from(value) {
            Ok(v) => ExprKind::Lit(Lit::Int(v)),
            Err(_) => {
                self.diags.push(errors::int_literal_too_large(span));
                ExprKind::Error
            }
        }
    }

    fn lower_name(&mut self, name: &str, span: Span) -> ExprKind {
        if let Some(b) = Builtin::generated(name) {
            return ExprKind::Builtin(b);
        }
        if let Some(id) = self.find_local(name) {
            return ExprKind::Local(id);
        }
        if let Some(svc) = &self.service_ctx {
            let own = (self.module.clone(), format!("{svc}.{name}"));
            if let Some(&def) = self.fns.get(&own) {
                return ExprKind::Fn(def);
            }
        }
        match self.scopes.get(&self.module).and_then(|s| s.get(name)) {
            Some(Binding::Fn(def)) => return ExprKind::Fn(*def),
            Some(Binding::Builtin(b)) => return ExprKind::Builtin(*b),
            Some(Binding::Module(_)) => {
                self.diags
                    .push(errors::unsupported("a module used as a value", span));
                return ExprKind::Error;
            }
            Some(Binding::Service(..)) => {
                self.diags
                    .push(errors::unsupported("a service used as a value", span));
                return ExprKind::Error;
            }
            Some(Binding::Poisoned) => return ExprKind::Error,
            None => {}
        }
        if let Some((adt, variant)) = self.lookup_variant(name) {
            return self.construct_bare(adt, variant, span);
        }
        if let Some(b) = Builtin::lookup(None, name) {
            if b.is_internal() {
                self.diags.push(errors::internal_function(name, span));
                return ExprKind::Error;
            }
            return ExprKind::Builtin(b);
        }
        let mut candidates: Vec<String> = self
            .locals
            .iter()
            .flat_map(|s| s.bindings.iter().map(|(n, _)| n.clone()))
            .collect();
        if let Some(scope) = self.scopes.get(&self.module) {
            candidates.extend(scope.keys().cloned());
        }
        let suggestion =
            errors::closest(name, candidates.iter().map(String::as_str)).map(str::to_string);
        self.diags.push(errors::undefined_variable(
            name,
            span,
            suggestion.as_deref(),
        ));
        ExprKind::Error
    }

    /// A variant named without arguments: a value when nullary.
    fn construct_bare(&mut self, adt: crate::hir::AdtId, variant: u32, span: Span) -> ExprKind {
        let def = &self.program.adt(adt).variants()[variant as usize];
        if def.fields.is_empty() {
            ExprKind::Construct {
                adt,
                variant: Some(variant),
                args: vec![],
            }
        } else {
            let _ = span;
            ExprKind::VariantFn { adt, variant }
        }
    }

    /// The variant a callee names (`Some`, `Shape.Circle`), if it names one.
    fn callee_variant(
        &mut self,
        callee: &ast::Expr,
    ) -> Option<Result<(crate::hir::AdtId, u32), ()>> {
        match &callee.kind {
            ast::ExprKind::Name(n) if n.starts_with(char::is_uppercase) => {
                self.lookup_variant(n).map(Ok)
            }
            ast::ExprKind::Field { base, name } => {
                let ast::ExprKind::Name(t) = &base.kind else {
                    return None;
                };
                let adt = self.lookup_type(t)?;
                if self.static_method(t, &name.name).is_some()
                    || matches!(name.name.as_str(), "from_json" | "from_row")
                    || super::schema::SCHEMA_METHODS.contains(&name.name.as_str())
                {
                    return None;
                }
                match self
                    .program
                    .adt(adt)
                    .variants()
                    .iter()
                    .position(|v| v.name == name.name)
                {
                    Some(i) => Some(Ok((adt, i as u32))),
                    // A user type named like a stdlib module leaves the module's functions.
                    None if Builtin::lookup(Some(t), &name.name).is_some() => None,
                    None => {
                        self.diags.push(errors::unknown_variant(
                            &format!("{t}.{}", name.name),
                            callee.span,
                        ));
                        Some(Err(()))
                    }
                }
            }
            _ => None,
        }
    }

    fn lower_call(
        &mut self,
        callee: &ast::Expr,
        args: &[ast::Expr],
        kwargs: &[(ast::Ident, ast::Expr)],
        trailing: Option<&ast::Expr>,
        span: Span,
    ) -> ExprKind {
        if let Some(kind) = self.spawn_supervisor(callee, args) {
            return kind;
        }
        if let Some(kind) = self.job_map(callee, args, trailing) {
            return kind;
        }
        let extra = !kwargs.is_empty() || trailing.is_some();
        if let Some(kind) = self.cluster_call(callee, args, extra, span) {
            return kind;
        }
        let outer = self.clustered_handler_arg(callee, args, 2);
        let outer = std::mem::replace(&mut self.clustered_ok, outer);
        let mut lowered: Vec<ExprId> = args.iter().map(|a| self.lower_expr(a)).collect();
        self.clustered_ok = outer;
        lowered.extend(self.lower_kwargs(kwargs));
        if let Some(t) = trailing {
            lowered.push(self.lower_expr(t));
        }
        match self.callee_variant(callee) {
            Some(Ok((adt, variant))) => {
                return ExprKind::Construct {
                    adt,
                    variant: Some(variant),
                    args: lowered,
                }
            }
            Some(Err(())) => return ExprKind::Error,
            None => {}
        }
        if let Some(kind) = self.concurrency_call(callee, &lowered, span) {
            return kind;
        }
        if let Some(kind) = self.node_spawn(callee, &lowered, span) {
            return kind;
        }
        if let ast::ExprKind::Field { base, name } = &callee.kind {
            if self.is_value_receiver(base) {
                let receiver = self.lower_expr(base);
                let placeholder = self.program.add_expr(ExprKind::Error, name.span);
                return ExprKind::MethodCall {
                    receiver,
                    method: name.name.clone(),
                    method_span: name.span,
                    args: lowered,
                    callee: placeholder,
                };
            }
        }
        let callee = self.lower_expr(callee);
        ExprKind::Call {
            callee,
            args: lowered,
        }
    }

    /// `spawn(Name)` of a supervisor: spawns its generated `Name.__init`.
    fn spawn_supervisor(&mut self, callee: &ast::Expr, args: &[ast::Expr]) -> Option<ExprKind> {
        let ast::ExprKind::Name(n) = &callee.kind else {
            return None;
        };
        let [target] = args else { return None };
        let ast::ExprKind::Name(sup) = &target.kind else {
            return None;
        };
        if n != "spawn"
            || self.find_local(n).is_some()
            || !self
                .supervisors
                .contains(&(self.module.clone(), sup.clone()))
        {
            return None;
        }
        let def = *self
            .fns
            .get(&(self.module.clone(), format!("{sup}.__init")))?;
        let target = self.program.add_expr(ExprKind::Fn(def), target.span);
        Some(ExprKind::Spawn {
            target,
            args: vec![],
        })
    }

    /// Keyword arguments (spec §4.4): trailing `name: expr` arguments become one final
    /// `Map<String, V>` argument, `q("t", limit: "5")` ≡ `q("t", %{"limit" => "5"})`.
    fn lower_kwargs(&mut self, kwargs: &[(ast::Ident, ast::Expr)]) -> Option<ExprId> {
        let first = kwargs.first()?;
        let mut span = first.0.span;
        let mut entries = Vec::new();
        for (name, value) in kwargs {
            let key = self
                .program
                .add_expr(ExprKind::Lit(Lit::Str(name.name.clone())), name.span);
            let value = self.lower_expr(value);
            span = span.to(self.program.expr(value).span);
            entries.push((key, value));
        }
        Some(self.program.add_expr(ExprKind::Map(entries), span))
    }

    /// `spawn(f, args…)` and `self()` (spec §4.11), unless a local shadows the name.
    fn concurrency_call(
        &mut self,
        callee: &ast::Expr,
        args: &[ExprId],
        span: Span,
    ) -> Option<ExprKind> {
        match &callee.kind {
            ast::ExprKind::Name(n) if n == "spawn" && self.find_local(n).is_none() => {
                let Some((&target, rest)) = args.split_first() else {
                    self.diags.push(errors::arity_mismatch(1, 0, span));
                    return Some(ExprKind::Error);
                };
                Some(ExprKind::Spawn {
                    target,
                    args: rest.to_vec(),
                })
            }
            ast::ExprKind::SelfValue if args.is_empty() && self.find_local("self").is_none() => {
                if !self.in_actor {
                    self.diags.push(errors::self_outside_actor(span));
                }
                Some(ExprKind::SelfPid)
            }
            _ => None,
        }
    }

    /// `x |> f(a)` ≡ `f(x, a)`; `x |N> f(a)` puts `x` N-th; `x |> f` ≡ `f(x)` (spec §4.5).
    fn lower_pipe(&mut self, lhs: &ast::Expr, rhs: &ast::Expr, slot: Option<u32>) -> ExprKind {
        let value = self.lower_expr(lhs);
        match &rhs.kind {
            ast::ExprKind::Call {
                callee,
                args,
                kwargs,
                ..
            } => {
                // The handler (third argument) is explicit argument 1 when the piped value
                // goes before it, else 2.
                let at = slot.map_or(0, |n| n as usize - 1).min(args.len());
                let handler = if at <= 2 { 1 } else { 2 };
                let outer = self.clustered_handler_arg(callee, args, handler);
                let outer = std::mem::replace(&mut self.clustered_ok, outer);
                let mut lowered: Vec<ExprId> = args.iter().map(|a| self.lower_expr(a)).collect();
                self.clustered_ok = outer;
                lowered.extend(self.lower_kwargs(kwargs));
                let at = slot.map_or(0, |n| n as usize - 1).min(lowered.len());
                lowered.insert(at, value);
                if let Some(Ok((adt, variant))) = self.callee_variant(callee) {
                    return ExprKind::Construct {
                        adt,
                        variant: Some(variant),
                        args: lowered,
                    };
                }
                let callee_span = callee.span;
                let callee = self.lower_expr(callee);
                if let Some(n) = slot {
                    self.check_slot(callee, n, args.len(), callee_span);
                }
                ExprKind::Call {
                    callee,
                    args: lowered,
                }
            }
            _ => ExprKind::Call {
                callee: self.lower_expr(rhs),
                args: vec![value],
            },
        }
    }

    /// `x |N> f(args)`: N must name a parameter of `f` not already given (E0043, E0044).
    fn check_slot(&mut self, callee: ExprId, slot: u32, explicit: usize, span: Span) {
        let (name, arity) = match self.program.expr(callee).kind {
            ExprKind::Fn(def) => (
                self.program.func(def).name.clone(),
                self.program.func(def).arity,
            ),
            ExprKind::Builtin(b) => {
                let scheme = b.scheme(self.types);
                let arity = match self.types.kind(scheme) {
                    crate::ty::TyKind::Fun(params, _) => params.len(),
                    _ => return,
                };
                (b.def().name.to_string(), arity)
            }
            _ => return,
        };
        if slot as usize > arity {
            self.diags
                .push(errors::slot_out_of_range(slot, &name, arity, span));
        } else if explicit >= arity {
            self.diags.push(errors::slot_conflict(slot, &name, span));
        }
    }

    fn lower_field(&mut self, base: &ast::Expr, name: &ast::Ident, span: Span) -> ExprKind {
        if let Some(kind) = self.cluster_field(base, name, span) {
            return kind;
        }
        if let Some(kind) = self.service_member(base, name) {
            return kind;
        }
        if let Some(adt) = self.module_type_ref(base) {
            // `Types.User.from_json`: a static member of a module's type (spec §4.4).
            if let Some(kind) = self.static_method_of(adt, &name.name) {
                return kind;
            }
            let shown = self.program.adt(adt).name.clone();
            self.diags
                .push(errors::no_method(&name.name, &shown, name.span));
            return ExprKind::Error;
        }
        if let ast::ExprKind::Name(module) = &base.kind {
            let is_local = self
                .locals
                .iter()
                .any(|s| s.bindings.iter().any(|(n, _)| n == module));
            if !is_local {
                // A type the module declares or imports shadows a stdlib module of the same
                // name for its own members (variants, static methods); the module's other
                // functions stay reachable (`DateTime.utc_now()` beside a user `DateTime`).
                if let Some(kind) = self.user_type_member(module, name, span) {
                    return kind;
                }
                if let Some(kind) = self.lower_module_member(module, name, span) {
                    return kind;
                }
                if let Some(kind) = self.static_method(module, &name.name) {
                    return kind;
                }
                let derive = match name.name.as_str() {
                    "from_json" => Some("Json"),
                    "from_row" => Some("Row"),
                    m if super::schema::SCHEMA_METHODS.contains(&m) => Some("Schema"),
                    _ => None,
                };
                if let (Some(adt), Some(derive)) = (self.lookup_type(module), derive) {
                    // spec §3.5: only `deriving(Json)` types have `from_json`, only
                    // `deriving(Row)` structs `from_row`.
                    let shown = self.program.adt(adt).name.clone();
                    self.diags.push(errors::missing_trait(&shown, derive, span));
                    return ExprKind::Error;
                }
                if let Some(adt) = self.lookup_type(module) {
                    return match self
                        .program
                        .adt(adt)
                        .variants()
                        .iter()
                        .position(|v| v.name == name.name)
                    {
                        Some(i) => self.construct_bare(adt, i as u32, span),
                        None => {
                            self.diags.push(errors::unknown_variant(
                                &format!("{module}.{}", name.name),
                                span,
                            ));
                            ExprKind::Error
                        }
                    };
                }
            }
        }
        let base = self.lower_expr(base);
        ExprKind::Field {
            base,
            name: name.name.clone(),
            name_span: name.span,
        }
    }

    /// `T.m` for a type `T` the module declares or imports: its variant or static method `m`.
    fn user_type_member(&mut self, t: &str, name: &ast::Ident, span: Span) -> Option<ExprKind> {
        let adt = self.user_type(t)?;
        if let Some(kind) = self.static_method_of(adt, &name.name) {
            return Some(kind);
        }
        let variant = self
            .program
            .adt(adt)
            .variants()
            .iter()
            .position(|v| v.name == name.name)?;
        Some(self.construct_bare(adt, variant as u32, span))
    }

    fn lower_module_member(
        &mut self,
        module: &str,
        name: &ast::Ident,
        span: Span,
    ) -> Option<ExprKind> {
        let full = match self.scopes.get(&self.module).and_then(|s| s.get(module)) {
            Some(Binding::Module(full)) => full.clone(),
            _ if Builtin::is_stdlib_module(module) => module.to_string(),
            _ => return None,
        };
        if let Some(b) = Builtin::lookup(Some(&full), &name.name) {
            return Some(ExprKind::Builtin(b));
        }
        if let Some(x) = crate::builtins::float_constant(&full, &name.name) {
            return Some(ExprKind::Lit(Lit::Float(x)));
        }
        match self.fns.get(&(full.clone(), name.name.clone())).copied() {
            Some(def) if self.program.func(def).is_pub || full == self.module => {
                Some(ExprKind::Fn(def))
            }
            Some(_) => {
                self.diags
                    .push(errors::private_import(&name.name, &full, span));
                Some(ExprKind::Error)
            }
            None => {
                self.diags
                    .push(errors::name_not_exported(&name.name, &full, name.span));
                Some(ExprKind::Error)
            }
        }
    }

    /// `Name { f: e }`: fields are put in declaration order (spec §3.2, E0009).
    fn lower_struct_lit(
        &mut self,
        path: &ast::Path,
        fields: &[(ast::Ident, ast::Expr)],
        span: Span,
    ) -> ExprKind {
        let name = path.joined();
        // spec §4.3: the type may be qualified by its module (`Types.User { … }`).
        let found = self
            .lookup_type(&name)
            .or_else(|| self.qualified_type(path));
        let adt = match found {
            Some(adt) if matches!(self.program.adt(adt).kind, AdtKind::Struct { .. }) => adt,
            _ => {
                for (_, v) in fields {
                    self.lower_expr(v);
                }
                self.diags.push(errors::undefined_type(&name, path.span));
                return ExprKind::Error;
            }
        };
        let AdtKind::Struct { fields: decl } = self.program.adt(adt).kind.clone() else {
            return ExprKind::Error;
        };
        let struct_name = self.program.adt(adt).name.clone();
        let mut slots: Vec<Option<ExprId>> = vec![None; decl.len()];
        let mut ok = true;
        for (field, value) in fields {
            let id = self.lower_expr(value);
            match decl.iter().position(|f| f.name == field.name) {
                Some(i) => slots[i] = Some(id),
                None => {
                    self.diags
                        .push(errors::unknown_field(&field.name, &struct_name, field.span));
                    ok = false;
                }
            }
        }
        for (i, slot) in slots.iter().enumerate() {
            if slot.is_none() {
                self.diags
                    .push(errors::missing_field(&decl[i].name, &struct_name, span));
                ok = false;
            }
        }
        if !ok {
            return ExprKind::Error;
        }
        ExprKind::Construct {
            adt,
            variant: None,
            args: slots.into_iter().flatten().collect(),
        }
    }

    /// `for x in iter [when filter] do body end` (spec §4.8): the loop variable is scoped to
    /// the body; `a..b` in the header is an Int range.
    fn lower_for(
        &mut self,
        binding: &ast::ForBinding,
        iter: &ast::Expr,
        filter: Option<&ast::Expr>,
        body: &ast::Block,
    ) -> ExprKind {
        let range = match &iter.kind {
            ast::ExprKind::Binary {
                op: ast::BinOp::Range,
                lhs,
                rhs,
            } => Some((self.lower_expr(lhs), self.lower_expr(rhs))),
            _ => None,
        };
        let iter = match range {
            Some((a, b)) => crate::hir::ForIter::Range(a, b),
            None => crate::hir::ForIter::Value(self.lower_expr(iter)),
        };
        self.locals.push(Scope::default());
        let pats = match binding {
            ast::ForBinding::Single(p) => vec![self.lower_pat(p)],
            ast::ForBinding::KeyValue(k, v) => vec![self.lower_pat(k), self.lower_pat(v)],
        };
        let filter = filter.map(|f| self.lower_expr(f));
        self.loop_depth += 1;
        let body = self.lower_block_expr(body);
        self.loop_depth -= 1;
        self.locals.pop();
        ExprKind::For {
            pats,
            iter,
            filter,
            body,
        }
    }

    fn lower_arm(&mut self, arm: &ast::Arm) -> Arm {
        self.locals.push(Scope::default());
        let pat = self.lower_pat(&arm.pattern);
        if let Some(g) = &arm.guard {
            if let Some((reason, span)) = invalid_guard(g) {
                self.diags.push(errors::invalid_guard(reason, span));
            }
        }
        let guard = arm.guard.as_ref().map(|g| self.lower_expr(g));
        let body = self.lower_expr(&arm.body);
        self.locals.pop();
        Arm { pat, guard, body }
    }

    /// A closure; several clauses, pattern parameters or a guard make its body a clause
    /// `case` over its parameters (spec §4.6).
    fn lower_closure(&mut self, clauses: &[ast::ClosureClause], span: Span) -> ExprKind {
        let Some(first) = clauses.first() else {
            return ExprKind::Error;
        };
        let simple =
            clauses.len() == 1 && first.guard.is_none() && super::plain_params(&first.params);
        for c in &clauses[1..] {
            if c.params.len() != first.params.len() {
                self.diags.push(errors::clause_arity(
                    "fn",
                    first.params.len(),
                    c.params.len(),
                    c.span,
                ));
                return ExprKind::Error;
            }
        }
        self.locals.push(Scope::default());
        self.closures.push((self.locals.len() - 1, Vec::new()));
        let saved_loops = std::mem::replace(&mut self.loop_depth, 0);
        let params: Vec<crate::hir::LocalId> = first
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let ann = p.ty.as_ref().map(|t| self.annotation(t));
                self.param_local(i, p, ann, simple)
            })
            .collect();
        let body = if simple {
            self.lower_expr(&first.body)
        } else {
            let parts: Vec<super::Clause<'_>> = clauses
                .iter()
                .map(|c| super::Clause {
                    params: &c.params,
                    guard: c.guard.as_ref(),
                    body: &c.body,
                    span: c.span,
                })
                .collect();
            self.lower_clause_case(&parts, &params, span, format!("fn/{}", params.len()))
        };
        self.loop_depth = saved_loops;
        let captures = self.closures.pop().map(|(_, c)| c).unwrap_or_default();
        self.locals.pop();
        ExprKind::Closure {
            params,
            body,
            captures,
            self_local: None,
            ret: None,
        }
    }

    pub(super) fn lower_block_expr(&mut self, block: &ast::Block) -> ExprId {
        let kind = self.lower_block(block);
        self.program.add_expr(kind, block.span)
    }

    fn lower_block(&mut self, block: &ast::Block) -> ExprKind {
        self.locals.push(Scope::default());
        let mut stmts = Vec::new();
        let mut tail = None;
        let count = block.stmts.len();
        let mut i = 0;
        while let Some(stmt) = block.stmts.get(i) {
            if let ast::StmtKind::Item(item) = &stmt.kind {
                if matches!(item.kind, ast::ItemKind::Fn(_)) {
                    let (clauses, used) = self.nested_fn_clauses(&block.stmts[i..]);
                    let last = block.stmts.get(i + used.max(1) - 1).unwrap_or(stmt);
                    stmts.extend(self.lower_nested_fn(&clauses, stmt.span.to(last.span)));
                    i += used.max(1);
                    continue;
                }
            }
            match &stmt.kind {
                ast::StmtKind::Let { pattern, ty, value } => {
                    let value = self.lower_expr(value);
                    let ann = ty.as_ref().map(|t| self.annotation(t));
                    let pat = self.lower_let_pat(pattern, ann);
                    stmts.push(Stmt::Let { pat, value });
                }
                ast::StmtKind::Return(value) => {
                    let value = value.as_ref().map(|v| self.lower_expr(v));
                    let ret = self.program.add_expr(ExprKind::Return(value), stmt.span);
                    if i + 1 == count {
                        tail = Some(ret);
                    } else {
                        stmts.push(Stmt::Expr(ret));
                    }
                }
                ast::StmtKind::Expr(e) if i + 1 == count => tail = Some(self.lower_expr(e)),
                ast::StmtKind::Expr(e) => {
                    let id = self.lower_expr(e);
                    stmts.push(Stmt::Expr(id));
                }
                ast::StmtKind::AssertReceive { .. } | ast::StmtKind::Item(_) => {
                    self.diags
                        .push(errors::unsupported("this statement form", stmt.span));
                }
            }
            i += 1;
        }
        self.locals.pop();
        ExprKind::Block { stmts, tail }
    }
}

/// Case-arm guards are restricted to literals, names, comparisons, boolean operators,
/// parentheses and calls of plain named functions (spec §4.7, E0013). Returns why and where
/// a guard breaks that.
fn invalid_guard(e: &ast::Expr) -> Option<(&'static str, Span)> {
    use ast::ExprKind as A;
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            A::Int(_) | A::Float(_) | A::Str(_) | A::Bool(_) | A::Nil | A::Atom(_) | A::Name(_) => {
            }
            A::Binary { op, lhs, rhs } => {
                use ast::BinOp as B;
                if !matches!(
                    op,
                    B::Eq
                        | B::Ne
                        | B::Lt
                        | B::Gt
                        | B::Le
                        | B::Ge
                        | B::And
                        | B::Or
                        | B::Add
                        | B::Sub
                        | B::Mul
                        | B::Div
                        | B::Rem
                ) {
                    return Some((
                        "only comparisons, arithmetic and boolean operators are allowed",
                        e.span,
                    ));
                }
                stack.push(lhs);
                stack.push(rhs);
            }
            A::Unary { operand, .. } => stack.push(operand),
            A::Call {
                callee,
                args,
                kwargs,
                trailing,
            } => {
                if !matches!(callee.kind, A::Name(_)) || !kwargs.is_empty() || trailing.is_some() {
                    return Some(("only calls of plain named functions are allowed", e.span));
                }
                stack.extend(args);
            }
            A::Field { base, .. } if matches!(base.kind, A::Name(_)) => {}
            _ => return Some(("this expression is not allowed in a guard", e.span)),
        }
    }
    None
}

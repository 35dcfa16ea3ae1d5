//! Choosing among impls of one interface with different type arguments (spec §3.6, §5.5):
//! `impl From<Int> for W` beside `impl From<String> for W`. Impls are keyed by interface,
//! interface arguments and target, so a use that names the target and the method is picked
//! by its argument types: `W.from(x)` by `x`'s type (`ExprKind::ImplMethod` until then), `?`
//! by the error type it converts, `x.into()`/`x.try_into()` by `x`'s type, and `x.m()` of a
//! generic interface by the method's parameter types. A choice the types still leave open
//! at the end of the component is E0027.

use super::Checker;
use crate::errors;
use crate::hir::{DefId, ExprId, ExprKind, ImplDef, TypeKey};
use crate::ty::{TyId, TyKind};
use mesh_syntax::span::Span;

/// The impls a use may mean.
pub(super) enum Choice {
    One(DefId),
    /// No impl fits the argument types.
    None,
    /// Several fit: the interfaces with their arguments (`From<Int>`), as diagnostics show them.
    Ambiguous(Vec<String>),
}

/// A `Type.method` use that several impls define, waiting for its argument types: the callee
/// expression, the target's key, the method and the callee's type.
#[derive(Debug, Clone)]
pub(super) struct DeferredImplMethod {
    callee: ExprId,
    target: TypeKey,
    method: String,
    ty: TyId,
}

impl Checker<'_> {
    /// The impls of the type `key` (restricted to `interface` if given) defining `method`
    /// whose interface arguments fit the argument types `args`.
    pub(super) fn choose_impl(
        &mut self,
        key: TypeKey,
        method: &str,
        interface: Option<&str>,
        args: &[TyId],
    ) -> Choice {
        let mut fits = Vec::new();
        for imp in &self.program.impls {
            if imp.target != key || interface.is_some_and(|i| i != imp.interface) {
                continue;
            }
            let Some(&(_, def)) = imp.methods.iter().find(|(m, _)| m == method) else {
                continue;
            };
            if self.impl_fits(imp, def, args) {
                fits.push((self.interface_shown(imp), def));
            }
        }
        match fits.as_slice() {
            [] => Choice::None,
            [(_, def)] => Choice::One(*def),
            _ => Choice::Ambiguous(fits.into_iter().map(|(shown, _)| shown).collect()),
        }
    }

    /// Whether a use with argument types `args` may mean `def` of `imp`: for `From<S>` and
    /// `TryFrom<S>` the argument is an `S` (the spec's `T.from(s)`); for any other interface
    /// the method's parameters accept the arguments.
    fn impl_fits(&self, imp: &ImplDef, def: DefId, args: &[TyId]) -> bool {
        if let ("From" | "TryFrom", [source], [arg]) =
            (imp.interface.as_str(), imp.interface_args.as_slice(), args)
        {
            return self.types.may_unify(*source, *arg);
        }
        let ty = self
            .mono
            .get(&def)
            .copied()
            .or_else(|| self.schemes.get(&def).map(|&(scheme, _)| scheme));
        match ty.map(|t| self.types.kind(self.types.shallow(t))) {
            Some(TyKind::Fun(params, _)) if params.len() == args.len() => params
                .iter()
                .zip(args)
                .all(|(&p, &a)| self.types.may_unify(p, a)),
            _ => true,
        }
    }

    /// `From<Int>`: the impl's interface with its arguments.
    pub(super) fn interface_shown(&self, imp: &ImplDef) -> String {
        if imp.interface_args.is_empty() {
            return imp.interface.clone();
        }
        let args: Vec<String> = imp
            .interface_args
            .iter()
            .map(|&a| self.types.display(a))
            .collect();
        format!("{}<{}>", imp.interface, args.join(", "))
    }

    /// `Type.method(args)` with several impls defining `method`: the arguments are inferred
    /// first and pick the impl; when their types do not yet, the choice waits for the end of
    /// the component.
    pub(super) fn impl_method_call(
        &mut self,
        callee: ExprId,
        (target, method): (TypeKey, &str),
        args: &[ExprId],
        span: Span,
    ) -> TyId {
        let arg_tys: Vec<TyId> = args.iter().map(|&a| self.infer(a)).collect();
        let (callee_ty, is_chosen) = match self.choose_impl(target, method, None, &arg_tys) {
            Choice::One(def) => (self.use_impl_method(callee, def), true),
            Choice::None | Choice::Ambiguous(_) => {
                (self.defer_impl_method(callee, target, method), false)
            }
        };
        self.program.expr_types[callee.0 as usize] = callee_ty;
        let ret = self.apply(callee, callee_ty, args, arg_tys, span);
        if !is_chosen {
            // Every `W.from` returns a `W`: the rest of the body can use the result before
            // the impl is chosen (and an unchosen one is one error, not one per use).
            if let Some(common) = self.common_result(target, method, args.len()) {
                self.expect(common, ret, span);
            }
        }
        ret
    }

    /// The result type all impl methods `target.method` of `arity` parameters share when it
    /// is fully known (`W` for every `W.from`), else `None`.
    fn common_result(&mut self, target: TypeKey, method: &str, arity: usize) -> Option<TyId> {
        let defs: Vec<DefId> = self
            .program
            .impls
            .iter()
            .filter(|i| i.target == target)
            .filter_map(|i| i.methods.iter().find(|(m, _)| m == method))
            .map(|&(_, d)| d)
            .collect();
        let mut common = None;
        for def in defs {
            let (scheme, _) = *self.schemes.get(&def)?;
            let TyKind::Fun(params, ret) = self.types.kind(scheme).clone() else {
                return None;
            };
            let mut vars = Vec::new();
            self.types.free_vars(ret, &mut vars);
            let has_gen = self.mentions_gen(ret);
            if params.len() != arity || !vars.is_empty() || has_gen {
                return None;
            }
            match common {
                None => common = Some(ret),
                Some(c) if c == ret => {}
                Some(_) => return None,
            }
        }
        common
    }

    /// Whether `ty` mentions a quantified variable.
    fn mentions_gen(&self, ty: TyId) -> bool {
        match self.types.kind(self.types.shallow(ty)) {
            TyKind::Gen(_) => true,
            TyKind::Adt(_, args) | TyKind::Builtin(_, args) | TyKind::Tuple(args) => {
                args.iter().any(|&a| self.mentions_gen(a))
            }
            TyKind::Fun(params, ret) => {
                params.iter().any(|&p| self.mentions_gen(p)) || self.mentions_gen(*ret)
            }
            _ => false,
        }
    }

    /// `Type.method` used as a value (`List.map(xs, W.from)`): chosen from the function type
    /// the uses give it, at the end of the component.
    pub(super) fn defer_impl_method(
        &mut self,
        callee: ExprId,
        target: TypeKey,
        method: &str,
    ) -> TyId {
        let ty = self.types.fresh_var();
        self.deferred_impl_methods.push(DeferredImplMethod {
            callee,
            target,
            method: method.to_string(),
            ty,
        });
        ty
    }

    /// Makes `callee` a use of the impl method `def`; returns its (instantiated) type.
    fn use_impl_method(&mut self, callee: ExprId, def: DefId) -> TyId {
        let span = self.program.expr(callee).span;
        self.program.exprs[callee.0 as usize].kind = ExprKind::Fn(def);
        self.fn_use_at(def, Some(span))
    }

    /// Chooses the impl of each waiting `Type.method` use from its now inferred type. Unless
    /// `is_final`, uses the types still leave open keep waiting (a later step of the
    /// component may fix them); at the final pass they are E0027 (E0006 if no impl fits).
    pub(super) fn resolve_impl_methods(&mut self, is_final: bool) {
        for d in std::mem::take(&mut self.deferred_impl_methods) {
            let shallow = self.types.shallow(d.ty);
            let args = match self.types.kind(shallow) {
                TyKind::Fun(params, _) => params.clone(),
                _ => Vec::new(),
            };
            let choice = self.choose_impl(d.target, &d.method, None, &args);
            let span = self.program.expr(d.callee).span;
            match choice {
                Choice::One(def) => {
                    let ty = self.use_impl_method(d.callee, def);
                    self.expect(d.ty, ty, span);
                }
                _ if !is_final => self.deferred_impl_methods.push(d),
                Choice::Ambiguous(shown) => {
                    self.program.exprs[d.callee.0 as usize].kind = ExprKind::Error;
                    let target = d.target.name(self.types);
                    self.diags.push(errors::ambiguous_impl(
                        &d.method, &target, &shown[0], &shown[1], span,
                    ));
                }
                Choice::None => {
                    self.program.exprs[d.callee.0 as usize].kind = ExprKind::Error;
                    let wanted = self.wanted_interface(d.target, &d.method, &args);
                    let target = d.target.name(self.types);
                    self.diags
                        .push(errors::missing_trait(&target, &wanted, span));
                }
            }
        }
    }

    /// The interface a use with argument types `args` needed but the target lacks, for E0006:
    /// `From<Float>` when `from`'s impls are all `From` impls, else the interface's name.
    pub(super) fn wanted_interface(
        &mut self,
        target: TypeKey,
        method: &str,
        args: &[TyId],
    ) -> String {
        let interface = self
            .program
            .impls
            .iter()
            .find(|i| i.target == target && i.methods.iter().any(|(m, _)| m == method))
            .map(|i| i.interface.clone())
            .unwrap_or_default();
        match (interface.as_str(), args) {
            ("From" | "TryFrom", [arg]) => {
                let arg = self.types.resolve(*arg);
                format!("{interface}<{}>", self.types.display(arg))
            }
            _ => interface,
        }
    }
}

//! `where` bounds in the checker (spec §5.4): a method call on a value whose type is a bounded
//! type parameter is typed through the bounding interface's signature (its callee becomes
//! `ExprKind::BoundMethod`, dispatched per instance in MIR), and the bounds of a called
//! generic function are required of its type arguments (E0006).

use super::Checker;
use crate::builtins::Builtin;
use crate::errors;
use crate::hir::{DefId, ExprId, ExprKind, Program, TypeKey};
use crate::ty::{TyId, TyKind};
use mesh_syntax::span::Span;

/// A method call being resolved: the receiver, and the arguments (receiver first) with their
/// inferred types.
#[derive(Debug, Clone)]
pub(super) struct MethodUse {
    pub receiver: ExprId,
    pub receiver_ty: TyId,
    pub method: String,
    pub method_span: Span,
    pub args: Vec<ExprId>,
    pub arg_tys: Vec<TyId>,
    pub callee: ExprId,
    pub span: Span,
}

/// A `where` bound of a called generic function on its (instantiated) type argument,
/// checked when the component is inferred.
#[derive(Debug, Clone)]
pub(super) struct PendingBound {
    pub ty: TyId,
    pub interface: String,
    /// The call (or the use of a generalised `let` whose value makes the call).
    pub span: Span,
    /// For a bound instantiated at a use of a generalised `let`: the call in its value.
    pub origin: Option<Span>,
}

impl Checker<'_> {
    /// `x.m(args)` where `x`'s type is a type parameter of the function being checked:
    /// resolved through its `where` bounds. `None` when the type has no bound (the caller
    /// reports E0030).
    pub(super) fn bound_method_call(&mut self, m: &MethodUse) -> Option<TyId> {
        let receiver = self.types.shallow(m.receiver_ty);
        let interfaces: Vec<String> = self
            .bounds
            .clone()
            .into_iter()
            .filter(|(t, _)| self.types.shallow(*t) == receiver)
            .map(|(_, i)| i)
            .collect();
        if interfaces.is_empty() {
            return None;
        }
        let candidates: Vec<(String, TyId, u32)> = interfaces
            .iter()
            .filter_map(|i| {
                let sig = self.program.interfaces.iter().find(|s| s.name == *i)?;
                let (_, ty, n) = sig.methods.iter().find(|(name, ..)| *name == m.method)?;
                Some((i.clone(), *ty, *n))
            })
            .collect();
        let (callee_kind, callee_ty) = match candidates.as_slice() {
            [(interface, ty, n)] => {
                let mut args = vec![m.receiver_ty];
                args.extend((1..*n).map(|_| self.types.fresh_var()));
                let kind = ExprKind::BoundMethod {
                    interface: interface.clone(),
                    method: m.method.to_string(),
                };
                (kind, self.types.instantiate(*ty, &args))
            }
            [(a, ..), (b, ..), ..] => {
                let shown = self.display_param(receiver);
                self.diags.push(errors::ambiguous_method(
                    &m.method,
                    &shown,
                    a,
                    b,
                    m.method_span,
                ));
                return Some(self.types.error());
            }
            // Methods every type has (`to_string`, `inspect`), checked per instance.
            [] => {
                let b = Builtin::lookup(Some("Any"), &m.method)?;
                if b.def().symbol == crate::builtins::TO_STRING {
                    self.require_display(m.receiver_ty, m.method_span);
                }
                (ExprKind::Builtin(b), b.fn_type(self.types))
            }
        };
        self.program.exprs[m.callee.0 as usize].kind = callee_kind;
        self.program.expr_types[m.callee.0 as usize] = callee_ty;
        Some(self.apply(m.callee, callee_ty, &m.args, m.arg_tys.clone(), m.span))
    }

    /// Each impl method of a declared interface must have the interface's signature with
    /// `Self` the impl's target type (E0008); so must the methods that generated code and the
    /// runtime call for the known interfaces (`known_signature`).
    pub(super) fn check_impl_signatures(&mut self) {
        for imp in self.program.impls.clone() {
            for (method, def) in &imp.methods {
                let target = self.target_type(imp.target);
                if let Some((expected, item)) = self.known_signature(&imp.interface, method, target)
                {
                    let named: Vec<(TyId, &str)> = item.map(|t| (t, "Item")).into_iter().collect();
                    self.check_signature(&imp.interface, method, *def, expected, &named);
                }
            }
            let Some(sig) = self
                .program
                .interfaces
                .iter()
                .find(|s| s.name == imp.interface)
                .cloned()
            else {
                continue;
            };
            for (method, def) in &imp.methods {
                let Some((_, want, n)) = sig.methods.iter().find(|(m, ..)| m == method) else {
                    continue;
                };
                let target = self.target_type(imp.target);
                let mut args = vec![target];
                args.extend((1..*n).map(|_| self.types.fresh_var()));
                let expected = self.types.instantiate(*want, &args);
                self.check_signature(&imp.interface, method, *def, expected, &[]);
            }
        }
    }

    /// E0008 unless the impl method `def` has the type `expected`; the message shows each
    /// variable of `named` that the impl leaves open by its name (`Item`).
    fn check_signature(
        &mut self,
        interface: &str,
        method: &str,
        def: DefId,
        expected: TyId,
        named: &[(TyId, &str)],
    ) {
        let (scheme, k) = self.program.fn_types[def.0 as usize];
        let fresh: Vec<TyId> = (0..k).map(|_| self.types.fresh_var()).collect();
        let found = self.types.instantiate(scheme, &fresh);
        if self.types.unify(expected, found).is_err() {
            let (e, f) = (self.types.resolve(expected), self.types.resolve(found));
            let (e, f) = (
                self.types.display_named(e, named),
                self.types.display_named(f, named),
            );
            let span = self.program.func(def).name_span;
            self.diags
                .push(errors::wrong_signature(method, interface, &e, &f, span));
        }
    }

    /// The type of a known interface's method that generated code or the runtime calls
    /// (`lower/impls.rs`, `REQUIRED_METHODS`), with `Self` = `target`, and the variable
    /// standing for the impl's `type Item` if the signature has one.
    fn known_signature(
        &mut self,
        interface: &str,
        method: &str,
        target: TyId,
    ) -> Option<(TyId, Option<TyId>)> {
        let mut item = None;
        let (params, ret) = match (interface, method) {
            ("Display", "to_string") => (vec![target], self.types.string()),
            ("Eq", "eq") => (vec![target, target], self.types.bool()),
            ("Ord", "compare") => (vec![target, target], self.types.ordering()),
            ("Hash", "hash") => (vec![target], self.types.int()),
            // The element type is the impl's (`type Item`); stepping returns the rest.
            ("Iterator", "next") => {
                let var = self.types.fresh_var();
                item = Some(var);
                let step = self.types.intern(TyKind::Tuple(vec![var, target]));
                let ret = self.types.option(step);
                (vec![target], ret)
            }
            _ => return None,
        };
        Some((self.types.intern(TyKind::Fun(params, ret)), item))
    }

    /// The type an impl target key names, with fresh type arguments.
    fn target_type(&mut self, key: TypeKey) -> TyId {
        let n = match key {
            TypeKey::Adt(id) => self.program.adt(id).generics.len(),
            _ => 0,
        };
        let args = (0..n).map(|_| self.types.fresh_var()).collect();
        key.ty(self.types, args)
    }

    /// A type for a diagnostic: a declared type parameter by its name (`T`), else as usual.
    pub(super) fn display_param(&mut self, ty: TyId) -> String {
        let t = self.types.shallow(ty);
        let named = self
            .generic_names
            .iter()
            .find(|(v, _)| self.types.shallow(*v) == t)
            .map(|(_, n)| n.clone());
        match named {
            Some(name) if matches!(self.types.kind(t), TyKind::Var(_)) => name,
            _ => self.types.display(t),
        }
    }

    /// Checks the bounds of the generic functions called in the component: each type
    /// argument must implement the interface (an impl, or a derivable trait it derives).
    /// A type still unknown is left to the instance.
    pub(super) fn check_pending_bounds(&mut self) {
        for bound in std::mem::take(&mut self.pending_bounds) {
            let interface = bound.interface;
            let t = self.types.shallow(bound.ty);
            if matches!(
                self.types.kind(t),
                TyKind::Var(_) | TyKind::Gen(_) | TyKind::Error | TyKind::Never
            ) {
                continue;
            }
            let has_impl = Program::type_key(self.types, t).is_some_and(|key| {
                self.program
                    .impls
                    .iter()
                    .any(|i| i.target == key && i.interface == interface)
            });
            let derivable = matches!(
                interface.as_str(),
                "Eq" | "Ord" | "Display" | "Debug" | "Hash" | "Json"
            );
            if has_impl || (derivable && self.derives(t, &interface)) {
                continue;
            }
            let shown = self.types.display(t);
            self.diags.push(match bound.origin {
                Some(origin) => {
                    errors::missing_trait_at_use(&shown, &interface, bound.span, origin)
                }
                None => errors::missing_trait(&shown, &interface, bound.span),
            });
        }
    }
}

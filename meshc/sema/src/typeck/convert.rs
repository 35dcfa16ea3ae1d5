//! `v.try_into()` and `v.into()` (spec §3.6, §5.2): conversions named by their *result* type.
//! The call is typed once the component is inferred, when the expected type (an annotated
//! `let`, a parameter, a return type) is known: `try_into` finds the `TryFrom` impl of `T` in
//! the expected `Result<T, E>` and `into` the `From` impl of the expected type; the call then
//! becomes a call of that impl's `try_from` / `from` with the receiver as its argument. When
//! the target has several (`From<Int>`, `From<String>`), the receiver's type picks one.

use super::bounds::MethodUse;
use super::impl_choice::Choice;
use super::Checker;
use crate::errors;
use crate::hir::{ExprKind, Program};
use crate::ty::{TyId, TyKind};

/// The static conversion method a conversion method call stands for, with its interface.
fn conversion(method: &str) -> Option<(&'static str, &'static str)> {
    match method {
        "try_into" => Some(("try_from", "TryFrom")),
        "into" => Some(("from", "From")),
        _ => None,
    }
}

impl Checker<'_> {
    /// A `try_into()`/`into()` call the receiver's own impls do not answer: its result is a
    /// fresh variable, resolved by `resolve_conversions`. `None` for every other call.
    pub(super) fn defer_conversion(&mut self, m: &MethodUse) -> Option<TyId> {
        conversion(&m.method)?;
        if m.args.len() != 1 {
            return None;
        }
        let own = Program::type_key(self.types, m.receiver_ty)
            .is_some_and(|key| !self.program.impl_methods(key, &m.method).is_empty());
        if own {
            return None;
        }
        let result = self.types.fresh_var();
        self.deferred_conversions.push((m.clone(), result));
        Some(result)
    }

    /// Types every deferred conversion from its now known result type (E0006 when the target
    /// type has no such impl, E0030 when the target is still unknown).
    pub(super) fn resolve_conversions(&mut self) {
        for (m, result) in std::mem::take(&mut self.deferred_conversions) {
            let (method, interface) = conversion(&m.method).expect("deferred conversions only");
            let expected = self.types.shallow(result);
            let target = match (method, self.types.kind(expected)) {
                ("try_from", TyKind::Adt(crate::hir::RESULT, args)) if args.len() == 2 => args[0],
                _ => expected,
            };
            let target = self.types.shallow(target);
            if matches!(self.types.kind(target), TyKind::Error) {
                continue;
            }
            let Some(key) = Program::type_key(self.types, target) else {
                let shown = self.types.display(m.receiver_ty);
                self.diags.push(errors::conversion_target_unknown(
                    &m.method,
                    &shown,
                    m.method_span,
                ));
                continue;
            };
            // With several impls (`From<Int>`, `From<String>`) the receiver's type picks one.
            let def = match self.choose_impl(key, method, Some(interface), &[m.receiver_ty]) {
                Choice::One(def) => def,
                Choice::Ambiguous(shown) => {
                    self.diags.push(errors::ambiguous_impl(
                        &m.method,
                        &key.name(self.types),
                        &shown[0],
                        &shown[1],
                        m.method_span,
                    ));
                    continue;
                }
                Choice::None => {
                    let has_any = self.program.impl_method(key, interface, method).is_some();
                    let wanted = if has_any {
                        self.wanted_interface(key, method, &[m.receiver_ty])
                    } else {
                        interface.to_string()
                    };
                    let shown = self.types.display(target);
                    self.diags
                        .push(errors::missing_trait(&shown, &wanted, m.method_span));
                    continue;
                }
            };
            let callee_ty = self.fn_use(def);
            self.program.exprs[m.callee.0 as usize].kind = ExprKind::Fn(def);
            self.program.expr_types[m.callee.0 as usize] = callee_ty;
            let t = self.apply(m.callee, callee_ty, &m.args, m.arg_tys, m.span);
            self.expect(result, t, m.span);
        }
    }
}

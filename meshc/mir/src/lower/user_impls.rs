//! User impls of the compiler-known interfaces that change what a value's structural operations
//! do (language spec §3.5, §3.6): `Display.to_string`, `Eq.eq`, `Ord.compare` and `Hash.hash`
//! of a struct or sum type. Generated code calls the impl method wherever it would use the
//! derived form (`==`, `<`, `compare`, interpolation, and the derived operations of enclosing
//! tuples, structs and variants); the type's descriptor carries adapters of them (`UserFns`) so
//! the runtime's generic operations do the same for values inside collections, at any depth.
//!
//! A type may implement some of these and derive the rest: `==` uses a user `Eq` even when the
//! ordering is derived, and the other way round. The runtime hashes a type with a user `Eq`
//! but no user `Hash` to a constant (see `value/generic/hash.rs`).

use super::{Ctx, FnBuilder};
use crate::{BinOp, Const, FnId, Operand, Rvalue, Ty, UserFns};
use mesh_sema::hir;
use mesh_sema::ty::{TyId, TyKind};

/// The methods of the known interfaces the runtime calls through a type's descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Display,
    Eq,
    Compare,
    Hash,
}

impl Method {
    /// (interface, method name).
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Method::Display => ("Display", "to_string"),
            Method::Eq => ("Eq", "eq"),
            Method::Compare => ("Ord", "compare"),
            Method::Hash => ("Hash", "hash"),
        }
    }
}

impl Ctx<'_> {
    /// The descriptor adapters of `ty`'s user impls (`ty` a struct or sum type).
    pub(super) fn user_fns(&mut self, ty: TyId) -> UserFns {
        UserFns {
            display: self.user_adapter(ty, Method::Display),
            eq: self.user_adapter(ty, Method::Eq),
            compare: self.user_adapter(ty, Method::Compare),
            hash: self.user_adapter(ty, Method::Hash),
        }
    }

    /// For a type with a user impl of `method`: a function of the C convention taking value
    /// words, which calls it (its result a Mesh string for Display, an Int word otherwise).
    fn user_adapter(&mut self, ty: TyId, method: Method) -> Option<FnId> {
        let (interface, name) = method.names();
        user_method(self, ty, interface, name)?;
        let id = self.new_fn_id();
        let shown = self.types.display(ty);
        let func = {
            let mut b = FnBuilder::new(self, format!("{name}.impl<{shown}>"), vec![], id);
            b.func.is_closure_code = true;
            let arity = if matches!(method, Method::Eq | Method::Compare) {
                2
            } else {
                1
            };
            let values: Vec<Operand> = (0..arity)
                .map(|_| {
                    let w = b.new_local(Ty::Int);
                    b.func.params.push(w);
                    b.temp(Ty::Ptr, Rvalue::FromWord(Operand::Local(w)))
                })
                .collect();
            let result = match method {
                Method::Display => b.user_display(ty, &values[0]),
                Method::Eq => b.user_eq(ty, &values[0], &values[1]),
                Method::Compare => b.user_cmp(ty, &values[0], &values[1]),
                Method::Hash => b.user_hash(ty, &values[0]),
            }
            .expect("the impl method exists (checked above)");
            if method == Method::Display {
                b.func.ret = Ty::Ptr;
            } else {
                b.word_return = true;
                b.func.ret = Ty::Int;
            }
            b.ret(result);
            b.func
        };
        self.done.push((id, func));
        Some(id)
    }
}

/// The impl method `interface.method` of the type `ty` (the impl's target), if it has one.
fn user_method(ctx: &Ctx<'_>, ty: TyId, interface: &str, method: &str) -> Option<hir::DefId> {
    let key = hir::Program::type_key(ctx.types, ty)?;
    ctx.program.impl_method(key, interface, method)
}

impl FnBuilder<'_, '_> {
    /// Calls `ty`'s user `interface.method` on `args` (each a value of `ty`), the method
    /// instantiated at `Fun(ty…) -> ret`; `None` when the type has no such impl.
    fn call_user(
        &mut self,
        ty: TyId,
        (interface, method): (&str, &str),
        args: &[&Operand],
        ret: TyId,
    ) -> Option<Operand> {
        let def = user_method(self.ctx, ty, interface, method)?;
        let use_ty = self
            .ctx
            .types
            .intern(TyKind::Fun(args.iter().map(|_| ty).collect(), ret));
        let (id, _) = self.ctx.instance_at(def, use_ty);
        let mir_ret = self.ctx.mir_ty(ret);
        let args = args.iter().map(|&a| a.clone()).collect();
        Some(self.temp(mir_ret, Rvalue::Call(id, args)))
    }

    /// A user `impl Display` (its `to_string`), called on `v`.
    pub(super) fn user_display(&mut self, ty: TyId, v: &Operand) -> Option<Operand> {
        let string = self.ctx.types.string();
        self.call_user(ty, Method::Display.names(), &[v], string)
    }

    /// A user `impl Eq` (its `eq`): a Bool.
    pub(super) fn user_eq(&mut self, ty: TyId, a: &Operand, b: &Operand) -> Option<Operand> {
        let bool_ty = self.ctx.types.bool();
        self.call_user(ty, Method::Eq.names(), &[a, b], bool_ty)
    }

    /// A user `impl Ord` (its `compare`): the `Ordering` value.
    pub(super) fn user_compare(&mut self, ty: TyId, a: &Operand, b: &Operand) -> Option<Operand> {
        let ordering = self.ctx.types.ordering();
        self.call_user(ty, Method::Compare.names(), &[a, b], ordering)
    }

    /// A user `impl Ord` as a three-way comparison: -1, 0 or 1 (the `Ordering`'s tag, `Less`
    /// = 0, `Equal` = 1, `Greater` = 2, minus one).
    pub(super) fn user_cmp(&mut self, ty: TyId, a: &Operand, b: &Operand) -> Option<Operand> {
        let ordering = self.user_compare(ty, a, b)?;
        let tag = self.temp(
            Ty::Int,
            Rvalue::Load {
                object: ordering,
                index: 0,
            },
        );
        Some(self.temp(
            Ty::Int,
            Rvalue::Binary(BinOp::Sub, tag, Operand::Const(Const::Int(1))),
        ))
    }

    /// A user `impl Hash` (its `hash`): an Int.
    pub(super) fn user_hash(&mut self, ty: TyId, v: &Operand) -> Option<Operand> {
        let int = self.ctx.types.int();
        self.call_user(ty, Method::Hash.names(), &[v], int)
    }
}

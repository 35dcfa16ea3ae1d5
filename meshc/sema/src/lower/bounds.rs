//! `where` bounds (spec §3.1, §5.4): each function's `where T: Interface` list is recorded
//! for the checker (`Program::fn_bounds`), and each declared interface's method signatures are
//! resolved once (`Program::interfaces`) so `x.m()` on a bounded type parameter can be typed
//! through the interface and dispatched per instance (MIR).

use super::{impls::KNOWN_INTERFACES, Lowerer};
use crate::errors;
use crate::hir::{DefId, InterfaceSig};
use crate::ty::{TyId, TyKind};
use mesh_syntax::ast;

impl Lowerer<'_, '_> {
    /// Resolves the methods of every declared interface into `Program::interfaces`, `self`
    /// and `Self` as `Gen(0)`. Types that cannot be stated without an impl (associated types,
    /// unannotated parameters) become further `Gen`s, fresh at each call.
    pub(super) fn declare_interface_sigs(&mut self) {
        let mut names: Vec<String> = self.interfaces.keys().cloned().collect();
        names.sort();
        for name in names {
            let decl = self.interfaces[&name];
            let module = self
                .interface_modules
                .get(&name)
                .cloned()
                .unwrap_or_else(|| self.entry_module.clone());
            let saved_module = std::mem::replace(&mut self.module, module);
            let mut methods = Vec::new();
            for m in &decl.methods {
                let mut next = 1;
                let params: Vec<TyId> = m
                    .params
                    .iter()
                    .map(|p| {
                        let is_self =
                            matches!(&p.pattern.kind, ast::PatternKind::Bind(n) if n == "self");
                        match &p.ty {
                            _ if is_self => self.types.intern(TyKind::Gen(0)),
                            Some(t) => self.interface_type(t, &mut next),
                            None => self.next_gen(&mut next),
                        }
                    })
                    .collect();
                let ret = match &m.ret {
                    Some(t) => self.interface_type(t, &mut next),
                    None => self.types.unit(),
                };
                let ty = self.types.intern(TyKind::Fun(params, ret));
                methods.push((m.name.name.clone(), ty, next));
            }
            self.module = saved_module;
            self.program.interfaces.push(InterfaceSig { name, methods });
        }
    }

    fn next_gen(&mut self, next: &mut u32) -> TyId {
        *next += 1;
        self.types.intern(TyKind::Gen(*next - 1))
    }

    /// A type in an interface method's signature; one that does not resolve outside an impl
    /// (`Self.Out`) is a fresh `Gen` (its errors are reported for the impls, not here).
    fn interface_type(&mut self, t: &ast::TypeExpr, next: &mut u32) -> TyId {
        let self_ty = self.types.intern(TyKind::Gen(0));
        let saved = std::mem::replace(&mut self.generics, vec![("Self".into(), self_ty)]);
        let before = self.diags.len();
        let ty = self.resolve_type(t);
        self.generics = saved;
        if self.diags.len() > before {
            self.diags.truncate(before);
            return self.next_gen(next);
        }
        ty
    }

    /// Records `where T: Interface` of the function being lowered (its generics are in
    /// scope). An unknown parameter or interface is reported as an unknown type (E0058).
    pub(super) fn lower_where_bounds(&mut self, def: DefId, bounds: &[ast::WhereBound]) {
        for b in bounds {
            let Some(&(_, ty)) = self.generics.iter().find(|(g, _)| *g == b.param.name) else {
                self.diags
                    .push(errors::undefined_type(&b.param.name, b.param.span));
                continue;
            };
            let interface = b.bound.joined();
            if !self.interfaces.contains_key(&interface)
                && !KNOWN_INTERFACES.contains(&interface.as_str())
            {
                self.diags
                    .push(errors::undefined_type(&interface, b.bound.span));
                continue;
            }
            self.program
                .fn_bounds
                .entry(def)
                .or_default()
                .push((ty, interface));
        }
    }
}

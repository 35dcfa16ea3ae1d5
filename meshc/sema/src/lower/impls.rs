//! Interfaces and impls (spec §3.6): impl methods become functions whose `self` has the impl's
//! target type; interface default methods are instantiated per impl that lacks them. Method
//! calls are resolved by the type checker from the receiver's type.

use super::{Binding, Lowerer};
use crate::errors;
use crate::hir::{DefId, ExprId, ExprKind, FnDecl, ImplDef, TypeKey};
use mesh_syntax::ast;
use mesh_syntax::span::Span;
use std::borrow::Cow;

/// Interfaces the compiler knows without a declaration (operators, conversions, printing).
pub(super) const KNOWN_INTERFACES: &[&str] = &[
    "Add", "Sub", "Mul", "Div", "Mod", "Neg", "Eq", "Ord", "Display", "Debug", "Hash", "Default",
    "From", "Into", "TryFrom", "Iterable", "Iterator",
];

/// The method each impl of a known interface must define, because generated code and the
/// runtime call it (in place of the derived form, or to walk a `for` source) (`Type.Interface.method`; signatures checked
/// in `typeck/bounds.rs`).
pub(crate) const REQUIRED_METHODS: &[(&str, &str)] = &[
    ("Display", "to_string"),
    ("Eq", "eq"),
    ("Ord", "compare"),
    ("Hash", "hash"),
    ("Iterator", "next"),
    ("Iterable", "iter"),
];

impl<'a, 'm> Lowerer<'a, 'm> {
    /// Declares the methods of every impl (after imports, so targets may be imported types).
    pub(super) fn declare_impls(&mut self, bodies: &mut super::Bodies<'m>) {
        for (module, imp, span) in std::mem::take(&mut self.impl_items) {
            self.module = module.clone();
            let target_name = imp.target.joined();
            // A type the module declares or imports shadows a built-in name, primitives too.
            let primitive = match target_name.as_str() {
                _ if self.user_type(&target_name).is_some() => None,
                "Int" => Some(TypeKey::Int),
                "Float" => Some(TypeKey::Float),
                "Bool" => Some(TypeKey::Bool),
                "String" => Some(TypeKey::String),
                _ => None,
            };
            let (key, generics) = match primitive {
                Some(key) => (key, vec![]),
                None => match self.lookup_type(&target_name) {
                    Some(adt) => (TypeKey::Adt(adt), self.program.adt(adt).generics.clone()),
                    None => {
                        self.diags
                            .push(errors::undefined_type(&target_name, imp.target.span));
                        continue;
                    }
                },
            };
            // Interfaces are global (spec §2.3): `impl Types.Greet for …` names `Greet`.
            let interface = imp
                .interface
                .segments
                .last()
                .map_or_else(|| imp.interface.joined(), |s| s.name.clone());
            // spec §3.6: impls are keyed by interface, interface arguments and target; a
            // second impl whose arguments overlap an earlier one's is a duplicate (E0026).
            let interface_args: Vec<_> = imp
                .interface_args
                .iter()
                .map(|t| self.resolve_type(t))
                .collect();
            let shown = self.interface_display(&interface, &interface_args);
            let duplicate = self.program.impls.iter().any(|i| {
                i.interface == interface
                    && i.target == key
                    && i.interface_args.len() == interface_args.len()
                    && i.interface_args
                        .iter()
                        .zip(&interface_args)
                        .all(|(&a, &b)| self.types.may_unify(a, b))
            });
            let key_name = key.name(self.types);
            if duplicate {
                self.diags
                    .push(errors::duplicate_impl(&shown, &key_name, span));
                continue;
            }
            let mut methods = Vec::new();
            for f in &imp.methods {
                let def =
                    self.declare_method(&module, &key_name, &shown, Cow::Borrowed(f), span, bodies);
                self.self_types.insert(def, (key, generics.clone()));
                self.impl_assoc.insert(def, &imp.assoc_types);
                methods.push((f.name.name.clone(), def));
            }
            self.add_defaults(
                &module,
                key,
                (&interface, &shown),
                &generics,
                imp,
                span,
                &mut methods,
                bodies,
            );
            self.program.impls.push(ImplDef {
                interface,
                interface_args,
                target: key,
                methods,
                span,
            });
        }
    }

    /// `From<Int>`: an interface with its arguments, as diagnostics and function names show it.
    fn interface_display(&self, interface: &str, args: &[crate::ty::TyId]) -> String {
        if args.is_empty() {
            return interface.to_string();
        }
        let args: Vec<String> = args.iter().map(|&a| self.types.display(a)).collect();
        format!("{interface}<{}>", args.join(", "))
    }

    /// Interface methods the impl does not define: their default body, or E0007.
    #[allow(clippy::too_many_arguments)]
    fn add_defaults(
        &mut self,
        module: &str,
        key: TypeKey,
        (interface, shown): (&str, &str),
        generics: &[String],
        imp: &'m ast::ImplDef,
        span: Span,
        methods: &mut Vec<(String, DefId)>,
        bodies: &mut super::Bodies<'m>,
    ) {
        let key_name = key.name(self.types);
        let key_name = key_name.as_str();
        let Some(&decl) = self.interfaces.get(interface) else {
            if !KNOWN_INTERFACES.contains(&interface) {
                self.diags
                    .push(errors::undefined_type(interface, imp.interface.span));
            }
            let required = REQUIRED_METHODS.iter().find(|(i, _)| *i == interface);
            if let Some((_, m)) = required.filter(|(_, m)| !methods.iter().any(|(n, _)| n == m)) {
                self.diags
                    .push(errors::missing_method(interface, key_name, m, span));
            }
            return;
        };
        for a in &decl.assoc_types {
            if !imp.assoc_types.iter().any(|(n, _)| n.name == a.name) {
                self.diags
                    .push(errors::missing_assoc(interface, key_name, &a.name, span));
            }
        }
        for (n, _) in &imp.assoc_types {
            if !decl.assoc_types.iter().any(|a| a.name == n.name) {
                self.diags
                    .push(errors::extra_assoc(interface, key_name, &n.name, n.span));
            }
        }
        for m in &decl.methods {
            if methods.iter().any(|(n, _)| *n == m.name.name) {
                continue;
            }
            let Some(body) = &m.body else {
                self.diags.push(errors::missing_method(
                    interface,
                    key_name,
                    &m.name.name,
                    span,
                ));
                continue;
            };
            // The default body is lowered once per impl, as if written in it; the synthesised
            // node is owned by the list of bodies.
            let f = Cow::Owned(ast::FnDef {
                cluster: None,
                is_pub: true,
                name: m.name.clone(),
                generics: vec![],
                params: Some(m.params.clone()),
                ret: m.ret.clone(),
                where_bounds: vec![],
                guard: None,
                body: body.clone(),
            });
            let def = self.declare_method(module, key_name, shown, f, span, bodies);
            self.self_types.insert(def, (key, generics.to_vec()));
            self.impl_assoc.insert(def, &imp.assoc_types);
            methods.push((m.name.name.clone(), def));
        }
    }

    fn declare_method(
        &mut self,
        module: &str,
        key: &str,
        interface: &str,
        f: Cow<'m, ast::FnDef>,
        span: Span,
        bodies: &mut super::Bodies<'m>,
    ) -> DefId {
        let def = DefId(self.program.fns.len() as u32);
        self.program.fns.push(FnDecl {
            arity: f.arity(),
            name: format!("{key}.{interface}.{}", f.name.name),
            module: module.to_string(),
            is_pub: true,
            actor: false,
            params: Vec::new(),
            param_spans: Vec::new(),
            body: ExprId(0),
            span,
            name_span: f.name.span,
            exprs: 0..0,
            locals: 0..0,
            pats: 0..0,
        });
        self.program.ret_annotations.push(None);
        bodies.push((def, module.to_string(), vec![f]));
        def
    }

    /// The type of `self` in an impl method: the target type with fresh type arguments.
    pub(super) fn self_annotation(
        &mut self,
        def: DefId,
        span: Span,
    ) -> Option<crate::hir::Annotation> {
        let (key, generics) = self.self_types.get(&def)?.clone();
        let args = generics.iter().map(|_| self.types.fresh_var()).collect();
        let ty = key.ty(self.types, args);
        Some(crate::hir::Annotation { ty, span })
    }

    /// `Type.method` for an impl method without `self` (`Wrapper.from(3)`).
    /// `T.from_json` of a type deriving `Json` resolves here too.
    pub(super) fn static_method(&self, type_name: &str, method: &str) -> Option<ExprKind> {
        self.static_method_of(self.lookup_type(type_name)?, method)
    }

    /// A static method of the type `adt` (an impl method, or its generated `from_json`): the
    /// function, or `ImplMethod` when several impls define it (`From<Int>`, `From<String>`),
    /// which the checker resolves from the argument types.
    pub(super) fn static_method_of(
        &self,
        adt: crate::hir::AdtId,
        method: &str,
    ) -> Option<ExprKind> {
        if method == "from_json" {
            return self.from_json.get(&adt).map(|&d| ExprKind::Fn(d));
        }
        if method == "from_row" {
            return self.from_row.get(&adt).map(|&d| ExprKind::Fn(d));
        }
        if let Some(m) = super::schema::SCHEMA_METHODS.iter().find(|m| **m == method) {
            return self.schema_fns.get(&(adt, *m)).map(|&d| ExprKind::Fn(d));
        }
        let key = TypeKey::Adt(adt);
        match self.program.impl_methods(key, method).as_slice() {
            [] => None,
            [(_, def)] => Some(ExprKind::Fn(*def)),
            _ => Some(ExprKind::ImplMethod {
                target: key,
                method: method.to_string(),
            }),
        }
    }

    /// `Types.User` as an expression: a pub type of an imported module (not shadowed by a
    /// local), the base of a static member (`Types.User.from_json(s)`, spec §4.4).
    pub(super) fn module_type_ref(&self, e: &ast::Expr) -> Option<crate::hir::AdtId> {
        let ast::ExprKind::Field { base, name } = &e.kind else {
            return None;
        };
        let ast::ExprKind::Name(module) = &base.kind else {
            return None;
        };
        let is_local = self
            .locals
            .iter()
            .any(|s| s.bindings.iter().any(|(n, _)| n == module));
        if is_local {
            return None;
        }
        self.module_type(module, &name.name)
    }

    /// Whether `base` in `base.name(...)` is a value (so the call is a method call) rather than
    /// a module or a type.
    pub(super) fn is_value_receiver(&self, base: &ast::Expr) -> bool {
        if self.module_type_ref(base).is_some() || self.service_ref(base).is_some() {
            return false;
        }
        let ast::ExprKind::Name(name) = &base.kind else {
            return true;
        };
        if self
            .locals
            .iter()
            .any(|s| s.bindings.iter().any(|(n, _)| n == name))
        {
            return true;
        }
        let is_module = matches!(
            self.scopes.get(&self.module).and_then(|s| s.get(name)),
            Some(Binding::Module(_))
        );
        !(is_module
            || self.services.contains(&(self.module.clone(), name.clone()))
            || crate::builtins::Builtin::is_stdlib_module(name)
            || self.lookup_type(name).is_some())
    }
}

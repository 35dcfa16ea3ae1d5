//! Resolution of written types (annotations, field types, aliases) to interned types.

use super::Lowerer;
use crate::errors;
use crate::hir::{Annotation, OPTION, RESULT};
use crate::ty::{BuiltinTy, TyId, TyKind};
use mesh_syntax::ast;

/// `std.Pid` in a generated annotation is the stdlib `Pid` even in a module that declares its
/// own `Pid` (no module is named `std`: module names are capitalised file names).
pub(super) const STD_PREFIX: &str = "std";

impl Lowerer<'_, '_> {
    pub(super) fn annotation(&mut self, t: &ast::TypeExpr) -> Annotation {
        Annotation {
            ty: self.resolve_type(t),
            span: t.span,
        }
    }

    pub(super) fn resolve_type(&mut self, t: &ast::TypeExpr) -> TyId {
        match &t.kind {
            ast::TypeKind::Named { path, args } => self.resolve_named(path, args, t),
            ast::TypeKind::Tuple(elems) if elems.is_empty() => self.types.unit(),
            ast::TypeKind::Tuple(elems) => {
                let elems = elems.iter().map(|e| self.resolve_type(e)).collect();
                self.types.intern(TyKind::Tuple(elems))
            }
            ast::TypeKind::Fun { params, ret } => {
                let params = params.iter().map(|p| self.resolve_type(p)).collect();
                let ret = self.resolve_type(ret);
                self.types.intern(TyKind::Fun(params, ret))
            }
            ast::TypeKind::Option(inner) => {
                let inner = self.resolve_type(inner);
                self.adt_type(OPTION, vec![inner])
            }
            ast::TypeKind::Result(ok, err) => {
                let ok = self.resolve_type(ok);
                let err = self.resolve_type(err);
                self.adt_type(RESULT, vec![ok, err])
            }
        }
    }

    /// The type `Adt<args>`.
    pub(super) fn adt_type(&mut self, adt: crate::hir::AdtId, args: Vec<TyId>) -> TyId {
        self.types.adt(adt, args)
    }

    fn resolve_named(
        &mut self,
        path: &ast::Path,
        args: &[ast::TypeExpr],
        t: &ast::TypeExpr,
    ) -> TyId {
        let name = path.joined();
        if let [first, assoc] = path.segments.as_slice() {
            if first.name == "Self" {
                return self.resolve_assoc(&assoc.name, t);
            }
            // Generated code names a built-in type whatever the module declares.
            if first.name == STD_PREFIX {
                let args = args.iter().map(|a| self.resolve_type(a)).collect();
                if let Some(ty) = self.stdlib_type(&assoc.name, args) {
                    return ty;
                }
            }
        }
        if name == "Self" {
            if let Some(ann) = self
                .current_def
                .and_then(|d| self.self_annotation(d, t.span))
            {
                return ann.ty;
            }
        }
        let resolved_args: Vec<TyId> = args.iter().map(|a| self.resolve_type(a)).collect();
        if let Some((_, ty)) = self.generics.iter().find(|(g, _)| *g == name) {
            return *ty;
        }
        // A type the module declares or imports (a struct, sum type or alias) shadows the
        // built-in type of the same name (ARCHITECTURE.md, "Types").
        if let Some(adt) = self.user_type(&name) {
            return self.adt_args(adt, resolved_args);
        }
        if path.segments.len() == 1 {
            if let Some(ty) = self.resolve_alias(&name, path) {
                return ty;
            }
        }
        let simple = match name.as_str() {
            "Int" => Some(self.types.int()),
            "Float" => Some(self.types.float()),
            "Bool" => Some(self.types.bool()),
            "String" => Some(self.types.string()),
            _ => None,
        };
        if let Some(ty) = simple {
            return ty;
        }
        if let Some(ty) = self.stdlib_type(&name, resolved_args.clone()) {
            return ty;
        }
        let last = path
            .segments
            .last()
            .map(|s| s.name.clone())
            .unwrap_or_default();
        if let Some(adt) = self
            .lookup_type(&name)
            .or_else(|| self.qualified_type(path))
        {
            return self.adt_args(adt, resolved_args);
        }
        if let Some(ty) = self.resolve_alias(&last, path) {
            return ty;
        }
        self.diags.push(errors::undefined_type(&name, t.span));
        self.types.error()
    }

    /// `Adt<args>` with missing arguments fresh and extra ones dropped.
    fn adt_args(&mut self, adt: crate::hir::AdtId, args: Vec<TyId>) -> TyId {
        let n = self.program.adt(adt).generics.len();
        let args = self.pad_args(args, n);
        self.adt_type(adt, args)
    }

    fn pad_args(&mut self, mut args: Vec<TyId>, n: usize) -> Vec<TyId> {
        while args.len() < n {
            args.push(self.types.fresh_var());
        }
        args.truncate(n);
        args
    }

    /// A stdlib type written by name (spec language §4): the collections, `Json`, `Pid`
    /// (untyped, accepts any message) and `Pid<M>` (spec §5.6), and the opaque types.
    fn stdlib_type(&mut self, name: &str, args: Vec<TyId>) -> Option<TyId> {
        // stdlib spec §0.6: `Iter.from` yields a `ListIterator`, an `Iter<T>`.
        if name == "ListIterator" {
            let elem = self.types.fresh_var();
            return Some(self.types.builtin(BuiltinTy::Iter, vec![elem]));
        }
        let b = BuiltinTy::from_name(name)?;
        let args = match b {
            BuiltinTy::Pid => args.into_iter().take(1).collect(),
            BuiltinTy::Map => self.pad_args(args, 2),
            BuiltinTy::List | BuiltinTy::Set | BuiltinTy::Queue | BuiltinTy::Iter => {
                self.pad_args(args, 1)
            }
            BuiltinTy::Json
            | BuiltinTy::Atom
            | BuiltinTy::DateTime
            | BuiltinTy::Regex
            | BuiltinTy::SqliteConn
            | BuiltinTy::HttpRequest
            | BuiltinTy::HttpClient
            | BuiltinTy::StreamHandle
            | BuiltinTy::Range
            | BuiltinTy::Router
            | BuiltinTy::Request
            | BuiltinTy::Response
            | BuiltinTy::PgConn
            | BuiltinTy::PoolHandle
            | BuiltinTy::Query
            | BuiltinTy::Expr
            | BuiltinTy::Changeset => vec![],
            // An actor's result type is not written in programs.
            BuiltinTy::Actor => return None,
        };
        Some(self.types.builtin(b, args))
    }

    /// `Self.X` inside an impl: the impl's `type X = …` (E0042 elsewhere).
    fn resolve_assoc(&mut self, name: &str, t: &ast::TypeExpr) -> TyId {
        let found = self
            .current_def
            .and_then(|d| self.impl_assoc.get(&d))
            .and_then(|list| list.iter().find(|(n, _)| n.name == name));
        match found {
            Some((_, ty)) => {
                let ty: &ast::TypeExpr = ty;
                self.resolve_type(ty)
            }
            None => {
                self.diags.push(errors::unresolved_assoc(name, t.span));
                self.types.error()
            }
        }
    }

    /// `Types.UserId` through `import Types`.
    pub(super) fn qualified_type(&self, path: &ast::Path) -> Option<crate::hir::AdtId> {
        let [module, name] = path.segments.as_slice() else {
            return None;
        };
        self.module_type(&module.name, &name.name)
    }

    /// The pub type `name` of the module imported as `module` (`Types` of `import Types`).
    pub(super) fn module_type(&self, module: &str, name: &str) -> Option<crate::hir::AdtId> {
        let full = match self.scopes.get(&self.module).and_then(|s| s.get(module)) {
            Some(super::Binding::Module(full)) => full.clone(),
            _ => return None,
        };
        let &adt = self.type_scopes.get(&full)?.get(name)?;
        self.program.adt(adt).is_pub.then_some(adt)
    }

    fn resolve_alias(&mut self, name: &str, path: &ast::Path) -> Option<TyId> {
        let key = match path.segments.as_slice() {
            [_] => (self.module.clone(), name.to_string()),
            // `Types.UserId` through `import Models.Types` (or `import Types`).
            [module, _] => {
                let full = match self
                    .scopes
                    .get(&self.module)
                    .and_then(|s| s.get(&module.name))
                {
                    Some(super::Binding::Module(full)) => full.clone(),
                    _ => module.name.clone(),
                };
                (full, name.to_string())
            }
            _ => return None,
        };
        let (module, def) = {
            let alias = self.aliases.get(&key)?;
            (alias.module.clone(), alias.def)
        };
        if path.segments.len() > 1 && !def.is_pub && module != self.module {
            return None;
        }
        let saved = std::mem::replace(&mut self.module, module);
        let saved_generics = std::mem::take(&mut self.generics);
        self.generics = def
            .generics
            .iter()
            .map(|g| (g.name.clone(), self.types.fresh_var()))
            .collect();
        let before = self.diags.len();
        let ty = self.resolve_type(&def.ty);
        if self.diags.len() > before {
            // spec E0045: report the alias, not only the inner name.
            if let Some(mesh_syntax::diagnostic::Label { span, .. }) =
                self.diags.last().and_then(|d| d.labels.first()).cloned()
            {
                let inner = self.diags.pop().map(|d| d.message).unwrap_or_default();
                let undefined = inner
                    .strip_prefix("undefined type: ")
                    .unwrap_or(&inner)
                    .to_string();
                self.diags
                    .push(errors::alias_undefined(&def.name.name, &undefined, span));
            }
        }
        self.generics = saved_generics;
        self.module = saved;
        Some(ty)
    }
}

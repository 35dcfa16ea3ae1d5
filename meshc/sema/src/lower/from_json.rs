//! `T.from_json(text) -> T ! String` for every `deriving(Json)` struct and sum type (spec
//! §3.5, stdlib §11.4), and `T.from_row(row :: Map<String, String>) -> T ! String` for every
//! `deriving(Row)` struct (stdlib §28.1). Each is a generated function whose body calls the
//! runtime decoder (`__json_decode`, `__row_decode`) at the result type `Result<T, String>`;
//! the runtime reads field names and types from that type's descriptor. Both resolve like
//! static methods (`Lowerer::static_method`); on a type without the derive they are E0006.

use super::Lowerer;
use crate::builtins::Builtin;
use crate::hir::{AdtId, Annotation, ExprKind, FnDecl};
use crate::ty::BuiltinTy;

impl Lowerer<'_, '_> {
    /// Declares and builds `T.from_json` for each type deriving `Json` and `T.from_row` for
    /// each struct deriving `Row`.
    pub(super) fn declare_from_json(&mut self) {
        for i in 0..self.program.adts.len() {
            let adt = AdtId(i as u32);
            let def = self.program.adt(adt);
            let derives = |name: &str| {
                def.deriving
                    .as_ref()
                    .is_some_and(|list| list.iter().any(|d| d == name))
            };
            let (json, row) = (derives("Json"), derives("Row"));
            if json {
                let string = self.types.string();
                let id = self.build_decoder(adt, "from_json", "__json_decode", "text", string);
                self.from_json.insert(adt, id);
            }
            if row {
                let string = self.types.string();
                let map = self.types.builtin(BuiltinTy::Map, vec![string, string]);
                let id = self.build_decoder(adt, "from_row", "__row_decode", "row", map);
                self.from_row.insert(adt, id);
            }
        }
    }

    /// The function `T.<method>(<param> :: param_ty) -> T ! String` calling `decoder`.
    fn build_decoder(
        &mut self,
        adt: AdtId,
        method: &str,
        decoder: &str,
        param: &str,
        param_ty: crate::ty::TyId,
    ) -> crate::hir::DefId {
        let def = self.program.adt(adt);
        let (name, module, span, generics) = (
            def.name.clone(),
            def.module.clone(),
            def.span,
            def.generics.len(),
        );
        let marks = self.generated_marks();
        let string = self.types.string();
        let text = self
            .program
            .add_local(param, span, Some(Annotation { ty: param_ty, span }));
        let decode = Builtin::lookup(None, decoder).expect("the stdlib table has it");
        let callee = self.program.add_expr(ExprKind::Builtin(decode), span);
        let arg = self.program.add_expr(ExprKind::Local(text), span);
        let body = self.program.add_expr(
            ExprKind::Call {
                callee,
                args: vec![arg],
            },
            span,
        );
        let args = (0..generics).map(|_| self.types.fresh_var()).collect();
        let target = self.types.adt(adt, args);
        let ret = self.types.result(target, string);
        let name = format!("{}.{method}", name.rsplit('.').next().unwrap_or(&name));
        self.push_generated_fn(name, module, vec![text], body, span, marks, ret)
    }

    /// Where the expressions, locals and patterns of a function about to be generated begin.
    pub(super) fn generated_marks(&self) -> (u32, u32, u32) {
        (
            self.program.exprs.len() as u32,
            self.program.locals.len() as u32,
            self.program.pats.len() as u32,
        )
    }

    /// Declares a generated public function `name` of `module` whose parameters, body and
    /// everything they use were added since `marks` ([`generated_marks`](Self::generated_marks)),
    /// returning `ret`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_generated_fn(
        &mut self,
        name: String,
        module: String,
        params: Vec<crate::hir::LocalId>,
        body: crate::hir::ExprId,
        span: mesh_syntax::span::Span,
        (e0, l0, p0): (u32, u32, u32),
        ret: crate::ty::TyId,
    ) -> crate::hir::DefId {
        let id = crate::hir::DefId(self.program.fns.len() as u32);
        self.program.fns.push(FnDecl {
            name,
            arity: params.len(),
            module,
            is_pub: true,
            actor: false,
            param_spans: vec![span; params.len()],
            params,
            body,
            span,
            name_span: span,
            exprs: e0..self.program.exprs.len() as u32,
            locals: l0..self.program.locals.len() as u32,
            pats: p0..self.program.pats.len() as u32,
        });
        self.program
            .ret_annotations
            .push(Some(Annotation { ty: ret, span }));
        id
    }
}

//! Lowering of data: tuples, structs, variants, field access and update, closures and
//! functions used as values; and the run-time type descriptors their objects carry.

use super::{Ctx, FnBuilder};
use crate::{AllocKind, Const, Desc, DescId, FnId, Operand, Rvalue, Ty, UserFns};
use mesh_rt_abi::layout;
use mesh_sema::hir::{self, AdtKind, ExprId};
use mesh_sema::ty::{BuiltinTy, TyId, TyKind};

impl Ctx<'_> {
    /// The descriptor of a concrete type, created on first use. Recursive types are fine: the
    /// id is reserved before the items are computed.
    pub(super) fn desc_of(&mut self, ty: TyId) -> DescId {
        let ty = self.types.resolve(ty);
        if let Some(&d) = self.desc_memo.get(&ty) {
            return d;
        }
        let id = DescId(self.descs.len() as u32);
        self.descs.push(Desc {
            kind: 0,
            name: String::new(),
            items: vec![],
            names: vec![],
            user: UserFns::default(),
        });
        self.desc_memo.insert(ty, id);
        let mut desc = self.make_desc(ty);
        if desc.kind == layout::TY_STRUCT || desc.kind == layout::TY_SUM {
            desc.user = self.user_fns(ty);
        }
        self.descs[id.0 as usize] = desc;
        id
    }

    fn make_desc(&mut self, ty: TyId) -> Desc {
        let simple = |kind: u32| Desc {
            kind,
            name: String::new(),
            items: vec![],
            names: vec![],
            user: UserFns::default(),
        };
        match self.types.kind(ty).clone() {
            TyKind::Int => simple(layout::TY_INT),
            TyKind::Float => simple(layout::TY_FLOAT),
            TyKind::Bool => simple(layout::TY_BOOL),
            TyKind::String => simple(layout::TY_STRING),
            TyKind::Fun(..) => simple(layout::TY_FUN),
            TyKind::Tuple(elems) => {
                let items = elems.iter().map(|&t| self.desc_of(t)).collect();
                Desc {
                    kind: layout::TY_TUPLE,
                    name: String::new(),
                    items,
                    names: vec![],
                    user: UserFns::default(),
                }
            }
            TyKind::Builtin(b, args) => self.builtin_desc(b, &args),
            TyKind::Adt(adt, args) => self.adt_desc(adt, &args),
            _ => simple(layout::TY_UNIT),
        }
    }

    /// A struct's or sum type's descriptor: named by its display name, the items its fields'
    /// (or its cases') descriptors.
    fn adt_desc(&mut self, adt: hir::AdtId, args: &[TyId]) -> Desc {
        let program = self.program;
        let adt = program.adt(adt);
        let name = adt.name.as_str();
        match &adt.kind {
            AdtKind::Struct { fields } => {
                let items = fields
                    .iter()
                    .map(|f| {
                        let t = self.types.instantiate(f.ty, args);
                        self.desc_of(t)
                    })
                    .collect();
                Desc {
                    kind: layout::TY_STRUCT,
                    name: name.into(),
                    items,
                    names: fields.iter().map(|f| f.name.clone()).collect(),
                    user: UserFns::default(),
                }
            }
            AdtKind::Sum { variants } => {
                let mut items = Vec::new();
                for v in variants {
                    let payload: Vec<DescId> = v
                        .fields
                        .iter()
                        .map(|&f| {
                            let t = self.types.instantiate(f, args);
                            self.desc_of(t)
                        })
                        .collect();
                    let names = if v.field_names.iter().any(Option::is_some) {
                        v.field_names
                            .iter()
                            .map(|n| n.clone().unwrap_or_default())
                            .collect()
                    } else {
                        vec![]
                    };
                    let case = DescId(self.descs.len() as u32);
                    self.descs.push(Desc {
                        kind: layout::TY_CASE,
                        name: v.name.clone(),
                        items: payload,
                        names,
                        user: UserFns::default(),
                    });
                    items.push(case);
                }
                Desc {
                    kind: layout::TY_SUM,
                    name: name.into(),
                    items,
                    names: vec![],
                    user: UserFns::default(),
                }
            }
        }
    }
}

impl Ctx<'_> {
    /// Descriptors of the opaque stdlib types by their run-time representation: `Json` and
    /// `Regex` are strings (OPAQUE, compared and printed as text), an `Atom` its name, a
    /// `DateTime` its Unix milliseconds (an INT), a `Range` the struct `{start, end}` and a
    /// `Queue<T>` a LIST of `T` (stdlib spec §9, §11, §13, §15).
    fn builtin_desc(&mut self, b: BuiltinTy, args: &[TyId]) -> Desc {
        let name = b.name();
        let simple = |kind: u32| Desc {
            kind,
            name: name.into(),
            items: vec![],
            names: vec![],
            user: UserFns::default(),
        };
        let collection = |ctx: &mut Self, kind: u32| Desc {
            kind,
            name: name.into(),
            items: args.iter().map(|&t| ctx.desc_of(t)).collect(),
            names: vec![],
            user: UserFns::default(),
        };
        match b {
            BuiltinTy::List => collection(self, layout::TY_LIST),
            BuiltinTy::Map => collection(self, layout::TY_MAP),
            BuiltinTy::Set => collection(self, layout::TY_SET),
            // The HTTP client's values are strings too (libmesh_rt abi/http_client.rs).
            BuiltinTy::Json
            | BuiltinTy::Regex
            | BuiltinTy::HttpRequest
            | BuiltinTy::HttpClient
            | BuiltinTy::StreamHandle => simple(layout::TY_OPAQUE),
            // Runtime-built tuples (`abi/http.rs`): copied by their headers; no Display, Eq
            // or Json.
            BuiltinTy::Router | BuiltinTy::Request | BuiltinTy::Response => {
                simple(layout::TY_TUPLE)
            }
            // Database handles are Int ids; Query and Expr strings of builder calls; a
            // Changeset the string of its encoded state.
            BuiltinTy::PgConn | BuiltinTy::PoolHandle => simple(layout::TY_INT),
            BuiltinTy::Query | BuiltinTy::Expr | BuiltinTy::Changeset => simple(layout::TY_OPAQUE),
            BuiltinTy::Atom => simple(layout::TY_ATOM),
            BuiltinTy::DateTime => simple(layout::TY_INT),
            // A handle into the runtime's table of connections (stdlib spec §22).
            BuiltinTy::SqliteConn => simple(layout::TY_INT),
            // An actor function's result is never a value.
            BuiltinTy::Actor => simple(layout::TY_UNIT),
            BuiltinTy::Pid => Desc {
                kind: layout::TY_PID,
                name: name.into(),
                items: args.iter().map(|&t| self.desc_of(t)).collect(),
                names: vec![],
                user: UserFns::default(),
            },
            BuiltinTy::Range => {
                let int = self.types.int();
                let int = self.desc_of(int);
                Desc {
                    kind: layout::TY_STRUCT,
                    name: name.into(),
                    items: vec![int, int],
                    names: vec!["start".into(), "end".into()],
                    user: UserFns::default(),
                }
            }
            BuiltinTy::Queue => Desc {
                kind: layout::TY_LIST,
                name: name.into(),
                items: args.iter().map(|&t| self.desc_of(t)).collect(),
                names: vec![],
                user: UserFns::default(),
            },
            // A runtime iterator node (stdlib spec §10); the element desc types the tuples
            // `enumerate` and `zip` build. Iterators are neither compared nor printed.
            BuiltinTy::Iter => Desc {
                kind: layout::TY_OPAQUE,
                name: name.into(),
                items: args.iter().map(|&t| self.desc_of(t)).collect(),
                names: vec![],
                user: UserFns::default(),
            },
        }
    }
}

impl FnBuilder<'_, '_> {
    fn concrete_expr_ty(&mut self, e: ExprId) -> TyId {
        let t = self.ctx.program.expr_ty(e);
        self.concrete(t)
    }

    pub(super) fn tuple(&mut self, e: ExprId, elems: &[ExprId]) -> Operand {
        let fields: Vec<Operand> = elems.iter().map(|&x| self.expr(x)).collect();
        let ty = self.concrete_expr_ty(e);
        self.alloc_tuple(ty, fields)
    }

    /// A new tuple of type `ty` holding `fields`.
    pub(super) fn alloc_tuple(&mut self, ty: TyId, fields: Vec<Operand>) -> Operand {
        let desc = self.ctx.desc_of(ty);
        self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: AllocKind::Tuple,
                desc,
                fields,
            },
        )
    }

    pub(super) fn construct(
        &mut self,
        e: ExprId,
        variant: Option<u32>,
        args: &[ExprId],
    ) -> Operand {
        let fields: Vec<Operand> = args.iter().map(|&x| self.expr(x)).collect();
        let ty = self.concrete_expr_ty(e);
        let desc = self.ctx.desc_of(ty);
        let kind = match variant {
            Some(tag) => AllocKind::Variant(tag),
            None => AllocKind::Tuple,
        };
        self.temp(Ty::Ptr, Rvalue::Alloc { kind, desc, fields })
    }

    pub(super) fn field(&mut self, e: ExprId, base: ExprId) -> Operand {
        let object = self.expr(base);
        let index = self.ctx.program.field_index[e.0 as usize];
        let ty = self.ty_of_expr(e);
        self.temp(ty, Rvalue::Load { object, index })
    }

    pub(super) fn struct_update(&mut self, e: ExprId, base: ExprId) -> Operand {
        let object = self.expr(base);
        let sources = self.ctx.program.update_fields[e.0 as usize].clone();
        let ty = self.concrete_expr_ty(e);
        let field_tys = self.struct_field_types(ty);
        let mut fields = Vec::new();
        for (i, source) in sources.iter().enumerate() {
            fields.push(match source {
                Some(value) => self.expr(*value),
                None => {
                    let fty = field_tys[i];
                    self.temp(
                        fty,
                        Rvalue::Load {
                            object: object.clone(),
                            index: i as u32,
                        },
                    )
                }
            });
        }
        let desc = self.ctx.desc_of(ty);
        self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: AllocKind::Tuple,
                desc,
                fields,
            },
        )
    }

    /// Records parameter `p` (local `local`) in `struct_params` when its type is a struct.
    pub(super) fn note_struct_param(&mut self, p: hir::LocalId, local: crate::Local) {
        let ty = self.concrete(self.ctx.program.local_ty(p));
        let fields = self.struct_field_types(ty);
        if !fields.is_empty() {
            let desc = self.ctx.desc_of(ty);
            self.func.struct_params.push(crate::StructParam {
                local,
                desc,
                fields,
            });
        }
    }

    fn struct_field_types(&mut self, ty: TyId) -> Vec<Ty> {
        let TyKind::Adt(adt, args) = self.ctx.types.kind(self.ctx.types.shallow(ty)).clone() else {
            return vec![];
        };
        let program = self.ctx.program;
        let AdtKind::Struct { fields } = &program.adt(adt).kind else {
            return vec![];
        };
        fields
            .iter()
            .map(|f| {
                let t = self.ctx.types.instantiate(f.ty, &args);
                self.ctx.mir_ty(t)
            })
            .collect()
    }

    /// A closure: its body becomes a function of the closure calling convention, and the
    /// value is a closure object holding the code and the captured values. A captured
    /// generalised `let` is built inside from its own captures, which are captured instead.
    pub(super) fn closure(
        &mut self,
        e: ExprId,
        params: &[hir::LocalId],
        body: ExprId,
        captures: &[hir::LocalId],
        self_local: Option<hir::LocalId>,
    ) -> Operand {
        let captures = self.flat_captures(captures);
        let cap_tys: Vec<TyId> = captures
            .iter()
            .map(|&c| self.concrete(self.ctx.program.local_ty(c)))
            .collect();
        let env_ty = self.ctx.types.intern(TyKind::Tuple(cap_tys));
        let desc = self.ctx.desc_of(env_ty);
        let key = (e, self.subst.clone());
        let id = match self.ctx.closure_codes.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.ctx.new_fn_id();
                self.ctx.closure_codes.insert(key, id);
                let func = self.closure_code(id, e, params, body, &captures, self_local);
                self.ctx.done.push((id, func));
                id
            }
        };
        let fields = captures
            .iter()
            .map(|c| Operand::Local(self.locals[c]))
            .collect();
        self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: AllocKind::Closure(id),
                desc,
                fields,
            },
        )
    }

    /// The code of closure `e`: `code(closure, w1 … wn) -> word`, loading `captures` from the
    /// closure object.
    fn closure_code(
        &mut self,
        id: FnId,
        e: ExprId,
        params: &[hir::LocalId],
        body: ExprId,
        captures: &[hir::LocalId],
        self_local: Option<hir::LocalId>,
    ) -> crate::Function {
        let name = format!("{}.closure{}", self.func.name, id.0);
        let subst = self.subst.clone();
        let closure_ty = self.concrete_expr_ty(e);
        let ret_sema = match self.ctx.types.kind(self.ctx.types.shallow(closure_ty)) {
            TyKind::Fun(_, ret) => Some(*ret),
            _ => None,
        };
        let mut b = FnBuilder::new(self.ctx, name, subst, id);
        b.word_return = true;
        b.func.is_closure_code = true;
        b.ret_sema = ret_sema;
        b.func.ret = Ty::Int;
        let clo = b.new_local(Ty::Ptr);
        b.func.params.push(clo);
        if let Some(me) = self_local {
            // A nested `fn` calls itself through its own closure object.
            b.locals.insert(me, clo);
            b.me_local = Some(me);
        }
        let words: Vec<crate::Local> = params.iter().map(|_| b.new_local(Ty::Int)).collect();
        b.func.params.extend(&words);
        for (i, &cap) in captures.iter().enumerate() {
            let ty = b.ty_of_local(cap);
            let l = b.new_local(ty);
            b.assign(
                l,
                Rvalue::Load {
                    object: Operand::Local(clo),
                    index: i as u32 + 1,
                },
            );
            b.locals.insert(cap, l);
        }
        for (&p, &w) in params.iter().zip(&words) {
            let ty = b.ty_of_local(p);
            let l = b.new_local(ty);
            b.assign(l, Rvalue::FromWord(Operand::Local(w)));
            b.locals.insert(p, l);
        }
        b.tail(body);
        b.func
    }

    /// A top-level function used as a value: a capture-free closure over a word-ABI adapter.
    pub(super) fn fn_value(&mut self, e: ExprId) -> Operand {
        let target = self
            .callee_instance(e)
            .expect("a function expression names an instance");
        let fun_ty = self.concrete_expr_ty(e);
        let adapter = match self.ctx.adapters.get(&target) {
            Some(&a) => a,
            None => self.build_adapter(target, fun_ty),
        };
        let unit_tuple = self.ctx.types.intern(TyKind::Tuple(vec![]));
        let desc = self.ctx.desc_of(unit_tuple);
        self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: AllocKind::Closure(adapter),
                desc,
                fields: vec![],
            },
        )
    }

    fn build_adapter(&mut self, target: FnId, fun_ty: TyId) -> FnId {
        let id = self.ctx.new_fn_id();
        self.ctx.adapters.insert(target, id);
        let TyKind::Fun(params, ret) = self.ctx.types.kind(self.ctx.types.shallow(fun_ty)).clone()
        else {
            panic!("compiler bug: function value without a function type");
        };
        let name = format!("adapter.fn{}", target.0);
        let func = {
            let mut b = FnBuilder::new(self.ctx, name, vec![], id);
            b.word_return = true;
            b.func.is_closure_code = true;
            b.func.ret = Ty::Int;
            let clo = b.new_local(Ty::Ptr);
            b.func.params.push(clo);
            let mut args = Vec::new();
            for &p in &params {
                let w = b.new_local(Ty::Int);
                b.func.params.push(w);
                let ty = b.ctx.mir_ty(p);
                args.push(b.temp(ty, Rvalue::FromWord(Operand::Local(w))));
            }
            let rty = b.ctx.mir_ty(ret);
            let result = b.temp(rty, Rvalue::Call(target, args));
            b.ret(result);
            b.func
        };
        self.ctx.done.push((id, func));
        id
    }
}

impl FnBuilder<'_, '_> {
    /// A stdlib function used as a value (`List.each(xs, println)`): a capture-free closure
    /// over an adapter that makes the call.
    pub(super) fn builtin_value(&mut self, e: ExprId, b: mesh_sema::builtins::Builtin) -> Operand {
        let fun_ty = self.concrete_expr_ty(e);
        let TyKind::Fun(params, ret) = self.ctx.types.kind(self.ctx.types.shallow(fun_ty)).clone()
        else {
            panic!("compiler bug: builtin value without a function type");
        };
        let id = self.ctx.new_fn_id();
        let name = format!("adapter.{}", b.def().name);
        let func = {
            let mut f = FnBuilder::new(self.ctx, name, vec![], id);
            f.word_return = true;
            f.func.is_closure_code = true;
            f.func.ret = Ty::Int;
            let clo = f.new_local(Ty::Ptr);
            f.func.params.push(clo);
            let mut args = Vec::new();
            for &p in &params {
                let w = f.new_local(Ty::Int);
                f.func.params.push(w);
                let ty = f.ctx.mir_ty(p);
                args.push(f.temp(ty, Rvalue::FromWord(Operand::Local(w))));
            }
            let result = f.builtin_call_typed(b, &params, ret, args);
            f.ret(result);
            f.func
        };
        self.ctx.done.push((id, func));
        let unit_tuple = self.ctx.types.intern(TyKind::Tuple(vec![]));
        let desc = self.ctx.desc_of(unit_tuple);
        self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: AllocKind::Closure(id),
                desc,
                fields: vec![],
            },
        )
    }
}

impl FnBuilder<'_, '_> {
    /// A payload constructor used as a value: a closure over an adapter that builds the
    /// variant from its arguments.
    pub(super) fn variant_value(&mut self, e: ExprId, variant: u32) -> Operand {
        let fun_ty = self.concrete_expr_ty(e);
        let TyKind::Fun(params, ret) = self.ctx.types.kind(self.ctx.types.shallow(fun_ty)).clone()
        else {
            panic!("compiler bug: constructor value without a function type");
        };
        let id = self.ctx.new_fn_id();
        let desc = self.ctx.desc_of(ret);
        let func = {
            let mut f = FnBuilder::new(self.ctx, format!("adapter.variant{variant}"), vec![], id);
            f.word_return = true;
            f.func.is_closure_code = true;
            f.func.ret = Ty::Int;
            let clo = f.new_local(Ty::Ptr);
            f.func.params.push(clo);
            let mut fields = Vec::new();
            for &p in &params {
                let w = f.new_local(Ty::Int);
                f.func.params.push(w);
                let ty = f.ctx.mir_ty(p);
                fields.push(f.temp(ty, Rvalue::FromWord(Operand::Local(w))));
            }
            let value = f.temp(
                Ty::Ptr,
                Rvalue::Alloc {
                    kind: AllocKind::Variant(variant),
                    desc,
                    fields,
                },
            );
            f.ret(value);
            f.func
        };
        self.ctx.done.push((id, func));
        let unit_tuple = self.ctx.types.intern(TyKind::Tuple(vec![]));
        let env = self.ctx.desc_of(unit_tuple);
        self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: AllocKind::Closure(id),
                desc: env,
                fields: vec![],
            },
        )
    }
}

/// A string constant operand.
pub(super) fn str_const(s: &str) -> Operand {
    Operand::Const(Const::Str(s.to_string()))
}

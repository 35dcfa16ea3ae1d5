//! Structural operations the compiler generates per concrete type: equality (`==`), ordering
//! (`<` and friends, derived Ord: variants in declaration order, then fields left to right) and
//! Display (derived forms of spec §3.5: `Name(v1, v2)`, `Circle(1.5)`, `Dot`; tuples as
//! `(1, a)`). Primitive types are handled inline; every other type gets one generated function
//! per operation, so recursive types recurse through calls. A user `impl Display`, `Eq` or
//! `Ord` is called instead of the derived form (`user_impls.rs`).

use super::data::str_const;
use super::FnBuilder;
use crate::{BinOp, Const, FnId, Operand, Rvalue, Terminator, Ty};
use mesh_rt_abi::names as rt;
use mesh_sema::hir::{self, AdtKind};
use mesh_sema::ty::{BuiltinTy, TyId, TyKind};

/// Which generated operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Op {
    Eq,
    Cmp,
    Display,
    Json,
    Debug,
}

/// The shape of a compound type: its constructors and their field types.
struct Shape {
    /// (display name, field types); one entry for tuples and structs.
    ctors: Vec<(String, Vec<TyId>)>,
    /// Whether values carry a tag word (sum types).
    tagged: bool,
    is_tuple: bool,
}

impl FnBuilder<'_, '_> {
    pub(super) fn value_eq(&mut self, ty: TyId, a: Operand, b: Operand) -> Operand {
        if self.is_collection(ty) {
            return self.generic_value(rt::mesh_rt_value_eq, ty, vec![a, b], Ty::Bool);
        }
        match self.prim(ty) {
            Some(Prim::Str) => {
                self.temp(Ty::Bool, Rvalue::Runtime(rt::mesh_rt_string_eq, vec![a, b]))
            }
            Some(Prim::Unit) => Operand::Const(Const::Bool(true)),
            Some(_) => self.temp(Ty::Bool, Rvalue::Binary(BinOp::Eq, a, b)),
            None => {
                if let Some(eq) = self.user_eq(ty, &a, &b) {
                    return eq;
                }
                let f = self.derived(Op::Eq, ty);
                self.temp(Ty::Bool, Rvalue::Call(f, vec![a, b]))
            }
        }
    }

    /// -1, 0 or 1.
    pub(super) fn value_cmp(&mut self, ty: TyId, a: Operand, b: Operand) -> Operand {
        if self.is_collection(ty) {
            return self.generic_value(rt::mesh_rt_value_compare, ty, vec![a, b], Ty::Int);
        }
        match self.prim(ty) {
            Some(Prim::Str) => self.temp(
                Ty::Int,
                Rvalue::Runtime(rt::mesh_rt_string_compare, vec![a, b]),
            ),
            Some(Prim::Unit) => Operand::Const(Const::Int(0)),
            Some(_) => {
                let lt = self.temp(Ty::Bool, Rvalue::Binary(BinOp::Lt, a.clone(), b.clone()));
                let gt = self.temp(Ty::Bool, Rvalue::Binary(BinOp::Gt, a, b));
                let result = self.new_local(Ty::Int);
                let (is_lt, not_lt, is_gt, not_gt, done) = (
                    self.new_block(),
                    self.new_block(),
                    self.new_block(),
                    self.new_block(),
                    self.new_block(),
                );
                self.terminate(Terminator::Branch {
                    cond: lt,
                    then_block: is_lt,
                    else_block: not_lt,
                });
                self.switch_to(is_lt);
                self.assign(result, Rvalue::Use(Operand::Const(Const::Int(-1))));
                self.terminate(Terminator::Goto(done));
                self.switch_to(not_lt);
                self.terminate(Terminator::Branch {
                    cond: gt,
                    then_block: is_gt,
                    else_block: not_gt,
                });
                self.switch_to(is_gt);
                self.assign(result, Rvalue::Use(Operand::Const(Const::Int(1))));
                self.terminate(Terminator::Goto(done));
                self.switch_to(not_gt);
                self.assign(result, Rvalue::Use(Operand::Const(Const::Int(0))));
                self.terminate(Terminator::Goto(done));
                self.switch_to(done);
                Operand::Local(result)
            }
            None => {
                if let Some(c) = self.user_cmp(ty, &a, &b) {
                    return c;
                }
                let f = self.derived(Op::Cmp, ty);
                self.temp(Ty::Int, Rvalue::Call(f, vec![a, b]))
            }
        }
    }

    /// The Display string of a value (spec stdlib §0.5, language §3.5).
    pub(super) fn value_display(&mut self, ty: TyId, v: Operand) -> Operand {
        if self.is_collection(ty) {
            return self.generic_value(rt::mesh_rt_value_to_string, ty, vec![v], Ty::Ptr);
        }
        let symbol = match self.prim(ty) {
            Some(Prim::Str) => return v,
            Some(Prim::Unit) => return str_const("()"),
            Some(Prim::Int) => rt::mesh_rt_string_from_int,
            Some(Prim::Float) => rt::mesh_rt_string_from_float,
            Some(Prim::Bool) => rt::mesh_rt_string_from_bool,
            None => {
                let f = self.derived(Op::Display, ty);
                return self.temp(Ty::Ptr, Rvalue::Call(f, vec![v]));
            }
        };
        self.temp(Ty::Ptr, Rvalue::Runtime(symbol, vec![v]))
    }

    fn prim(&mut self, ty: TyId) -> Option<Prim> {
        Some(match self.ctx.types.kind(self.ctx.types.shallow(ty)) {
            TyKind::Int => Prim::Int,
            TyKind::Float => Prim::Float,
            TyKind::Bool => Prim::Bool,
            TyKind::String => Prim::Str,
            TyKind::Unit | TyKind::Never => Prim::Unit,
            _ => return None,
        })
    }

    fn concat(&mut self, a: Operand, b: Operand) -> Operand {
        self.temp(
            Ty::Ptr,
            Rvalue::Runtime(rt::mesh_rt_string_concat, vec![a, b]),
        )
    }

    /// The generated function for `op` on `ty`, built on first use.
    fn derived(&mut self, op: Op, ty: TyId) -> FnId {
        let ty = self.ctx.types.resolve(ty);
        if let Some(&f) = self.ctx.derived.get(&(op, ty)) {
            return f;
        }
        let id = self.ctx.new_fn_id();
        self.ctx.derived.insert((op, ty), id);
        let name = format!("{:?}<{}>", op, self.ctx.types.display(ty)).to_lowercase();
        let func = {
            let mut b = FnBuilder::new(self.ctx, name, vec![], id);
            let arity = if matches!(op, Op::Display | Op::Json | Op::Debug) {
                1
            } else {
                2
            };
            let params: Vec<crate::Local> = (0..arity).map(|_| b.new_local(Ty::Ptr)).collect();
            b.func.params = params.clone();
            b.func.ret = match op {
                Op::Eq => Ty::Bool,
                Op::Cmp => Ty::Int,
                Op::Display | Op::Json | Op::Debug => Ty::Ptr,
            };
            let ops: Vec<Operand> = params.into_iter().map(Operand::Local).collect();
            match op {
                Op::Eq => b.gen_eq(ty, &ops[0], &ops[1]),
                Op::Cmp => b.gen_cmp(ty, &ops[0], &ops[1]),
                Op::Display => b.gen_display(ty, &ops[0]),
                Op::Json => b.gen_json(ty, &ops[0]),
                Op::Debug => b.gen_debug(ty, &ops[0]),
            }
            b.func
        };
        self.ctx.done.push((id, func));
        id
    }

    fn shape(&mut self, ty: TyId) -> Shape {
        let ty = self.ctx.types.shallow(ty);
        match self.ctx.types.kind(ty).clone() {
            TyKind::Tuple(elems) => Shape {
                ctors: vec![(String::new(), elems)],
                tagged: false,
                is_tuple: true,
            },
            TyKind::Adt(id, args) => {
                let program = self.ctx.program;
                let adt = program.adt(id);
                let name = &adt.name;
                match &adt.kind {
                    AdtKind::Struct { fields } => {
                        let tys = fields
                            .iter()
                            .map(|f| self.ctx.types.instantiate(f.ty, &args))
                            .collect();
                        // A struct of another module (`Types.User`) prints unqualified:
                        // Display is `Name(v1, v2)` (spec §3.5).
                        let shown = name.rsplit('.').next().unwrap_or_default().to_string();
                        Shape {
                            ctors: vec![(shown, tys)],
                            tagged: false,
                            is_tuple: false,
                        }
                    }
                    AdtKind::Sum { variants } => Shape {
                        ctors: variants
                            .iter()
                            .map(|v| {
                                (
                                    v.name.clone(),
                                    v.fields
                                        .iter()
                                        .map(|&f| self.ctx.types.instantiate(f, &args))
                                        .collect(),
                                )
                            })
                            .collect(),
                        tagged: true,
                        is_tuple: false,
                    },
                }
            }
            other => panic!("compiler bug: no structural operations for {other:?}"),
        }
    }

    fn load_field(&mut self, ty: TyId, object: &Operand, index: u32) -> Operand {
        let mty = self.ctx.mir_ty(ty);
        self.temp(
            mty,
            Rvalue::Load {
                object: object.clone(),
                index,
            },
        )
    }

    fn tag(&mut self, object: &Operand) -> Operand {
        self.temp(
            Ty::Int,
            Rvalue::Load {
                object: object.clone(),
                index: 0,
            },
        )
    }

    /// Continues in the current block when the tag of `object` is `tag`, else in `other`.
    fn branch_tag(&mut self, tag: &Operand, value: usize, other: crate::BlockId) {
        let hit = self.new_block();
        let cond = self.temp(
            Ty::Bool,
            Rvalue::Binary(
                BinOp::Eq,
                tag.clone(),
                Operand::Const(Const::Int(value as i64)),
            ),
        );
        self.terminate(Terminator::Branch {
            cond,
            then_block: hit,
            else_block: other,
        });
        self.switch_to(hit);
    }

    fn gen_eq(&mut self, ty: TyId, a: &Operand, b: &Operand) {
        let shape = self.shape(ty);
        let no = self.new_block();
        let base = u32::from(shape.tagged);
        if shape.tagged {
            let (ta, tb) = (self.tag(a), self.tag(b));
            let same = self.temp(Ty::Bool, Rvalue::Binary(BinOp::Eq, ta.clone(), tb));
            let go = self.new_block();
            self.terminate(Terminator::Branch {
                cond: same,
                then_block: go,
                else_block: no,
            });
            self.switch_to(go);
            for (i, (_, fields)) in shape.ctors.iter().enumerate() {
                let next = self.new_block();
                self.branch_tag(&ta, i, next);
                self.eq_fields(fields, a, b, base, no);
                self.terminate(Terminator::Return(Operand::Const(Const::Bool(true))));
                self.switch_to(next);
            }
            self.terminate(Terminator::Return(Operand::Const(Const::Bool(true))));
        } else {
            self.eq_fields(&shape.ctors[0].1, a, b, base, no);
            self.terminate(Terminator::Return(Operand::Const(Const::Bool(true))));
        }
        self.switch_to(no);
        self.terminate(Terminator::Return(Operand::Const(Const::Bool(false))));
    }

    fn eq_fields(
        &mut self,
        fields: &[TyId],
        a: &Operand,
        b: &Operand,
        base: u32,
        no: crate::BlockId,
    ) {
        for (i, &t) in fields.iter().enumerate() {
            let (fa, fb) = (
                self.load_field(t, a, base + i as u32),
                self.load_field(t, b, base + i as u32),
            );
            let same = self.value_eq(t, fa, fb);
            let next = self.new_block();
            self.terminate(Terminator::Branch {
                cond: same,
                then_block: next,
                else_block: no,
            });
            self.switch_to(next);
        }
    }

    fn gen_cmp(&mut self, ty: TyId, a: &Operand, b: &Operand) {
        let shape = self.shape(ty);
        let base = u32::from(shape.tagged);
        if shape.tagged {
            let (ta, tb) = (self.tag(a), self.tag(b));
            let int = self.ctx.types.int();
            let c = self.value_cmp(int, ta.clone(), tb);
            self.return_if_nonzero(c);
            for (i, (_, fields)) in shape.ctors.iter().enumerate() {
                let next = self.new_block();
                self.branch_tag(&ta, i, next);
                self.cmp_fields(fields, a, b, base);
                self.switch_to(next);
            }
            self.terminate(Terminator::Return(Operand::Const(Const::Int(0))));
        } else {
            self.cmp_fields(&shape.ctors[0].1.clone(), a, b, base);
        }
    }

    fn cmp_fields(&mut self, fields: &[TyId], a: &Operand, b: &Operand, base: u32) {
        for (i, &t) in fields.iter().enumerate() {
            let (fa, fb) = (
                self.load_field(t, a, base + i as u32),
                self.load_field(t, b, base + i as u32),
            );
            let c = self.value_cmp(t, fa, fb);
            self.return_if_nonzero(c);
        }
        self.terminate(Terminator::Return(Operand::Const(Const::Int(0))));
    }

    fn return_if_nonzero(&mut self, c: Operand) {
        let nonzero = self.temp(
            Ty::Bool,
            Rvalue::Binary(BinOp::Ne, c.clone(), Operand::Const(Const::Int(0))),
        );
        let (out, next) = (self.new_block(), self.new_block());
        self.terminate(Terminator::Branch {
            cond: nonzero,
            then_block: out,
            else_block: next,
        });
        self.switch_to(out);
        self.terminate(Terminator::Return(c));
        self.switch_to(next);
    }

    fn gen_display(&mut self, ty: TyId, v: &Operand) {
        if let Some(text) = self.user_display(ty, v) {
            self.terminate(Terminator::Return(text));
            return;
        }
        let shape = self.shape(ty);
        let base = u32::from(shape.tagged);
        if shape.tagged {
            let tag = self.tag(v);
            for (i, (name, fields)) in shape.ctors.iter().enumerate() {
                let next = self.new_block();
                self.branch_tag(&tag, i, next);
                let text = self.display_ctor(name, fields, v, base, false);
                self.terminate(Terminator::Return(text));
                self.switch_to(next);
            }
            self.terminate(Terminator::Unreachable);
        } else {
            let (name, fields) = shape.ctors[0].clone();
            let text = self.display_ctor(&name, &fields, v, base, shape.is_tuple);
            self.terminate(Terminator::Return(text));
        }
    }

    /// `Name(f1, f2)`, a bare `Name` without fields, or `(f1, f2)` for tuples.
    fn display_ctor(
        &mut self,
        name: &str,
        fields: &[TyId],
        v: &Operand,
        base: u32,
        is_tuple: bool,
    ) -> Operand {
        if fields.is_empty() && !is_tuple {
            return str_const(name);
        }
        let mut acc = str_const(&format!("{name}("));
        for (i, &t) in fields.iter().enumerate() {
            if i > 0 {
                acc = self.concat(acc, str_const(", "));
            }
            let f = self.load_field(t, v, base + i as u32);
            let s = self.value_display(t, f);
            acc = self.concat(acc, s);
        }
        self.concat(acc, str_const(")"))
    }
}

impl FnBuilder<'_, '_> {
    /// The JSON text of a value (spec stdlib §11.2); a `Json` value is embedded as-is.
    pub(super) fn value_json(&mut self, ty: TyId, v: Operand) -> Operand {
        let symbol = match self.prim(ty) {
            Some(Prim::Str) => rt::mesh_rt_json_string,
            Some(Prim::Unit) => return str_const("null"),
            Some(Prim::Int) => rt::mesh_rt_string_from_int,
            Some(Prim::Float) => rt::mesh_rt_json_float,
            Some(Prim::Bool) => rt::mesh_rt_string_from_bool,
            None if self.ctx.types.is_builtin(ty, BuiltinTy::Json) => return v,
            None => {
                let f = self.derived(Op::Json, ty);
                return self.temp(Ty::Ptr, Rvalue::Call(f, vec![v]));
            }
        };
        self.temp(Ty::Ptr, Rvalue::Runtime(symbol, vec![v]))
    }

    /// `json { k: v, … }`: members already sorted by key.
    pub(super) fn json_literal(&mut self, fields: &[(String, hir::ExprId)]) -> Operand {
        let mut acc = str_const("{");
        for (i, (key, value)) in fields.iter().enumerate() {
            let ty = self.concrete(self.ctx.program.expr_ty(*value));
            let v = self.expr(*value);
            let prefix = format!("{}{}:", if i > 0 { "," } else { "" }, mesh_json_key(key));
            acc = self.concat(acc, str_const(&prefix));
            let text = self.value_json(ty, v);
            acc = self.concat(acc, text);
        }
        self.concat(acc, str_const("}"))
    }

    /// Option: `null` or the payload; struct: object with members sorted by field name;
    /// sum type: `{"fields":[…],"tag":"Name"}`.
    fn gen_json(&mut self, ty: TyId, v: &Operand) {
        if self.is_collection(ty) {
            let text = self.collection_json(ty, v);
            self.terminate(Terminator::Return(text));
            return;
        }
        let is_option = self.ctx.types.is_adt(ty, hir::OPTION);
        let shape = self.shape(ty);
        if is_option {
            let tag = self.tag(v);
            let none = self.new_block();
            self.branch_tag(&tag, 0, none);
            let inner = shape.ctors[0].1[0];
            let payload = self.load_field(inner, v, 1);
            let text = self.value_json(inner, payload);
            self.terminate(Terminator::Return(text));
            self.switch_to(none);
            self.terminate(Terminator::Return(str_const("null")));
            return;
        }
        if !shape.tagged {
            let names = self.struct_field_names(ty);
            let fields = shape.ctors[0].1.clone();
            let mut order: Vec<usize> = (0..fields.len()).collect();
            order.sort_by(|&a, &b| names[a].as_bytes().cmp(names[b].as_bytes()));
            let mut acc = str_const("{");
            for (n, &i) in order.iter().enumerate() {
                let prefix = format!(
                    "{}{}:",
                    if n > 0 { "," } else { "" },
                    mesh_json_key(&names[i])
                );
                acc = self.concat(acc, str_const(&prefix));
                let f = self.load_field(fields[i], v, i as u32);
                let text = self.value_json(fields[i], f);
                acc = self.concat(acc, text);
            }
            let text = self.concat(acc, str_const("}"));
            self.terminate(Terminator::Return(text));
            return;
        }
        let tag = self.tag(v);
        for (i, (name, fields)) in shape.ctors.iter().enumerate() {
            let next = self.new_block();
            self.branch_tag(&tag, i, next);
            let mut acc = str_const("{\"fields\":[");
            for (j, &t) in fields.iter().enumerate() {
                if j > 0 {
                    acc = self.concat(acc, str_const(","));
                }
                let f = self.load_field(t, v, 1 + j as u32);
                let text = self.value_json(t, f);
                acc = self.concat(acc, text);
            }
            let text = self.concat(
                acc,
                str_const(&format!("],\"tag\":{}}}", mesh_json_key(name))),
            );
            self.terminate(Terminator::Return(text));
            self.switch_to(next);
        }
        self.terminate(Terminator::Unreachable);
    }

    /// `[e1,e2]` for lists and sets, `{"k":v}` for maps (keys are Strings, members sorted by
    /// key as JSON objects require, spec §11.2).
    fn collection_json(&mut self, ty: TyId, v: &Operand) -> Operand {
        let TyKind::Builtin(b, args) = self.ctx.types.kind(self.ctx.types.shallow(ty)).clone()
        else {
            return str_const("null");
        };
        if b == BuiltinTy::Map {
            // Sorting keys is the runtime's Map.keys order after a sort; encode via sorted list.
            let list_of_keys = self.ctx.types.list(args[0]);
            let kdesc = Operand::Const(Const::Desc(self.ctx.desc_of(list_of_keys)));
            let mdesc = Operand::Const(Const::Desc(self.ctx.desc_of(ty)));
            let keys = self.temp(
                Ty::Ptr,
                Rvalue::Runtime(
                    rt::mesh_rt_map_keys,
                    vec![mdesc.clone(), kdesc.clone(), v.clone()],
                ),
            );
            let sorted = self.temp(
                Ty::Ptr,
                Rvalue::Runtime(rt::mesh_rt_list_sort_natural, vec![kdesc, keys]),
            );
            return self.json_loop(
                sorted,
                Some((v.clone(), mdesc, args[0], args[1])),
                args[0],
                "{",
                "}",
            );
        }
        let list = if b == BuiltinTy::Set {
            let list_ty = self.ctx.types.list(args[0]);
            let ldesc = Operand::Const(Const::Desc(self.ctx.desc_of(list_ty)));
            let sdesc = Operand::Const(Const::Desc(self.ctx.desc_of(ty)));
            self.temp(
                Ty::Ptr,
                Rvalue::Runtime(rt::mesh_rt_set_to_list, vec![sdesc, ldesc, v.clone()]),
            )
        } else {
            v.clone()
        };
        self.json_loop(list, None, args[0], "[", "]")
    }

    /// Walks a list, encoding each element (or, for a map, each key's member).
    fn json_loop(
        &mut self,
        list: Operand,
        map: Option<(Operand, Operand, TyId, TyId)>,
        elem: TyId,
        open: &str,
        close: &str,
    ) -> Operand {
        // The pieces go into a list joined once at the end (linear; concatenating onto the
        // text so far would copy it for every element).
        let string = self.ctx.types.string();
        let list_ty = self.ctx.types.list(string);
        let parts_desc = Operand::Const(Const::Desc(self.ctx.desc_of(list_ty)));
        let parts = self.new_local(Ty::Ptr);
        let empty = self.temp(
            Ty::Ptr,
            Rvalue::Runtime(rt::mesh_rt_list_new, vec![parts_desc.clone()]),
        );
        self.assign(parts, Rvalue::Use(empty));
        let i = self.new_local(Ty::Int);
        self.assign(i, Rvalue::Use(Operand::Const(Const::Int(0))));
        let n = self.temp(
            Ty::Int,
            Rvalue::Runtime(rt::mesh_rt_list_length, vec![list.clone()]),
        );
        let (head, body, done) = (self.new_block(), self.new_block(), self.new_block());
        self.terminate(Terminator::Goto(head));
        self.switch_to(head);
        let more = self.temp(Ty::Bool, Rvalue::Binary(BinOp::Lt, Operand::Local(i), n));
        self.terminate(Terminator::Branch {
            cond: more,
            then_block: body,
            else_block: done,
        });
        self.switch_to(body);
        let w = self.temp(
            Ty::Int,
            Rvalue::Runtime(rt::mesh_rt_list_get, vec![list.clone(), Operand::Local(i)]),
        );
        let item = self.value_from_word(elem, w);
        let piece = match &map {
            Some((m, mdesc, _, vty)) => {
                let key = self.temp(
                    Ty::Ptr,
                    Rvalue::Runtime(rt::mesh_rt_json_string, vec![item.clone()]),
                );
                let kw = self.word(item);
                let vw = self.temp(
                    Ty::Int,
                    Rvalue::Runtime(rt::mesh_rt_map_get, vec![mdesc.clone(), m.clone(), kw]),
                );
                let value = self.value_from_word(*vty, vw);
                let vtext = self.value_json(*vty, value);
                let with_colon = self.concat(key, str_const(":"));
                self.concat(with_colon, vtext)
            }
            None => self.value_json(elem, item),
        };
        let pw = self.temp(Ty::Int, Rvalue::ToWord(piece));
        let appended = self.temp(
            Ty::Ptr,
            Rvalue::Runtime(
                rt::mesh_rt_list_append,
                vec![parts_desc.clone(), Operand::Local(parts), pw],
            ),
        );
        self.assign(parts, Rvalue::Use(appended));
        let next = self.temp(
            Ty::Int,
            Rvalue::Binary(BinOp::Add, Operand::Local(i), Operand::Const(Const::Int(1))),
        );
        self.assign(i, Rvalue::Use(next));
        self.terminate(Terminator::Goto(head));
        self.switch_to(done);
        let joined = self.temp(
            Ty::Ptr,
            Rvalue::Runtime(
                rt::mesh_rt_list_join,
                vec![Operand::Local(parts), str_const(",")],
            ),
        );
        let opened = self.concat(str_const(open), joined);
        self.concat(opened, str_const(close))
    }

    fn struct_field_names(&mut self, ty: TyId) -> Vec<String> {
        let Some((adt, _)) = self.ctx.types.as_adt(ty) else {
            return vec![];
        };
        match &self.ctx.program.adt(adt).kind {
            AdtKind::Struct { fields } => fields.iter().map(|f| f.name.clone()).collect(),
            AdtKind::Sum { .. } => vec![],
        }
    }
}

/// A JSON object key (identifiers need no escaping beyond quoting).
fn mesh_json_key(key: &str) -> String {
    format!("\"{key}\"")
}

impl FnBuilder<'_, '_> {
    /// Stdlib functions the compiler implements from a type's structure.
    pub(super) fn intrinsic(
        &mut self,
        symbol: &str,
        arg_tys: &[TyId],
        ops: Vec<Operand>,
    ) -> Operand {
        use mesh_sema::builtins as b;
        let ty = arg_tys[0];
        let mut ops = ops.into_iter();
        let first = ops.next().expect("intrinsics take an argument");
        match symbol {
            b::JSON_ENCODE => self.value_json(ty, first),
            b::TO_STRING => self.value_display(ty, first),
            b::INSPECT => self.value_debug(ty, first),
            b::COMPARE => {
                let second = ops.next().expect("compare takes two arguments");
                if let Some(ordering) = self.user_compare(ty, &first, &second) {
                    return ordering;
                }
                let c = self.value_cmp(ty, first, second);
                self.ordering(c)
            }
            other => panic!("compiler bug: unknown intrinsic {other}"),
        }
    }

    /// `Less`, `Equal` or `Greater` from a three-way comparison result.
    fn ordering(&mut self, c: Operand) -> Operand {
        let ordering = self.ctx.types.ordering();
        let desc = self.ctx.desc_of(ordering);
        let result = self.new_local(Ty::Ptr);
        let done = self.new_block();
        for (tag, value) in [(0u32, -1i64), (1, 0), (2, 1)] {
            let next = self.new_block();
            let hit = self.new_block();
            let cond = self.temp(
                Ty::Bool,
                Rvalue::Binary(BinOp::Eq, c.clone(), Operand::Const(Const::Int(value))),
            );
            self.terminate(Terminator::Branch {
                cond,
                then_block: hit,
                else_block: next,
            });
            self.switch_to(hit);
            self.assign(
                result,
                Rvalue::Alloc {
                    kind: crate::AllocKind::Variant(tag),
                    desc,
                    fields: vec![],
                },
            );
            self.terminate(Terminator::Goto(done));
            self.switch_to(next);
        }
        self.terminate(Terminator::Unreachable);
        self.switch_to(done);
        Operand::Local(result)
    }

    /// The Debug form (`inspect`): like Display but strings quoted and escaped and structs
    /// with field names (`Point { x: 1, y: 2 }`).
    pub(super) fn value_debug(&mut self, ty: TyId, v: Operand) -> Operand {
        if self.is_collection(ty) {
            return self.generic_value(rt::mesh_rt_value_inspect, ty, vec![v], Ty::Ptr);
        }
        match self.prim(ty) {
            Some(Prim::Str) => {
                self.temp(Ty::Ptr, Rvalue::Runtime(rt::mesh_rt_json_string, vec![v]))
            }
            Some(_) => self.value_display(ty, v),
            None => {
                let f = self.derived(Op::Debug, ty);
                self.temp(Ty::Ptr, Rvalue::Call(f, vec![v]))
            }
        }
    }

    fn gen_debug(&mut self, ty: TyId, v: &Operand) {
        let shape = self.shape(ty);
        let base = u32::from(shape.tagged);
        let names = if shape.tagged || shape.is_tuple {
            vec![]
        } else {
            self.struct_field_names(ty)
        };
        let tag = if shape.tagged {
            Some(self.tag(v))
        } else {
            None
        };
        for (i, (name, fields)) in shape.ctors.iter().enumerate() {
            let next = self.new_block();
            if let Some(tag) = &tag {
                self.branch_tag(tag, i, next);
            }
            let (open, close) = if names.is_empty() {
                ("(", ")")
            } else {
                (" { ", " }")
            };
            let mut acc = if fields.is_empty() && !shape.is_tuple {
                str_const(name)
            } else {
                str_const(&format!("{name}{open}"))
            };
            for (j, &t) in fields.iter().enumerate() {
                let sep = if j > 0 { ", " } else { "" };
                let label = names
                    .get(j)
                    .map(|n| format!("{sep}{n}: "))
                    .unwrap_or_else(|| sep.to_string());
                acc = self.concat(acc, str_const(&label));
                let f = self.load_field(t, v, base + j as u32);
                let text = self.value_debug(t, f);
                acc = self.concat(acc, text);
            }
            if !fields.is_empty() || shape.is_tuple {
                acc = self.concat(acc, str_const(close));
            }
            self.terminate(Terminator::Return(acc));
            self.switch_to(next);
            if tag.is_none() {
                break;
            }
        }
        self.terminate(Terminator::Unreachable);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prim {
    Int,
    Float,
    Bool,
    Str,
    Unit,
}

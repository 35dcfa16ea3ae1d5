//! Lowering of collection syntax onto the runtime's persistent collections
//! (`libmesh_rt/src/value/{list,map,set}.rs`): list and map literals, `++`, `h :: t`
//! patterns, and `for` loops over ranges, lists, sets and maps (spec §4.8), which always build
//! a list of the body's values.

use super::FnBuilder;
use crate::{BinOp, BlockId, Const, Operand, Rvalue, Terminator, Ty};
use mesh_rt_abi::names as rt;
use mesh_sema::hir::{ExprId, ForIter, PatId};
use mesh_sema::ty::{TyId, TyKind};

impl FnBuilder<'_, '_> {
    /// The value as a 64-bit word (elements cross the runtime boundary as words).
    pub(super) fn word(&mut self, v: Operand) -> Operand {
        if self.func.operand_ty(&v) == Ty::Int {
            v
        } else {
            self.temp(Ty::Int, Rvalue::ToWord(v))
        }
    }

    /// A word as a value of type `ty`.
    pub(super) fn value_from_word(&mut self, ty: TyId, w: Operand) -> Operand {
        let mty = self.ctx.mir_ty(ty);
        if mty == Ty::Int {
            w
        } else {
            self.temp(mty, Rvalue::FromWord(w))
        }
    }

    fn desc_operand(&mut self, ty: TyId) -> Operand {
        Operand::Const(Const::Desc(self.ctx.desc_of(ty)))
    }

    fn runtime(&mut self, ty: Ty, symbol: &'static str, args: Vec<Operand>) -> Operand {
        self.temp(ty, Rvalue::Runtime(symbol, args))
    }

    /// `[a, b, c]`
    pub(super) fn list_literal(&mut self, e: ExprId, elems: &[ExprId]) -> Operand {
        let ty = self.concrete(self.ctx.program.expr_ty(e));
        let desc = self.desc_operand(ty);
        let mut list = self.runtime(Ty::Ptr, rt::mesh_rt_list_new, vec![desc.clone()]);
        for &x in elems {
            let v = self.expr(x);
            let w = self.word(v);
            list = self.runtime(
                Ty::Ptr,
                rt::mesh_rt_list_append,
                vec![desc.clone(), list, w],
            );
        }
        list
    }

    /// `%{k => v, …}`
    pub(super) fn map_literal(&mut self, e: ExprId, entries: &[(ExprId, ExprId)]) -> Operand {
        let ty = self.concrete(self.ctx.program.expr_ty(e));
        let desc = self.desc_operand(ty);
        let mut map = self.runtime(Ty::Ptr, rt::mesh_rt_map_new, vec![desc.clone()]);
        for &(k, v) in entries {
            let (k, v) = (self.expr(k), self.expr(v));
            let (kw, vw) = (self.word(k), self.word(v));
            map = self.runtime(
                Ty::Ptr,
                rt::mesh_rt_map_put,
                vec![desc.clone(), map, kw, vw],
            );
        }
        map
    }

    /// `a ++ b`
    pub(super) fn list_concat(&mut self, e: ExprId, a: Operand, b: Operand) -> Operand {
        let ty = self.concrete(self.ctx.program.expr_ty(e));
        let desc = self.desc_operand(ty);
        self.runtime(Ty::Ptr, rt::mesh_rt_list_concat, vec![desc, a, b])
    }

    /// `head :: tail` against a list value; jumps to `fail` on an empty list.
    pub(super) fn test_cons(
        &mut self,
        pat: PatId,
        head: PatId,
        tail: PatId,
        value: Operand,
        fail: BlockId,
    ) {
        let list_ty = self.concrete(self.ctx.program.pat_ty(pat));
        let empty = self.runtime(Ty::Bool, rt::mesh_rt_list_is_empty, vec![value.clone()]);
        let ok = self.new_block();
        self.terminate(Terminator::Branch {
            cond: empty,
            then_block: fail,
            else_block: ok,
        });
        self.switch_to(ok);
        let elem_ty = self.concrete(self.ctx.program.pat_ty(head));
        let w = self.runtime(Ty::Int, rt::mesh_rt_list_head, vec![value.clone()]);
        let h = self.value_from_word(elem_ty, w);
        let desc = self.desc_operand(list_ty);
        let t = self.runtime(Ty::Ptr, rt::mesh_rt_list_tail, vec![desc, value]);
        self.test_pat_pub(head, h, fail);
        self.test_pat_pub(tail, t, fail);
    }

    /// `for` over a range, list, set or map: appends each body value to the result list;
    /// `continue` skips an element, `break` stops with what was collected.
    pub(super) fn for_loop(
        &mut self,
        e: ExprId,
        pats: &[PatId],
        iter: ForIter,
        filter: Option<ExprId>,
        body: ExprId,
    ) -> Operand {
        let result_ty = self.concrete(self.ctx.program.expr_ty(e));
        let desc = self.desc_operand(result_ty);
        let result = self.new_local(Ty::Ptr);
        let first = self.runtime(Ty::Ptr, rt::mesh_rt_list_new, vec![desc.clone()]);
        self.assign(result, Rvalue::Use(first));
        let index = self.new_local(Ty::Int);
        let (source, end, kind) = self.for_source(iter);
        self.assign(
            index,
            Rvalue::Use(match kind {
                Source::Range => source.clone(),
                _ => Operand::Const(Const::Int(0)),
            }),
        );
        let (header, step, exit) = (self.new_block(), self.new_block(), self.new_block());
        self.terminate(Terminator::Goto(header));
        self.switch_to(header);
        let more = self.temp(
            Ty::Bool,
            Rvalue::Binary(BinOp::Lt, Operand::Local(index), end),
        );
        let visit = self.new_block();
        self.terminate(Terminator::Branch {
            cond: more,
            then_block: visit,
            else_block: exit,
        });
        self.switch_to(visit);
        self.bind_element(kind, &source, Operand::Local(index), pats, step);
        if let Some(f) = filter {
            let keep = self.expr(f);
            let go = self.new_block();
            self.terminate(Terminator::Branch {
                cond: keep,
                then_block: go,
                else_block: step,
            });
            self.switch_to(go);
        }
        self.loops.push((step, exit));
        let value = self.expr(body);
        self.loops.pop();
        let w = self.word(value);
        let appended = self.runtime(
            Ty::Ptr,
            rt::mesh_rt_list_append,
            vec![desc, Operand::Local(result), w],
        );
        self.assign(result, Rvalue::Use(appended));
        self.terminate(Terminator::Goto(step));
        self.switch_to(step);
        let next = self.temp(
            Ty::Int,
            Rvalue::Binary(
                BinOp::Add,
                Operand::Local(index),
                Operand::Const(Const::Int(1)),
            ),
        );
        self.assign(index, Rvalue::Use(next));
        self.terminate(Terminator::Goto(header));
        self.switch_to(exit);
        Operand::Local(result)
    }

    /// The iteration source: (collection or range start, end index, kind).
    fn for_source(&mut self, iter: ForIter) -> (Operand, Operand, Source) {
        match iter {
            ForIter::Range(a, b) => {
                let start = self.expr(a);
                let end = self.expr(b);
                (start, end, Source::Range)
            }
            ForIter::Value(x) => {
                let ty = self.concrete(self.ctx.program.expr_ty(x));
                let v = self.expr(x);
                let name = match self.ctx.types.kind(self.ctx.types.shallow(ty)) {
                    TyKind::Con(name, _) => name.clone(),
                    other => panic!("compiler bug: for over {other:?}"),
                };
                match name.as_str() {
                    "Range" => {
                        let start = self.temp(
                            Ty::Int,
                            Rvalue::Load {
                                object: v.clone(),
                                index: 0,
                            },
                        );
                        let end = self.temp(
                            Ty::Int,
                            Rvalue::Load {
                                object: v,
                                index: 1,
                            },
                        );
                        (start, end, Source::Range)
                    }
                    "List" => {
                        let n = self.runtime(Ty::Int, rt::mesh_rt_list_length, vec![v.clone()]);
                        (v, n, Source::List)
                    }
                    "Set" => {
                        let n = self.runtime(Ty::Int, rt::mesh_rt_map_slots, vec![v.clone()]);
                        (v, n, Source::Set(ty))
                    }
                    _ => {
                        let n = self.runtime(Ty::Int, rt::mesh_rt_map_slots, vec![v.clone()]);
                        (v, n, Source::Map(ty))
                    }
                }
            }
        }
    }

    /// Binds the element at `index` to the loop patterns; dead map/set slots go to `skip`.
    fn bind_element(
        &mut self,
        kind: Source,
        source: &Operand,
        index: Operand,
        pats: &[PatId],
        skip: BlockId,
    ) {
        let elem_tys: Vec<TyId> = pats
            .iter()
            .map(|&p| self.concrete(self.ctx.program.pat_ty(p)))
            .collect();
        let values: Vec<Operand> = match kind {
            Source::Range => vec![index],
            Source::List => {
                let w = self.runtime(Ty::Int, rt::mesh_rt_list_get, vec![source.clone(), index]);
                vec![self.value_from_word(elem_tys[0], w)]
            }
            Source::Set(ty) | Source::Map(ty) => {
                let live = self.runtime(
                    Ty::Bool,
                    rt::mesh_rt_map_slot_live,
                    vec![source.clone(), index.clone()],
                );
                let ok = self.new_block();
                self.terminate(Terminator::Branch {
                    cond: live,
                    then_block: ok,
                    else_block: skip,
                });
                self.switch_to(ok);
                let desc = self.desc_operand(ty);
                if matches!(kind, Source::Set(_)) {
                    let w = self.runtime(
                        Ty::Int,
                        rt::mesh_rt_set_slot_value,
                        vec![desc, source.clone(), index],
                    );
                    vec![self.value_from_word(elem_tys[0], w)]
                } else {
                    let k = self.runtime(
                        Ty::Int,
                        rt::mesh_rt_map_slot_key,
                        vec![desc.clone(), source.clone(), index.clone()],
                    );
                    let v = self.runtime(
                        Ty::Int,
                        rt::mesh_rt_map_slot_value,
                        vec![desc, source.clone(), index],
                    );
                    vec![
                        self.value_from_word(elem_tys[0], k),
                        self.value_from_word(elem_tys[1], v),
                    ]
                }
            }
        };
        for (&p, v) in pats.iter().zip(values) {
            self.bind_irrefutable(p, v);
        }
    }

    /// Display, equality and ordering of collections go through the runtime's generic
    /// operations (driven by the type descriptor).
    pub(super) fn generic_value(
        &mut self,
        symbol: &'static str,
        ty: TyId,
        args: Vec<Operand>,
        ret: Ty,
    ) -> Operand {
        let mut call = vec![self.desc_operand(ty)];
        for a in args {
            let w = self.word(a);
            call.push(w);
        }
        self.runtime(ret, symbol, call)
    }

    /// Whether values of `ty` are compared, printed and hashed by the runtime from their
    /// descriptor: the collections and the opaque stdlib types (`Queue` is a list, `Json`,
    /// `Atom` and `Regex` are strings, `DateTime` an Int, `Range` a two-Int tuple).
    pub(super) fn is_collection(&mut self, ty: TyId) -> bool {
        matches!(
            self.ctx.types.kind(self.ctx.types.shallow(ty)),
            TyKind::Con(n, _) if matches!(
                n.as_str(),
                "List" | "Map" | "Set" | "Queue" | "Json" | "Atom" | "Regex" | "Range" | "DateTime" | "Pid"
            )
        )
    }
}

/// What a `for` walks.
#[derive(Clone, Copy)]
enum Source {
    Range,
    List,
    Set(TyId),
    Map(TyId),
}

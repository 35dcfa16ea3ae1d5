//! `for` loops (language spec §4.8), which always build a list of the body's values:
//! `continue` skips an element, `break` stops with what was collected. A loop is a *cursor*
//! over its source, set up once, then advanced at the loop header:
//!
//! - an Int range, a `List` (by `get(i)`) or a `Set`/`Map` (by slots, skipping dead ones),
//!   walked by index;
//! - a stdlib `Iter<T>`: each step pulls an element (`mesh_rt_iter_next`) and stops once the
//!   iterator reports it is exhausted (`mesh_rt_iter_is_done`), so laziness is kept: an
//!   infinite chain ended by `break` runs only as far as the loop pulls it;
//! - a user `Iterator`: each step calls its `next(state) -> Option<(Item, Self)>` and
//!   continues from the returned state until `None`;
//! - a user `Iterable`: its `iter(self)` is called once, and its result walked as above.
//!
//! The type checker picks the same source from the types (`sema/src/typeck/iterate.rs`).

use super::FnBuilder;
use crate::{BinOp, BlockId, Const, FnId, Local, Operand, Rvalue, Terminator, Ty};
use mesh_rt_abi::names as rt;
use mesh_sema::hir::{self, ExprId, ForIter, PatId};
use mesh_sema::ty::{BuiltinTy, TyId, TyKind};

/// A `for` source after its setup code.
enum Cursor {
    /// Ints from `index` up to `end`.
    Range { index: Local, end: Operand },
    /// A list's elements by index.
    List {
        list: Operand,
        index: Local,
        len: Operand,
    },
    /// A set's elements or a map's entries by slot (`ty` the collection's type).
    Slots {
        table: Operand,
        index: Local,
        slots: Operand,
        ty: TyId,
        is_map: bool,
    },
    /// A runtime iterator, pulled one element per step.
    Iter(Operand),
    /// A user `Iterator`: the current state and the `next` instance.
    User { state: Local, next: FnId },
}

impl FnBuilder<'_, '_> {
    /// `for pats in iter [when filter] do body end`.
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
        let elem_tys: Vec<TyId> = pats
            .iter()
            .map(|&p| self.concrete(self.ctx.program.pat_ty(p)))
            .collect();
        let cursor = match iter {
            ForIter::Range(a, b) => {
                let start = self.expr(a);
                let end = self.expr(b);
                self.range_cursor(start, end)
            }
            ForIter::Value(x) => {
                let ty = self.concrete(self.ctx.program.expr_ty(x));
                let v = self.expr(x);
                self.cursor(v, ty, &elem_tys)
            }
        };
        let (header, step, exit) = (self.new_block(), self.new_block(), self.new_block());
        self.terminate(Terminator::Goto(header));
        self.switch_to(header);
        let values = self.advance(&cursor, &elem_tys, step, exit);
        for (&p, v) in pats.iter().zip(values) {
            self.bind_irrefutable(p, v);
        }
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
        if let Cursor::Range { index, .. }
        | Cursor::List { index, .. }
        | Cursor::Slots { index, .. } = cursor
        {
            let next = self.temp(
                Ty::Int,
                Rvalue::Binary(
                    BinOp::Add,
                    Operand::Local(index),
                    Operand::Const(Const::Int(1)),
                ),
            );
            self.assign(index, Rvalue::Use(next));
        }
        self.terminate(Terminator::Goto(header));
        self.switch_to(exit);
        Operand::Local(result)
    }

    fn range_cursor(&mut self, start: Operand, end: Operand) -> Cursor {
        let index = self.new_local(Ty::Int);
        self.assign(index, Rvalue::Use(start));
        Cursor::Range { index, end }
    }

    /// Sets up the walk of `v`, a value of the concrete type `ty`, whose elements are
    /// `elem_tys` (one, or key and value for a map).
    fn cursor(&mut self, v: Operand, ty: TyId, elem_tys: &[TyId]) -> Cursor {
        let b = match self.ctx.types.kind(self.ctx.types.shallow(ty)) {
            TyKind::Builtin(b, _) => *b,
            TyKind::Adt(id, _) => {
                let key = hir::TypeKey::Adt(*id);
                return self.user_cursor(v, ty, key, elem_tys);
            }
            other => panic!("compiler bug: for over {other:?}"),
        };
        let zero = || Operand::Const(Const::Int(0));
        match b {
            BuiltinTy::Range => {
                let load = |b: &mut Self, index| {
                    b.temp(
                        Ty::Int,
                        Rvalue::Load {
                            object: v.clone(),
                            index,
                        },
                    )
                };
                let (start, end) = (load(self, 0), load(self, 1));
                self.range_cursor(start, end)
            }
            BuiltinTy::List => {
                let len = self.runtime(Ty::Int, rt::mesh_rt_list_length, vec![v.clone()]);
                let index = self.new_local(Ty::Int);
                self.assign(index, Rvalue::Use(zero()));
                Cursor::List {
                    list: v,
                    index,
                    len,
                }
            }
            BuiltinTy::Set | BuiltinTy::Map => {
                let slots = self.runtime(Ty::Int, rt::mesh_rt_map_slots, vec![v.clone()]);
                let index = self.new_local(Ty::Int);
                self.assign(index, Rvalue::Use(zero()));
                Cursor::Slots {
                    table: v,
                    index,
                    slots,
                    ty,
                    is_map: b == BuiltinTy::Map,
                }
            }
            BuiltinTy::Iter => Cursor::Iter(v),
            other => panic!("compiler bug: for over {}", other.name()),
        }
    }

    /// A user type's `Iterator` (stepped by `next`) or `Iterable` (walked through `iter`).
    fn user_cursor(
        &mut self,
        v: Operand,
        ty: TyId,
        key: hir::TypeKey,
        elem_tys: &[TyId],
    ) -> Cursor {
        let program = self.ctx.program;
        if let Some(def) = program.impl_method(key, "Iterator", "next") {
            let step = self.ctx.types.intern(TyKind::Tuple(vec![elem_tys[0], ty]));
            let option = self.ctx.types.option(step);
            let use_ty = self.ctx.types.intern(TyKind::Fun(vec![ty], option));
            let (next, _) = self.ctx.instance_at(def, use_ty);
            let state = self.new_local(Ty::Ptr);
            self.assign(state, Rvalue::Use(v));
            return Cursor::User { state, next };
        }
        let def = program
            .impl_method(key, "Iterable", "iter")
            .expect("the checker accepts only iterable sources");
        let (scheme, _) = program.fn_types[def.0 as usize];
        let TyKind::Fun(_, ret) = self.ctx.types.kind(scheme).clone() else {
            panic!("compiler bug: Iterable.iter without a function type");
        };
        let use_ty = self.ctx.types.intern(TyKind::Fun(vec![ty], ret));
        let (iter, targs) = self.ctx.instance_at(def, use_ty);
        let source_ty = self.ctx.types.instantiate(ret, &targs);
        let source_ty = self.ctx.types.resolve(source_ty);
        let mty = self.ctx.mir_ty(source_ty);
        let source = self.temp(mty, Rvalue::Call(iter, vec![v]));
        self.cursor(source, source_ty, elem_tys)
    }

    /// At the loop header: leaves for `exit` when the source is done, for `skip` on a dead
    /// slot, else continues with the element values (one per loop pattern).
    fn advance(
        &mut self,
        cursor: &Cursor,
        elem_tys: &[TyId],
        skip: BlockId,
        exit: BlockId,
    ) -> Vec<Operand> {
        match cursor {
            Cursor::Range { index, end } => {
                self.continue_if_below(*index, end.clone(), exit);
                vec![Operand::Local(*index)]
            }
            Cursor::List { list, index, len } => {
                self.continue_if_below(*index, len.clone(), exit);
                let args = vec![list.clone(), Operand::Local(*index)];
                let w = self.runtime(Ty::Int, rt::mesh_rt_list_get, args);
                vec![self.value_from_word(elem_tys[0], w)]
            }
            Cursor::Slots {
                table,
                index,
                slots,
                ty,
                is_map,
            } => {
                self.continue_if_below(*index, slots.clone(), exit);
                let at = Operand::Local(*index);
                self.slot(table, at, *ty, *is_map, elem_tys, skip)
            }
            Cursor::Iter(it) => {
                let w = self.runtime(Ty::Int, rt::mesh_rt_iter_next, vec![it.clone()]);
                let done = self.runtime(Ty::Bool, rt::mesh_rt_iter_is_done, vec![it.clone()]);
                let visit = self.new_block();
                self.terminate(Terminator::Branch {
                    cond: done,
                    then_block: exit,
                    else_block: visit,
                });
                self.switch_to(visit);
                vec![self.value_from_word(elem_tys[0], w)]
            }
            Cursor::User { state, next } => {
                let option = self.temp(Ty::Ptr, Rvalue::Call(*next, vec![Operand::Local(*state)]));
                let load = |b: &mut Self, ty, object: &Operand, index| {
                    let object = object.clone();
                    b.temp(ty, Rvalue::Load { object, index })
                };
                // `Some` is tag 0 (ARCHITECTURE.md "Value representation").
                let tag = load(self, Ty::Int, &option, 0);
                let is_some = self.temp(
                    Ty::Bool,
                    Rvalue::Binary(BinOp::Eq, tag, Operand::Const(Const::Int(0))),
                );
                let visit = self.new_block();
                self.terminate(Terminator::Branch {
                    cond: is_some,
                    then_block: visit,
                    else_block: exit,
                });
                self.switch_to(visit);
                let pair = load(self, Ty::Ptr, &option, 1);
                let elem_mty = self.ctx.mir_ty(elem_tys[0]);
                let x = load(self, elem_mty, &pair, 0);
                let rest = load(self, Ty::Ptr, &pair, 1);
                self.assign(*state, Rvalue::Use(rest));
                vec![x]
            }
        }
    }

    /// Continues in a new block while `index < end`, else goes to `exit`.
    fn continue_if_below(&mut self, index: Local, end: Operand, exit: BlockId) {
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
    }

    /// The element (set) or key and value (map) in slot `at` of `table`; a dead slot goes to
    /// `skip`.
    fn slot(
        &mut self,
        table: &Operand,
        at: Operand,
        ty: TyId,
        is_map: bool,
        elem_tys: &[TyId],
        skip: BlockId,
    ) -> Vec<Operand> {
        let live = self.runtime(
            Ty::Bool,
            rt::mesh_rt_map_slot_live,
            vec![table.clone(), at.clone()],
        );
        let ok = self.new_block();
        self.terminate(Terminator::Branch {
            cond: live,
            then_block: ok,
            else_block: skip,
        });
        self.switch_to(ok);
        let desc = self.desc_operand(ty);
        if !is_map {
            let args = vec![desc, table.clone(), at];
            let w = self.runtime(Ty::Int, rt::mesh_rt_set_slot_value, args);
            return vec![self.value_from_word(elem_tys[0], w)];
        }
        let args = vec![desc.clone(), table.clone(), at.clone()];
        let k = self.runtime(Ty::Int, rt::mesh_rt_map_slot_key, args);
        let v = self.runtime(
            Ty::Int,
            rt::mesh_rt_map_slot_value,
            vec![desc, table.clone(), at],
        );
        vec![
            self.value_from_word(elem_tys[0], k),
            self.value_from_word(elem_tys[1], v),
        ]
    }
}

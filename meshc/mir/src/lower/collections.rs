//! Lowering of collection syntax onto the runtime's persistent collections
//! (`libmesh_rt/src/value/{list,map,set}.rs`): list and map literals, `++` and `h :: t`
//! patterns (`for` loops are in `iterate.rs`).

use super::FnBuilder;
use crate::{BlockId, Const, Operand, Rvalue, Terminator, Ty};
use mesh_rt_abi::names as rt;
use mesh_sema::hir::{ExprId, PatId};
use mesh_sema::ty::TyId;

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

    pub(super) fn desc_operand(&mut self, ty: TyId) -> Operand {
        Operand::Const(Const::Desc(self.ctx.desc_of(ty)))
    }

    pub(super) fn runtime(&mut self, ty: Ty, symbol: &'static str, args: Vec<Operand>) -> Operand {
        self.temp(ty, Rvalue::Runtime(symbol, args))
    }

    /// `[a, b, c]`
    pub(super) fn list_literal(&mut self, e: ExprId, elems: &[ExprId]) -> Operand {
        let ty = self.concrete(self.ctx.program.expr_ty(e));
        let desc = self.desc_operand(ty);
        if elems.is_empty() {
            return self.runtime(Ty::Ptr, rt::mesh_rt_list_new, vec![desc]);
        }
        // Every element first, then one call that builds the list from their words (one
        // leaf, one header) instead of a new list per element.
        let words = elems
            .iter()
            .map(|&x| {
                let v = self.expr(x);
                self.word(v)
            })
            .collect();
        self.temp(
            Ty::Ptr,
            Rvalue::RuntimeWords {
                func: rt::mesh_rt_list_from,
                args: vec![desc],
                words,
            },
        )
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
    /// `Atom` and `Regex` are strings, `DateTime` an Int, `Range` a two-Int tuple; database
    /// handles are Ints, `Query`, `Expr` and `Changeset` strings).
    pub(super) fn is_collection(&mut self, ty: TyId) -> bool {
        use mesh_sema::ty::BuiltinTy as B;
        matches!(
            self.ctx.types.as_builtin(ty),
            Some((
                B::List
                    | B::Map
                    | B::Set
                    | B::Queue
                    | B::Json
                    | B::Atom
                    | B::Regex
                    | B::HttpRequest
                    | B::HttpClient
                    | B::StreamHandle
                    | B::Range
                    | B::DateTime
                    | B::SqliteConn
                    | B::PgConn
                    | B::PoolHandle
                    | B::Query
                    | B::Expr
                    | B::Changeset
                    | B::Pid,
                _
            ))
        )
    }
}

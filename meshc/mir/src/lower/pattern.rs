//! Lowering of `case` and destructuring `let`: each arm tests its pattern against the
//! scrutinee in order (sequential tests; a decision tree is future work), binds, checks the
//! guard, and runs its body; a value no arm matches panics.

use super::data::str_const;
use super::FnBuilder;
use crate::{BinOp, BlockId, Const, Operand, Rvalue, Terminator, Ty};
use mesh_rt_abi::names as rt;
use mesh_sema::hir::{self, ExprId, Lit, PatId, PatKind};

impl FnBuilder<'_, '_> {
    /// `case`; in tail position each arm's body is lowered in tail position and nothing is
    /// returned (the operand is a placeholder).
    pub(super) fn case_in(
        &mut self,
        e: ExprId,
        scrutinee: ExprId,
        arms: &[hir::Arm],
        tail: bool,
    ) -> Operand {
        let value = self.expr(scrutinee);
        let ty = self.ty_of_expr(e);
        let result = self.new_local(ty);
        let join = self.new_block();
        for arm in arms {
            let next = self.new_block();
            self.test_pat(arm.pat, value.clone(), next);
            if let Some(g) = arm.guard {
                let cond = self.expr(g);
                let body = self.new_block();
                self.terminate(Terminator::Branch {
                    cond,
                    then_block: body,
                    else_block: next,
                });
                self.switch_to(body);
            }
            if tail {
                self.tail(arm.body);
            } else {
                let v = self.expr(arm.body);
                self.assign_result(result, ty, v);
                self.terminate(Terminator::Goto(join));
            }
            self.switch_to(next);
        }
        self.panic_here("no case clause matching the value");
        self.switch_to(join);
        Operand::Local(result)
    }

    /// Binds a pattern that cannot fail for a well-typed value (`let (a, b) = …`).
    pub(super) fn bind_irrefutable(&mut self, pat: PatId, value: Operand) {
        let fail = self.new_block();
        let ok = self.new_block();
        self.test_pat(pat, value, fail);
        self.terminate(Terminator::Goto(ok));
        self.switch_to(fail);
        self.panic_here("no match of the right-hand side value");
        self.switch_to(ok);
    }

    fn panic_here(&mut self, message: &str) {
        let unit = self.new_local(Ty::Unit);
        self.assign(
            unit,
            Rvalue::Runtime(rt::mesh_rt_panic, vec![str_const(message)]),
        );
        self.terminate(Terminator::Unreachable);
    }

    /// Continues in the current block when `pat` matches `value`; jumps to `fail` otherwise.
    fn test_pat(&mut self, pat: PatId, value: Operand, fail: BlockId) {
        match self.ctx.program.pat(pat).kind.clone() {
            PatKind::Wildcard | PatKind::Error => {}
            PatKind::Bind(local) => {
                let target = match self.locals.get(&local) {
                    Some(&l) => l,
                    None => {
                        let ty = self.ty_of_local(local);
                        let l = self.new_local(ty);
                        self.locals.insert(local, l);
                        l
                    }
                };
                self.assign(target, Rvalue::Use(value));
            }
            PatKind::Lit(lit) => {
                let cond = self.lit_test(&lit, value);
                self.branch_or_fail(cond, fail);
            }
            PatKind::Tuple(elems) => {
                for (i, p) in elems.into_iter().enumerate() {
                    let field = self.load_pat(p, value.clone(), i as u32);
                    self.test_pat(p, field, fail);
                }
            }
            PatKind::Variant { variant, args, .. } => {
                let tag = self.temp(
                    Ty::Int,
                    Rvalue::Load {
                        object: value.clone(),
                        index: 0,
                    },
                );
                let cond = self.temp(
                    Ty::Bool,
                    Rvalue::Binary(
                        BinOp::Eq,
                        tag,
                        Operand::Const(Const::Int(i64::from(variant))),
                    ),
                );
                self.branch_or_fail(cond, fail);
                for (i, p) in args.into_iter().enumerate() {
                    let field = self.load_pat(p, value.clone(), i as u32 + 1);
                    self.test_pat(p, field, fail);
                }
            }
            PatKind::Cons(..) => panic!("compiler bug: list patterns reached MIR before lists"),
            PatKind::Or(alts) => {
                let ok = self.new_block();
                for p in alts {
                    let next = self.new_block();
                    self.test_pat(p, value.clone(), next);
                    self.terminate(Terminator::Goto(ok));
                    self.switch_to(next);
                }
                self.terminate(Terminator::Goto(fail));
                self.switch_to(ok);
            }
        }
    }

    fn load_pat(&mut self, p: PatId, object: Operand, index: u32) -> Operand {
        let t = self.concrete(self.ctx.program.pat_ty(p));
        let ty = self.ctx.mir_ty(t);
        self.temp(ty, Rvalue::Load { object, index })
    }

    fn lit_test(&mut self, lit: &Lit, value: Operand) -> Operand {
        let c = match lit {
            Lit::Int(n) => Const::Int(*n),
            Lit::Float(x) => Const::Float(*x),
            Lit::Bool(b) => Const::Bool(*b),
            Lit::Unit => return Operand::Const(Const::Bool(true)),
            Lit::Str(s) => {
                return self.temp(
                    Ty::Bool,
                    Rvalue::Runtime(rt::mesh_rt_string_eq, vec![value, str_const(s)]),
                );
            }
        };
        self.temp(
            Ty::Bool,
            Rvalue::Binary(BinOp::Eq, value, Operand::Const(c)),
        )
    }

    fn branch_or_fail(&mut self, cond: Operand, fail: BlockId) {
        let ok = self.new_block();
        self.terminate(Terminator::Branch {
            cond,
            then_block: ok,
            else_block: fail,
        });
        self.switch_to(ok);
    }
}

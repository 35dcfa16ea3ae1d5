//! Lowering of `case` and destructuring `let`. A `case` (and so a multi-clause function) is
//! matched by a decision tree (`decision.rs`) whose arms' bodies are emitted here; a value no
//! arm matches panics. `let`, `for` patterns and a received message bound again after it is
//! taken test one pattern part by part (`test_pat`).

use super::data::str_const;
use super::decision::Scrutinee;
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
        clauses_of: Option<&str>,
        tail: bool,
    ) -> Operand {
        let scrutinee_ty = self.concrete(self.ctx.program.expr_ty(scrutinee));
        let value = self.scrutinee(scrutinee);
        let ty = self.ty_of_expr(e);
        let result = self.new_local(ty);
        let join = self.new_block();
        let message = match clauses_of {
            Some(f) => format!("no function clause matching in {f}"),
            None => "no case clause matching the value".to_string(),
        };
        self.match_arms(
            value,
            scrutinee_ty,
            arms,
            |b, i| b.arm_body(arms[i].body, result, ty, join, tail),
            |b| b.panic_here(&message),
        );
        self.switch_to(join);
        Operand::Local(result)
    }

    /// An arm's body: in tail position it returns; otherwise its value goes to `result` and
    /// control to `join`.
    pub(super) fn arm_body(
        &mut self,
        body: ExprId,
        result: crate::Local,
        ty: Ty,
        join: BlockId,
        tail: bool,
    ) {
        if tail {
            self.tail(body);
        } else {
            let v = self.expr(body);
            self.assign_result(result, ty, v);
            self.terminate(Terminator::Goto(join));
        }
    }

    /// A scrutinee written as a tuple (`case (a, b)`, and the parameters of multi-clause
    /// functions) is kept as its parts so matching it against tuple patterns allocates nothing.
    fn scrutinee(&mut self, e: ExprId) -> Scrutinee {
        match self.ctx.program.expr(e).kind.clone() {
            hir::ExprKind::Tuple(elems) => {
                Scrutinee::Parts(elems.iter().map(|&x| self.expr(x)).collect())
            }
            _ => Scrutinee::Value(self.expr(e)),
        }
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

    pub(super) fn panic_here(&mut self, message: &str) {
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
                let target = self.local_for(local);
                self.assign(target, Rvalue::Use(value));
            }
            PatKind::Lit(lit) => {
                let cond = self.lit_test(&lit, value);
                self.branch_or_fail(cond, fail);
            }
            PatKind::Tuple(elems) | PatKind::Struct { fields: elems, .. } => {
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
            PatKind::As(inner, local) => {
                self.test_pat(inner, value.clone(), fail);
                let target = self.local_for(local);
                self.assign(target, Rvalue::Use(value));
            }
            PatKind::Cons(head, tail) => self.test_cons(pat, head, tail, value, fail),
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

    /// `test_pat` for the other lowering modules.
    pub(super) fn test_pat_pub(&mut self, pat: PatId, value: Operand, fail: BlockId) {
        self.test_pat(pat, value, fail);
    }

    /// The MIR local of a pattern binding (shared by the alternatives of an or-pattern, and by
    /// every path of a decision tree reaching the arm).
    pub(super) fn local_for(&mut self, local: hir::LocalId) -> crate::Local {
        if let Some(&l) = self.locals.get(&local) {
            return l;
        }
        let ty = self.ty_of_local(local);
        let l = self.new_local(ty);
        self.locals.insert(local, l);
        l
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
            Lit::Str(s) | Lit::Atom(s) | Lit::Regex(s) => {
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

impl FnBuilder<'_, '_> {
    /// `e?`: the payload of `Ok`/`Some`; otherwise returns `Err(e)`/`None` of the enclosing
    /// function's result type (spec §4.9).
    /// `E2.from(err)` for a `?` whose error type differs from the function's.
    fn convert_error(
        &mut self,
        from: hir::DefId,
        ret_ty: mesh_sema::ty::TyId,
        err: Operand,
    ) -> Operand {
        let mesh_sema::ty::TyKind::Adt(_, args) =
            self.ctx.types.kind(self.ctx.types.shallow(ret_ty)).clone()
        else {
            panic!("compiler bug: `?` conversion outside a Result function");
        };
        let target = args[1];
        let (scheme, n) = self.ctx.program.fn_types[from.0 as usize];
        let mut found = Vec::new();
        if let mesh_sema::ty::TyKind::Fun(_, ret) = self.ctx.types.kind(scheme).clone() {
            self.ctx.types.match_gen(ret, target, &mut found);
        }
        let unit = self.ctx.types.unit();
        let targs: Vec<_> = (0..n as usize)
            .map(|i| found.get(i).copied().flatten().unwrap_or(unit))
            .collect();
        let id = self.ctx.instance(from, targs);
        let ty = self.ctx.mir_ty(target);
        self.temp(ty, Rvalue::Call(id, vec![err]))
    }

    pub(super) fn try_op(&mut self, e: ExprId, inner: ExprId) -> Operand {
        let value = self.expr(inner);
        let tag = self.temp(
            Ty::Int,
            Rvalue::Load {
                object: value.clone(),
                index: 0,
            },
        );
        let is_ok = self.temp(
            Ty::Bool,
            Rvalue::Binary(BinOp::Eq, tag, Operand::Const(Const::Int(0))),
        );
        let (ok, bail) = (self.new_block(), self.new_block());
        self.terminate(Terminator::Branch {
            cond: is_ok,
            then_block: ok,
            else_block: bail,
        });
        self.switch_to(bail);
        let ret_ty = self
            .ret_sema
            .expect("a function with `?` has a known result type");
        let desc = self.ctx.desc_of(ret_ty);
        let is_result = self.ctx.types.is_adt(ret_ty, hir::RESULT);
        let fields = if is_result {
            let err_ty = self.payload_ty(inner, 1);
            let err = self.temp(
                err_ty,
                Rvalue::Load {
                    object: value.clone(),
                    index: 1,
                },
            );
            let converted = match self.ctx.program.try_from[e.0 as usize] {
                Some(from) => self.convert_error(from, ret_ty, err),
                None => err,
            };
            vec![converted]
        } else {
            vec![]
        };
        let early = self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: crate::AllocKind::Variant(1),
                desc,
                fields,
            },
        );
        self.ret(early);
        self.switch_to(ok);
        let ty = self.payload_ty(inner, 0);
        self.temp(
            ty,
            Rvalue::Load {
                object: value,
                index: 1,
            },
        )
    }

    /// The machine type of type argument `i` of the Result/Option `e` has.
    fn payload_ty(&mut self, e: ExprId, i: usize) -> Ty {
        let t = self.concrete(self.ctx.program.expr_ty(e));
        let mesh_sema::ty::TyKind::Adt(_, args) =
            self.ctx.types.kind(self.ctx.types.shallow(t)).clone()
        else {
            panic!("compiler bug: `?` on a non-Result");
        };
        self.ctx.mir_ty(args[i])
    }
}

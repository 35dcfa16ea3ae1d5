//! Lowering of the concurrency forms (language spec §4.11): `spawn` builds a closure that
//! makes the call and hands it to the runtime; `receive` walks the mailbox with the
//! runtime's selective-receive primitives (ARCHITECTURE.md "Concurrency").

use super::data::str_const;
use super::decision::Scrutinee;
use super::FnBuilder;
use crate::{AllocKind, BinOp, Const, DescId, FnId, Operand, Rvalue, Terminator, Ty};
use mesh_rt_abi::names as rt;
use mesh_sema::hir::{self, ExprId, ExprKind};
use mesh_sema::ty::TyKind;

/// The captures of a spawn (`FnBuilder::spawn_parts`).
pub(super) struct SpawnParts {
    /// The target's instance when it is a named function.
    pub direct: Option<FnId>,
    /// The captured values (the target closure first when not `direct`, then the arguments).
    pub ops: Vec<Operand>,
    pub mir_tys: Vec<Ty>,
    /// Descriptor of the captures as one tuple.
    pub env: DescId,
    /// The target's result type.
    pub ret: Ty,
}

impl FnBuilder<'_, '_> {
    /// `spawn(target, args…)`: the arguments are evaluated here, captured by a closure whose
    /// code calls the target, and the closure is copied into the new process.
    pub(super) fn spawn(&mut self, target: ExprId, args: &[ExprId]) -> Operand {
        let label = match self.ctx.program.expr(target).kind {
            // Generated parts (`Pool.__init`, `Tally.__main`) log as their supervisor/service.
            ExprKind::Fn(def) => {
                let name = &self.ctx.program.func(def).name;
                name.split(".__").next().unwrap_or(name).to_string()
            }
            _ => "actor".to_string(),
        };
        let parts = self.spawn_parts(target, args);
        let id = self.spawn_code(parts.direct, &parts.mir_tys, parts.ret);
        let closure = self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: AllocKind::Closure(id),
                desc: parts.env,
                fields: parts.ops,
            },
        );
        self.temp(
            Ty::Int,
            Rvalue::Runtime(rt::mesh_rt_spawn, vec![closure, str_const(&label)]),
        )
    }

    /// What a spawn captures: the target's instance when it is a named function (else the
    /// target closure is captured first), then the arguments, evaluated here.
    pub(super) fn spawn_parts(&mut self, target: ExprId, args: &[ExprId]) -> SpawnParts {
        let direct = self.callee_instance(target);
        let target_ty = self.concrete(self.ctx.program.expr_ty(target));
        let ret = match self
            .ctx
            .types
            .kind(self.ctx.types.shallow(target_ty))
            .clone()
        {
            TyKind::Fun(_, r) => self.ctx.mir_ty(r),
            _ => Ty::Unit,
        };
        let mut captured: Vec<ExprId> = Vec::new();
        if direct.is_none() {
            captured.push(target);
        }
        captured.extend(args);
        let ops: Vec<Operand> = captured.iter().map(|&a| self.expr(a)).collect();
        let sema_tys: Vec<_> = captured
            .iter()
            .map(|&a| self.concrete(self.ctx.program.expr_ty(a)))
            .collect();
        let mir_tys: Vec<Ty> = sema_tys.iter().map(|&t| self.ctx.mir_ty(t)).collect();
        let env_ty = self.ctx.types.intern(TyKind::Tuple(sema_tys));
        let env = self.ctx.desc_of(env_ty);
        SpawnParts {
            direct,
            ops,
            mir_tys,
            env,
            ret,
        }
    }

    /// The closure code of a spawn: loads the captures (`mir_tys`) and calls `direct` with
    /// them, or calls the first capture (a closure) with the rest.
    pub(super) fn spawn_code(&mut self, direct: Option<FnId>, mir_tys: &[Ty], ret: Ty) -> FnId {
        let id = self.ctx.new_fn_id();
        let name = format!("{}.spawn{}", self.func.name, id.0);
        let func = {
            let mut b = FnBuilder::new(self.ctx, name, vec![], id);
            b.func.is_closure_code = true;
            b.func.ret = Ty::Int;
            let clo = b.new_local(Ty::Ptr);
            b.func.params.push(clo);
            let loaded: Vec<Operand> = mir_tys
                .iter()
                .enumerate()
                .map(|(i, &ty)| {
                    b.temp(
                        ty,
                        Rvalue::Load {
                            object: Operand::Local(clo),
                            index: i as u32 + 1,
                        },
                    )
                })
                .collect();
            let call = match direct {
                Some(inst) => Rvalue::Call(inst, loaded),
                None => {
                    let mut it = loaded.into_iter();
                    let closure = it.next().expect("the target closure is captured first");
                    Rvalue::CallClosure {
                        closure,
                        args: it.collect(),
                    }
                }
            };
            b.temp(ret, call);
            b.terminate(Terminator::Return(Operand::Const(Const::Int(0))));
            b.func
        };
        self.ctx.done.push((id, func));
        id
    }

    /// Whether `pat` matches every value of its type (names, `_`, tuples of those).
    fn irrefutable(&self, pat: hir::PatId) -> bool {
        match &self.ctx.program.pat(pat).kind {
            hir::PatKind::Wildcard | hir::PatKind::Bind(_) => true,
            hir::PatKind::Tuple(items) | hir::PatKind::Struct { fields: items, .. } => {
                items.iter().all(|&p| self.irrefutable(p))
            }
            hir::PatKind::As(inner, _) => self.irrefutable(*inner),
            _ => false,
        }
    }

    /// `receive`: wait for the message at index i (or the deadline), match the arms against
    /// it where it sits (a decision tree, whose guards read the message in place); on a match
    /// take it (copying it into this heap), bind the arm's pattern again to the copy and run
    /// the arm; otherwise go on with message i + 1.
    pub(super) fn receive(
        &mut self,
        e: ExprId,
        arms: &[hir::Arm],
        after: Option<(ExprId, ExprId)>,
        tail: bool,
    ) -> Operand {
        if let Some(split) = self.system_split(arms) {
            return self.receive_system(e, split, after, tail);
        }
        let ty = self.ty_of_expr(e);
        let result = self.new_local(ty);
        let join = self.new_block();
        if let (None, Some(first)) = (after, arms.first()) {
            if first.guard.is_none() && self.irrefutable(first.pat) {
                // The first arm takes any message: one runtime call waits for it and takes it.
                let msg_ty = self.concrete(self.ctx.program.pat_ty(first.pat));
                let mty = self.ctx.mir_ty(msg_ty);
                let desc = Operand::Const(Const::Desc(self.ctx.desc_of(msg_ty)));
                let w = self.temp(
                    Ty::Int,
                    Rvalue::Runtime(rt::mesh_rt_receive_next, vec![desc]),
                );
                let taken = self.temp(mty, Rvalue::FromWord(w));
                let never = self.new_block();
                self.test_pat_pub(first.pat, taken, never);
                self.arm_body(first.body, result, ty, join, tail);
                self.switch_to(never);
                self.panic_here("a received message does not match an irrefutable pattern");
                self.switch_to(join);
                return Operand::Local(result);
            }
        }
        let deadline = match after {
            Some((ms, _)) => {
                let ms = self.expr(ms);
                self.temp(
                    Ty::Int,
                    Rvalue::Runtime(rt::mesh_rt_receive_deadline, vec![ms]),
                )
            }
            None => Operand::Const(Const::Int(mesh_rt_abi::receive::NO_DEADLINE)),
        };
        if let Some(first) = arms.first() {
            let msg_ty = self.concrete(self.ctx.program.pat_ty(first.pat));
            let mty = self.ctx.mir_ty(msg_ty);
            let desc = Operand::Const(Const::Desc(self.ctx.desc_of(msg_ty)));
            let idx = self.new_local(Ty::Int);
            self.assign(idx, Rvalue::Use(Operand::Const(Const::Int(0))));
            let scan = self.new_block();
            self.terminate(Terminator::Goto(scan));
            self.switch_to(scan);
            let ok = self.temp(
                Ty::Bool,
                Rvalue::Runtime(
                    rt::mesh_rt_receive_wait,
                    vec![Operand::Local(idx), deadline, desc],
                ),
            );
            let (have, timeout) = (self.new_block(), self.new_block());
            self.terminate(Terminator::Branch {
                cond: ok,
                then_block: have,
                else_block: timeout,
            });
            self.switch_to(have);
            let w = self.temp(
                Ty::Int,
                Rvalue::Runtime(rt::mesh_rt_receive_peek, vec![Operand::Local(idx)]),
            );
            let peeked = self.temp(mty, Rvalue::FromWord(w));
            let next = self.new_block();
            self.match_arms(
                Scrutinee::Value(peeked),
                msg_ty,
                arms,
                |b, i| {
                    let tw = b.temp(
                        Ty::Int,
                        Rvalue::Runtime(rt::mesh_rt_receive_take, vec![Operand::Local(idx)]),
                    );
                    let taken = b.temp(mty, Rvalue::FromWord(tw));
                    let changed = b.new_block();
                    b.test_pat_pub(arms[i].pat, taken, changed);
                    b.arm_body(arms[i].body, result, ty, join, tail);
                    b.switch_to(changed);
                    b.panic_here("a received message no longer matches its pattern");
                },
                |b| b.terminate(Terminator::Goto(next)),
            );
            self.switch_to(next);
            let bumped = self.temp(
                Ty::Int,
                Rvalue::Binary(
                    BinOp::Add,
                    Operand::Local(idx),
                    Operand::Const(Const::Int(1)),
                ),
            );
            self.assign(idx, Rvalue::Use(bumped));
            self.terminate(Terminator::Goto(scan));
            self.switch_to(timeout);
        } else {
            // No arm can take a message: only the deadline ends the wait.
            let ms = match after {
                Some((ms, _)) => self.expr(ms),
                None => Operand::Const(Const::Int(i64::MAX / 1_000_000)),
            };
            self.temp(Ty::Unit, Rvalue::Runtime(rt::mesh_rt_timer_sleep, vec![ms]));
        }
        match after {
            Some((_, body)) => self.arm_body(body, result, ty, join, tail),
            None => self.terminate(Terminator::Unreachable),
        }
        self.switch_to(join);
        Operand::Local(result)
    }
}

/// The system message a receive arm's pattern takes: `Down { … }` / `Exit { … }`.
fn system_adt(program: &hir::Program, pat: hir::PatId) -> Option<hir::AdtId> {
    match program.pat(pat).kind {
        hir::PatKind::Struct { adt, .. } if adt == hir::DOWN || adt == hir::EXIT => Some(adt),
        hir::PatKind::As(inner, _) => system_adt(program, inner),
        _ => None,
    }
}

impl FnBuilder<'_, '_> {
    /// A receive's arms by what they take: its own message type's, `Down`'s and `Exit`'s
    /// (stdlib §16.2: system messages reach such arms whatever the process's message type,
    /// unless that type is the system message's own, when all arms are one tree). None when
    /// no arm takes a system message.
    fn system_split(&mut self, arms: &[hir::Arm]) -> Option<[Vec<hir::Arm>; 3]> {
        let program = self.ctx.program;
        let own_ty = arms
            .iter()
            .find(|a| system_adt(program, a.pat).is_none())
            .map(|a| self.concrete(program.pat_ty(a.pat)));
        let mut split: [Vec<hir::Arm>; 3] = Default::default();
        for arm in arms {
            let class = match system_adt(program, arm.pat) {
                Some(adt) if own_ty != Some(self.concrete(program.pat_ty(arm.pat))) => {
                    if adt == hir::DOWN {
                        1
                    } else {
                        2
                    }
                }
                _ => 0,
            };
            split[class].push(arm.clone());
        }
        (!split[1].is_empty() || !split[2].is_empty()).then_some(split)
    }

    /// `receive` with system-message arms (`system_split`): `mesh_rt_receive_wait_system`
    /// says which kind of message sits at index i, and that kind's arms are matched on it.
    fn receive_system(
        &mut self,
        e: ExprId,
        split: [Vec<hir::Arm>; 3],
        after: Option<(ExprId, ExprId)>,
        tail: bool,
    ) -> Operand {
        let ty = self.ty_of_expr(e);
        let result = self.new_local(ty);
        let join = self.new_block();
        let deadline = match after {
            Some((ms, _)) => {
                let ms = self.expr(ms);
                self.temp(
                    Ty::Int,
                    Rvalue::Runtime(rt::mesh_rt_receive_deadline, vec![ms]),
                )
            }
            None => Operand::Const(Const::Int(-1)),
        };
        let program = self.ctx.program;
        let tys: Vec<Option<mesh_sema::ty::TyId>> = split
            .iter()
            .map(|arms| arms.first().map(|a| self.concrete(program.pat_ty(a.pat))))
            .collect();
        // The own type's descriptor (the unit's when no arm takes one: then it is unused).
        let own = tys[0].unwrap_or_else(|| self.ctx.types.unit());
        let desc = Operand::Const(Const::Desc(self.ctx.desc_of(own)));
        let accept = i64::from(!split[1].is_empty())
            | i64::from(!split[2].is_empty()) << 1
            | i64::from(!split[0].is_empty()) << 2;
        let idx = self.new_local(Ty::Int);
        self.assign(idx, Rvalue::Use(Operand::Const(Const::Int(0))));
        let scan = self.new_block();
        self.terminate(Terminator::Goto(scan));
        self.switch_to(scan);
        let class = self.temp(
            Ty::Int,
            Rvalue::Runtime(
                rt::mesh_rt_receive_wait_system,
                vec![
                    Operand::Local(idx),
                    deadline,
                    desc,
                    Operand::Const(Const::Int(accept)),
                ],
            ),
        );
        let timed_out = self.temp(
            Ty::Bool,
            Rvalue::Binary(BinOp::Lt, class.clone(), Operand::Const(Const::Int(0))),
        );
        let (have, timeout, next) = (self.new_block(), self.new_block(), self.new_block());
        self.terminate(Terminator::Branch {
            cond: timed_out,
            then_block: timeout,
            else_block: have,
        });
        self.switch_to(have);
        for (k, arms) in split.iter().enumerate() {
            let Some(msg_ty) = tys[k] else { continue };
            let is_k = self.temp(
                Ty::Bool,
                Rvalue::Binary(
                    BinOp::Eq,
                    class.clone(),
                    Operand::Const(Const::Int(k as i64)),
                ),
            );
            let (this, other) = (self.new_block(), self.new_block());
            self.terminate(Terminator::Branch {
                cond: is_k,
                then_block: this,
                else_block: other,
            });
            self.switch_to(this);
            let mty = self.ctx.mir_ty(msg_ty);
            let w = self.temp(
                Ty::Int,
                Rvalue::Runtime(rt::mesh_rt_receive_peek, vec![Operand::Local(idx)]),
            );
            let peeked = self.temp(mty, Rvalue::FromWord(w));
            self.match_arms(
                Scrutinee::Value(peeked),
                msg_ty,
                arms,
                |b, i| {
                    let tw = b.temp(
                        Ty::Int,
                        Rvalue::Runtime(rt::mesh_rt_receive_take, vec![Operand::Local(idx)]),
                    );
                    let taken = b.temp(mty, Rvalue::FromWord(tw));
                    let changed = b.new_block();
                    b.test_pat_pub(arms[i].pat, taken, changed);
                    b.arm_body(arms[i].body, result, ty, join, tail);
                    b.switch_to(changed);
                    b.panic_here("a received message no longer matches its pattern");
                },
                |b| b.terminate(Terminator::Goto(next)),
            );
            self.switch_to(other);
        }
        self.terminate(Terminator::Goto(next));
        self.switch_to(next);
        let bumped = self.temp(
            Ty::Int,
            Rvalue::Binary(
                BinOp::Add,
                Operand::Local(idx),
                Operand::Const(Const::Int(1)),
            ),
        );
        self.assign(idx, Rvalue::Use(bumped));
        self.terminate(Terminator::Goto(scan));
        self.switch_to(timeout);
        match after {
            Some((_, body)) => self.arm_body(body, result, ty, join, tail),
            None => self.terminate(Terminator::Unreachable),
        }
        self.switch_to(join);
        Operand::Local(result)
    }
}

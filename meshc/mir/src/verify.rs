//! The MIR verifier: checks the invariants codegen relies on (targets exist, operand types
//! match, calls have the callee's arity, runtime calls name ABI functions). A failure is a
//! compiler bug, reported as such.

use crate::{BinOp, Function, Operand, Program, Rvalue, Stmt, Terminator, Ty};

/// Returns a description of the first broken invariant.
pub fn verify(program: &Program) -> Result<(), String> {
    if program.entry.0 as usize >= program.fns.len() {
        return Err("entry function out of range".into());
    }
    for f in &program.fns {
        verify_fn(program, f).map_err(|e| format!("in {}: {e}", f.name))?;
    }
    Ok(())
}

fn verify_fn(program: &Program, f: &Function) -> Result<(), String> {
    let nblocks = f.blocks.len() as u32;
    let check_local = |l: crate::Local| {
        if (l.0 as usize) < f.locals.len() {
            Ok(())
        } else {
            Err(format!("local _{} out of range", l.0))
        }
    };
    let check_op = |op: &Operand| match op {
        Operand::Local(l) => check_local(*l),
        Operand::Const(_) => Ok(()),
    };
    for (bi, block) in f.blocks.iter().enumerate() {
        for Stmt::Assign(dest, rv) in &block.stmts {
            check_local(*dest)?;
            match rv {
                Rvalue::Use(o)
                | Rvalue::Neg(o)
                | Rvalue::Not(o)
                | Rvalue::ToWord(o)
                | Rvalue::FromWord(o) => check_op(o)?,
                Rvalue::Load { object, .. } => {
                    check_op(object)?;
                    if f.operand_ty(object) != Ty::Ptr {
                        return Err(format!("bb{bi}: load from a non-pointer"));
                    }
                }
                Rvalue::Alloc { desc, fields, .. } => {
                    if desc.0 as usize >= program.descs.len() {
                        return Err(format!("bb{bi}: missing desc{}", desc.0));
                    }
                    fields.iter().try_for_each(check_op)?;
                }
                Rvalue::CallClosure { closure, args } => {
                    check_op(closure)?;
                    args.iter().try_for_each(check_op)?;
                }
                Rvalue::Binary(op, a, b) => {
                    check_op(a)?;
                    check_op(b)?;
                    let (ta, tb) = (f.operand_ty(a), f.operand_ty(b));
                    if ta != tb {
                        return Err(format!("bb{bi}: {op:?} on {ta:?} and {tb:?}"));
                    }
                    let arith = matches!(
                        op,
                        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem
                    );
                    if arith && !matches!(ta, Ty::Int | Ty::Float) {
                        return Err(format!("bb{bi}: arithmetic on {ta:?}"));
                    }
                }
                Rvalue::Call(callee, args) => {
                    let Some(target) = program.fns.get(callee.0 as usize) else {
                        return Err(format!("bb{bi}: call of missing fn{}", callee.0));
                    };
                    if target.params.len() != args.len() {
                        return Err(format!(
                            "bb{bi}: call of {} with {} args",
                            target.name,
                            args.len()
                        ));
                    }
                    args.iter().try_for_each(check_op)?;
                }
                Rvalue::Runtime(name, args) => {
                    let Some(sig) = mesh_rt_abi::lookup(name) else {
                        return Err(format!("bb{bi}: unknown runtime function {name}"));
                    };
                    if sig.params.len() != args.len() {
                        return Err(format!("bb{bi}: {name} takes {} args", sig.params.len()));
                    }
                    args.iter().try_for_each(check_op)?;
                }
                Rvalue::RuntimeWords { func, args, words } => {
                    let Some(sig) = mesh_rt_abi::lookup(func) else {
                        return Err(format!("bb{bi}: unknown runtime function {func}"));
                    };
                    if sig.params.len() != args.len() + 2 {
                        return Err(format!(
                            "bb{bi}: {func} takes {} args besides its words",
                            sig.params.len().saturating_sub(2)
                        ));
                    }
                    args.iter().try_for_each(check_op)?;
                    words.iter().try_for_each(check_op)?;
                    if words.iter().any(|w| f.operand_ty(w) != Ty::Int) {
                        return Err(format!("bb{bi}: {func} words must be Int"));
                    }
                }
            }
        }
        match &block.terminator {
            Terminator::Goto(b) if b.0 >= nblocks => {
                return Err(format!("bb{bi}: goto out of range"))
            }
            Terminator::Branch {
                cond,
                then_block,
                else_block,
            } => {
                check_op(cond)?;
                if then_block.0 >= nblocks || else_block.0 >= nblocks {
                    return Err(format!("bb{bi}: branch out of range"));
                }
                if f.operand_ty(cond) != Ty::Bool {
                    return Err(format!("bb{bi}: branch on non-Bool"));
                }
            }
            Terminator::Switch {
                value,
                cases,
                default,
            } => {
                check_op(value)?;
                if f.operand_ty(value) != Ty::Int {
                    return Err(format!("bb{bi}: switch on non-Int"));
                }
                if default.0 >= nblocks || cases.iter().any(|(_, b)| b.0 >= nblocks) {
                    return Err(format!("bb{bi}: switch target out of range"));
                }
                let mut values: Vec<i64> = cases.iter().map(|(v, _)| *v).collect();
                values.sort_unstable();
                if values.windows(2).any(|w| w[0] == w[1]) {
                    return Err(format!("bb{bi}: switch with a repeated case"));
                }
            }
            Terminator::Return(op) => check_op(op)?,
            _ => {}
        }
    }
    Ok(())
}

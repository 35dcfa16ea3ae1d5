//! MIR optimisations, run when the program is built with optimisation (`--release`): each
//! rewrites a function into an equivalent one that LLVM can optimise further.
//!
//! `scalarize_loop_params` keeps the struct parameters of a self-recursive loop in their
//! fields. A self tail call is a jump back to the entry block (`lower`), so a loop written as
//! `step(n - 1, %{body | x: …})` carries the struct from one iteration to the next through
//! memory: each iteration allocates the new struct, and LLVM cannot remove that allocation
//! because the next iteration reads it. After the rewrite the loop carries the fields in
//! locals; reads of a field use the local, and a use of the whole struct (an argument, a
//! captured value, the result) gets a fresh copy built just before it, which LLVM removes
//! again whenever the user is inlined and only reads fields.

use crate::{
    AllocKind, Block, BlockId, Function, Local, Operand, Program, Rvalue, Stmt, Terminator,
};

/// Runs the MIR optimisations over every function of `program`.
pub fn optimise(program: &mut Program) {
    for f in &mut program.fns {
        scalarize_loop_params(f);
    }
}

/// A struct parameter being rewritten: its local, the locals of its fields, its layout.
struct Split {
    param: Local,
    fields: Vec<Local>,
    desc: crate::DescId,
}

/// See the module documentation. Only parameters that the loop gives a new value (not the
/// same one again) are rewritten: for those, the loop built a struct per iteration anyway.
pub fn scalarize_loop_params(f: &mut Function) {
    let is_loop = |t: &Terminator| matches!(t, Terminator::Goto(BlockId(0)));
    if f.is_closure_code || !f.blocks.iter().any(|b| is_loop(&b.terminator)) {
        return;
    }
    let changes = |p: Local| {
        f.blocks
            .iter()
            .flat_map(|b| &b.stmts)
            .any(|Stmt::Assign(dest, rv)| {
                *dest == p && !matches!(rv, Rvalue::Use(Operand::Local(v)) if *v == p)
            })
    };
    let only_moves = |p: Local| {
        f.blocks
            .iter()
            .flat_map(|b| &b.stmts)
            .all(|Stmt::Assign(dest, rv)| {
                *dest != p || matches!(rv, Rvalue::Use(Operand::Local(_)))
            })
    };
    let chosen: Vec<_> = f
        .struct_params
        .iter()
        .filter(|sp| changes(sp.local) && only_moves(sp.local))
        .cloned()
        .collect();
    if chosen.is_empty() {
        return;
    }
    let splits: Vec<Split> = chosen
        .iter()
        .map(|sp| Split {
            param: sp.local,
            fields: sp
                .fields
                .iter()
                .map(|&ty| {
                    f.locals.push(ty);
                    Local(f.locals.len() as u32 - 1)
                })
                .collect(),
            desc: sp.desc,
        })
        .collect();

    // The loop head moves to block 1 (every block shifts up by one, so back-edges still
    // point backwards); the new entry block loads the fields of the incoming structs.
    for b in &mut f.blocks {
        b.terminator.map_targets(|t| t.0 += 1);
    }
    let mut blocks = std::mem::take(&mut f.blocks);
    for b in &mut blocks {
        let stmts = std::mem::take(&mut b.stmts);
        b.stmts = rewrite_block(stmts, &mut b.terminator, &splits, &mut f.locals);
    }
    let entry = Block {
        stmts: splits
            .iter()
            .flat_map(|s| {
                s.fields.iter().enumerate().map(|(i, &field)| {
                    Stmt::Assign(
                        field,
                        Rvalue::Load {
                            object: Operand::Local(s.param),
                            index: i as u32,
                        },
                    )
                })
            })
            .collect(),
        terminator: Terminator::Goto(BlockId(1)),
    };
    f.blocks = std::iter::once(entry).chain(blocks).collect();
}

/// Rewrites one block: field reads of a split parameter use its field locals, assignments
/// to it assign the fields, and any other use reads a copy built in this block (one per
/// block until the parameter is assigned again).
fn rewrite_block(
    stmts: Vec<Stmt>,
    terminator: &mut Terminator,
    splits: &[Split],
    locals: &mut Vec<crate::Ty>,
) -> Vec<Stmt> {
    let split_of = |l: Local| splits.iter().find(|s| s.param == l);
    let mut copies: Vec<(Local, Local)> = Vec::new();
    let mut out = Vec::with_capacity(stmts.len());
    let mut materialise =
        |op: &mut Operand, out: &mut Vec<Stmt>, copies: &mut Vec<(Local, Local)>| {
            let Operand::Local(l) = *op else { return };
            let Some(s) = split_of(l) else { return };
            let copy = match copies.iter().find(|(p, _)| *p == l) {
                Some(&(_, c)) => c,
                None => {
                    locals.push(crate::Ty::Ptr);
                    let c = Local(locals.len() as u32 - 1);
                    out.push(Stmt::Assign(
                        c,
                        Rvalue::Alloc {
                            kind: AllocKind::Tuple,
                            desc: s.desc,
                            fields: s.fields.iter().map(|&f| Operand::Local(f)).collect(),
                        },
                    ));
                    copies.push((l, c));
                    c
                }
            };
            *op = Operand::Local(copy);
        };
    for Stmt::Assign(dest, mut rv) in stmts {
        if let Rvalue::Load {
            object: Operand::Local(l),
            index,
        } = &rv
        {
            if let Some(s) = split_of(*l) {
                out.push(Stmt::Assign(
                    dest,
                    Rvalue::Use(Operand::Local(s.fields[*index as usize])),
                ));
                continue;
            }
        }
        if let Some(target) = split_of(dest) {
            let Rvalue::Use(Operand::Local(source)) = rv else {
                unreachable!("only moves assign a split parameter (checked by the caller)");
            };
            copies.retain(|(p, _)| *p != dest);
            if source == dest {
                continue;
            }
            for (i, &field) in target.fields.iter().enumerate() {
                let value = match split_of(source) {
                    Some(from) => Rvalue::Use(Operand::Local(from.fields[i])),
                    None => Rvalue::Load {
                        object: Operand::Local(source),
                        index: i as u32,
                    },
                };
                out.push(Stmt::Assign(field, value));
            }
            continue;
        }
        for op in operands_mut(&mut rv) {
            materialise(op, &mut out, &mut copies);
        }
        out.push(Stmt::Assign(dest, rv));
    }
    if let Terminator::Return(op) | Terminator::Branch { cond: op, .. } = terminator {
        materialise(op, &mut out, &mut copies);
    }
    out
}

fn operands_mut(rv: &mut Rvalue) -> Vec<&mut Operand> {
    match rv {
        Rvalue::Use(a)
        | Rvalue::Neg(a)
        | Rvalue::Not(a)
        | Rvalue::ToWord(a)
        | Rvalue::FromWord(a)
        | Rvalue::Load { object: a, .. } => vec![a],
        Rvalue::Binary(_, a, b) => vec![a, b],
        Rvalue::Call(_, args) | Rvalue::Runtime(_, args) => args.iter_mut().collect(),
        Rvalue::Alloc { fields, .. } => fields.iter_mut().collect(),
        Rvalue::RuntimeWords { args, words, .. } => {
            args.iter_mut().chain(words.iter_mut()).collect()
        }
        Rvalue::CallClosure { closure, args } => {
            std::iter::once(closure).chain(args.iter_mut()).collect()
        }
    }
}

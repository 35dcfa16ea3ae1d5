//! Facts about MIR functions that code generation needs: which functions must use the
//! tail-calling convention, and where the stack-limit checks go.

use crate::{Block, FnId, Function, Operand, Program, Rvalue, Stmt, Terminator};

/// A block that ends `x = call f(args); return x`: the call is in tail position.
pub fn tail_call(block: &Block) -> Option<(FnId, &[Operand])> {
    let Terminator::Return(Operand::Local(ret)) = &block.terminator else {
        return None;
    };
    match block.stmts.last() {
        Some(Stmt::Assign(dest, Rvalue::Call(callee, args))) if dest == ret => {
            Some((*callee, args.as_slice()))
        }
        _ => None,
    }
}

/// Which functions need the tail-calling convention: those on a cycle of tail calls
/// (mutual tail recursion must run in constant stack, spec §7). Only such a cycle could grow
/// the stack without bound through tail calls, so every other function keeps the cheaper
/// default convention (LLVM's `tailcc` pops its argument area in the callee and keeps the
/// stack aligned with an extra slot at every call). Closure code keeps the C convention.
pub fn needs_tail_convention(program: &Program) -> Vec<bool> {
    let tail_edges: Vec<Vec<usize>> = program
        .fns
        .iter()
        .map(|f| {
            if f.is_closure_code {
                return Vec::new();
            }
            let mut callees: Vec<usize> = f
                .blocks
                .iter()
                .filter_map(tail_call)
                .map(|(callee, _)| callee.0 as usize)
                .filter(|&c| !program.fns[c].is_closure_code)
                .collect();
            callees.sort_unstable();
            callees.dedup();
            callees
        })
        .collect();
    let mut tail = vec![false; tail_edges.len()];
    for members in mesh_sema::scc::strongly_connected(&tail_edges) {
        let cycle = members.len() > 1 || tail_edges[members[0]].contains(&members[0]);
        if cycle {
            for m in members {
                tail[m] = true;
            }
        }
    }
    tail
}

/// Runtime functions marked `leaf` in the ABI table neither call back into Mesh code nor use
/// much stack: calling one does not need a stack check first (the check's 64 KiB red zone
/// covers them).
fn is_leaf_runtime(name: &str) -> bool {
    mesh_rt_abi::lookup(name).is_some_and(|f| f.attrs.leaf)
}

/// Whether evaluating `rv` may run Mesh code or deep runtime code on this stack.
fn is_call(rv: &Rvalue) -> bool {
    match rv {
        Rvalue::Call(..) | Rvalue::CallClosure { .. } => true,
        Rvalue::Runtime(name, _) | Rvalue::RuntimeWords { func: name, .. } => {
            !is_leaf_runtime(name)
        }
        _ => false,
    }
}

/// Where a function checks its stack limit (overflow and preemption, ARCHITECTURE.md
/// "Concurrency"): for each block, the index of the statement before which the check goes,
/// or `None`. A path checks before its first call and on every loop back-edge (the caller
/// adds those), so code that makes no call — a leaf, or the base case of a recursion — runs
/// without a check: its frame fits in the red zone below the limit, and it ends or reaches
/// a back-edge in bounded time. A call already preceded by a check on every path from the
/// entry needs none of its own.
pub fn stack_checks(f: &Function) -> Vec<Option<usize>> {
    let n = f.blocks.len();
    let first_call: Vec<Option<usize>> = f
        .blocks
        .iter()
        .map(|b| b.stmts.iter().position(|Stmt::Assign(_, rv)| is_call(rv)))
        .collect();
    let back_edge =
        |i: usize| matches!(f.blocks[i].terminator, Terminator::Goto(b) if b.0 as usize <= i);
    // Must-analysis: `checked_in[b]` holds when every path from the entry to `b` has passed a
    // check. Start from "true" everywhere but the entry and lower to the fixpoint.
    let mut checked_in = vec![true; n];
    if n > 0 {
        checked_in[0] = false;
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, b) in f.blocks.iter().enumerate() {
        for s in b.terminator.successors() {
            preds[s.0 as usize].push(i);
        }
    }
    let checked_out =
        |i: usize, checked_in: &[bool]| checked_in[i] || first_call[i].is_some() || back_edge(i);
    let mut changed = true;
    while changed {
        changed = false;
        for i in 1..n {
            let value = preds[i].iter().all(|&p| checked_out(p, &checked_in));
            if value != checked_in[i] {
                checked_in[i] = value;
                changed = true;
            }
        }
    }
    (0..n)
        .map(|i| first_call[i].filter(|_| !checked_in[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BlockId, Const, Local, Ty};

    fn function(blocks: Vec<Block>) -> Function {
        Function {
            name: "t".into(),
            params: vec![Local(0)],
            ret: Ty::Int,
            locals: vec![Ty::Int, Ty::Int, Ty::Bool],
            blocks,
            is_closure_code: false,
            struct_params: vec![],
        }
    }

    fn call(callee: u32) -> Stmt {
        Stmt::Assign(Local(1), Rvalue::Call(FnId(callee), vec![]))
    }

    fn branch(then_block: u32, else_block: u32) -> Terminator {
        Terminator::Branch {
            cond: Operand::Const(Const::Bool(true)),
            then_block: BlockId(then_block),
            else_block: BlockId(else_block),
        }
    }

    fn ret() -> Terminator {
        Terminator::Return(Operand::Local(Local(1)))
    }

    #[test]
    fn a_base_case_without_calls_runs_without_a_check() {
        // bb0: branch bb1 bb2; bb1: return; bb2: x = call; y = call; return
        let f = function(vec![
            Block {
                stmts: vec![],
                terminator: branch(1, 2),
            },
            Block {
                stmts: vec![],
                terminator: ret(),
            },
            Block {
                stmts: vec![
                    Stmt::Assign(Local(1), Rvalue::Use(Operand::Const(Const::Int(1)))),
                    call(0),
                    call(0),
                ],
                terminator: ret(),
            },
        ]);
        assert_eq!(stack_checks(&f), vec![None, None, Some(1)]);
    }

    #[test]
    fn a_call_after_a_checked_path_or_a_back_edge_needs_no_check() {
        // bb0: call; goto bb1; bb1: branch bb2 bb3; bb2: call; goto bb1; bb3: call; return
        let f = function(vec![
            Block {
                stmts: vec![call(0)],
                terminator: Terminator::Goto(BlockId(1)),
            },
            Block {
                stmts: vec![],
                terminator: branch(2, 3),
            },
            Block {
                stmts: vec![call(0)],
                terminator: Terminator::Goto(BlockId(1)),
            },
            Block {
                stmts: vec![call(0)],
                terminator: ret(),
            },
        ]);
        assert_eq!(stack_checks(&f), vec![Some(0), None, None, None]);
        // Without the call in bb0, bb1 is reached unchecked from the entry.
        let mut g = f.clone();
        g.blocks[0].stmts.clear();
        assert_eq!(stack_checks(&g), vec![None, None, Some(0), Some(0)]);
    }

    #[test]
    fn only_cycles_closed_by_tail_calls_use_the_tail_convention() {
        let tail_calling = |callee: u32| {
            function(vec![Block {
                stmts: vec![call(callee)],
                terminator: ret(),
            }])
        };
        let not_tail = |callee: u32| {
            function(vec![Block {
                stmts: vec![call(callee)],
                terminator: Terminator::Return(Operand::Const(Const::Int(0))),
            }])
        };
        // 0 <-> 1 by tail calls; 2 tail-calls 0 from outside the cycle; 3 calls itself
        // (not in tail position); 4 tail-calls 5, which calls 4 back but not in tail
        // position (that cycle grows the stack whatever the convention).
        let program = Program {
            fns: vec![
                tail_calling(1),
                tail_calling(0),
                tail_calling(0),
                not_tail(3),
                tail_calling(5),
                not_tail(4),
            ],
            descs: vec![],
            entry: FnId(2),
            clustered: vec![],
            test_build: false,
            spawn_table: vec![],
        };
        assert_eq!(
            needs_tail_convention(&program),
            vec![true, true, false, false, false, false]
        );
    }
}

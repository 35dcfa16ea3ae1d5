//! Clean-up passes run over every function once lowering is done (before the verifier).
//! Lowering starts a fresh block after each terminator, so code after a `return` has somewhere
//! to go; most of those blocks are never reached, and dropping them keeps `--dump=mir` readable.

use crate::{BlockId, Function};

/// Removes the blocks control cannot reach from the entry, renumbering the rest in order (so
/// a backward jump stays backward: codegen puts a preemption check on those).
pub(crate) fn remove_unreachable_blocks(f: &mut Function) {
    let count = f.blocks.len();
    let mut reachable = vec![false; count];
    let mut stack = vec![BlockId(0)];
    while let Some(b) = stack.pop() {
        let i = b.0 as usize;
        if !reachable[i] {
            reachable[i] = true;
            stack.extend(f.blocks[i].terminator.successors());
        }
    }
    let mut renumbered = vec![BlockId(u32::MAX); count];
    let kept = (0..count).filter(|&i| reachable[i]);
    for (new, old) in kept.enumerate() {
        renumbered[old] = BlockId(new as u32);
    }
    let blocks = std::mem::take(&mut f.blocks);
    f.blocks = blocks
        .into_iter()
        .zip(&reachable)
        .filter(|(_, &r)| r)
        .map(|(mut block, _)| {
            block
                .terminator
                .map_targets(|b| *b = renumbered[b.0 as usize]);
            block
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Block, Const, Operand, Terminator, Ty};

    fn block(terminator: Terminator) -> Block {
        Block {
            stmts: vec![],
            terminator,
        }
    }

    #[test]
    fn unreachable_blocks_are_dropped_and_targets_renumbered() {
        let ret = Terminator::Return(Operand::Const(Const::Int(0)));
        let mut f = Function {
            name: "f".into(),
            params: vec![],
            ret: Ty::Int,
            locals: vec![Ty::Int],
            blocks: vec![
                block(Terminator::Switch {
                    value: Operand::Local(crate::Local(0)),
                    cases: vec![(1, BlockId(2))],
                    default: BlockId(4),
                }),
                block(Terminator::Unreachable),
                block(Terminator::Goto(BlockId(0))),
                block(ret.clone()),
                block(ret),
            ],
            is_closure_code: false,
            struct_params: vec![],
        };
        remove_unreachable_blocks(&mut f);
        let terminators: Vec<_> = f.blocks.iter().map(|b| b.terminator.clone()).collect();
        assert_eq!(
            terminators,
            vec![
                Terminator::Switch {
                    value: Operand::Local(crate::Local(0)),
                    cases: vec![(1, BlockId(1))],
                    default: BlockId(2),
                },
                Terminator::Goto(BlockId(0)),
                Terminator::Return(Operand::Const(Const::Int(0))),
            ]
        );
    }
}

//! Emission of a decision tree (`super`) as MIR: switches and tests in fresh blocks, the
//! fields of each case loaded where the case begins, and each reached arm's guard and body in
//! blocks of their own that every path reaching the arm jumps to.

use super::{build, Case, Chunk, Ctor, Decision, Occ, OccId, Scrutinee, Source};
use crate::lower::data::str_const;
use crate::lower::FnBuilder;
use crate::{BinOp, BlockId, Const, Local, Operand, Rvalue, Terminator, Ty};
use mesh_rt_abi::names as rt;
use mesh_sema::hir::{self, PatKind};
use mesh_sema::ty::TyId;

/// Where control goes for an arm that some path reaches.
struct ArmTarget {
    body: BlockId,
    guard: Option<GuardTarget>,
}

struct GuardTarget {
    entry: BlockId,
    /// Set by each `Match` node before the guard when several reach it.
    resume: Option<Local>,
    /// The continuation of each `Match` node, by its number.
    retries: Vec<BlockId>,
}

/// The state of emitting one tree.
struct Emission {
    occs: Vec<Occ>,
    /// The MIR value of each occurrence, once loaded (on the path being emitted).
    values: Vec<Option<Operand>>,
    /// Whether a test or binding reads the occurrence (or a field of it).
    used: Vec<bool>,
    arms: Vec<Option<ArmTarget>>,
    /// Where the chunk being emitted goes when none of its arms matches: the next chunk, or
    /// (for the last) `fail`.
    next: Option<BlockId>,
    /// The block reached when no arm matches, created on first use.
    fail: Option<BlockId>,
}

impl FnBuilder<'_, '_> {
    /// Matches `scrutinee` (of type `ty`) against `arms` with a decision tree. For each arm
    /// some value can reach, `on_match` is called once with the arm's index in a block where
    /// its bindings are bound and its guard held; `on_fail` in the block reached when no arm
    /// matches (if any path does). Both must end their block.
    pub(in crate::lower) fn match_arms(
        &mut self,
        scrutinee: Scrutinee,
        ty: TyId,
        arms: &[hir::Arm],
        mut on_match: impl FnMut(&mut Self, usize),
        on_fail: impl FnOnce(&mut Self),
    ) {
        let tree = build(self.ctx.program, self.ctx.types, scrutinee, ty, arms);
        let mut m = self.emission(tree.occs, &tree.chunks, arms);
        for (k, chunk) in tree.chunks.iter().enumerate() {
            m.next = (k + 1 < tree.chunks.len()).then(|| self.new_block());
            match chunk {
                Chunk::Tree(root) => self.emit_decision(&mut m, root),
                Chunk::Sequential(arm) => self.emit_sequential(&mut m, tree.root, *arm, arms),
            }
            if let Some(next) = m.next {
                self.switch_to(next);
            }
        }
        for (i, arm) in arms.iter().enumerate() {
            let Some(target) = m.arms[i].take() else {
                continue;
            };
            if let (Some(g), Some(guard)) = (target.guard, arm.guard) {
                self.switch_to(g.entry);
                let cond = self.expr(guard);
                let retry = match g.resume {
                    Some(resume) => self.resume_dispatch(resume, &g.retries),
                    None => g.retries[0],
                };
                self.terminate(Terminator::Branch {
                    cond,
                    then_block: target.body,
                    else_block: retry,
                });
            }
            self.switch_to(target.body);
            on_match(self, i);
        }
        if let Some(fail) = m.fail {
            self.switch_to(fail);
            on_fail(self);
        }
    }

    /// The state for emitting `root`: which occurrences to load, and the blocks of each arm a
    /// path reaches (a guard with its `resume` local when several paths reach it).
    fn emission(&mut self, occs: Vec<Occ>, chunks: &[Chunk], arms: &[hir::Arm]) -> Emission {
        let mut used = vec![false; occs.len()];
        let mut leaves = vec![0usize; arms.len()];
        for chunk in chunks {
            match chunk {
                Chunk::Tree(root) => {
                    mark_used(root, &occs, &mut used);
                    count_leaves(root, &mut leaves);
                }
                Chunk::Sequential(arm) => leaves[*arm] += 1,
            }
        }
        let targets = arms
            .iter()
            .zip(&leaves)
            .map(|(arm, &n)| {
                (n > 0).then(|| ArmTarget {
                    body: self.new_block(),
                    guard: arm.guard.map(|_| GuardTarget {
                        entry: self.new_block(),
                        resume: (n > 1).then(|| self.new_local(Ty::Int)),
                        retries: Vec::new(),
                    }),
                })
            })
            .collect();
        let values = occs
            .iter()
            .map(|o| match &o.source {
                Source::Given(v) => Some(v.clone()),
                _ => None,
            })
            .collect();
        Emission {
            occs,
            values,
            used,
            arms: targets,
            next: None,
            fail: None,
        }
    }

    /// An arm too big for a tree: its pattern tested part by part (binding as it goes), then
    /// its guard and body as for a `Match` node; failure goes on with the next chunk.
    fn emit_sequential(&mut self, m: &mut Emission, root: OccId, arm: usize, arms: &[hir::Arm]) {
        let pat = arms[arm].pat;
        let fail = self.fail_block(m);
        let parts = match (
            &m.occs[root.0 as usize].source,
            &self.ctx.program.pat(pat).kind,
        ) {
            (Source::Parts(parts), PatKind::Tuple(pats)) => Some((parts.clone(), pats.clone())),
            _ => None,
        };
        match parts {
            // A tuple pattern against a tuple expression: part by part, allocating nothing.
            Some((parts, pats)) => {
                for (part, p) in parts.into_iter().zip(pats) {
                    let value = self.occ_value(m, part);
                    self.test_pat_pub(p, value, fail);
                }
            }
            None => {
                let value = self.occ_value(m, root);
                self.test_pat_pub(pat, value, fail);
            }
        }
        let matched = Decision::Match {
            arm,
            bindings: Vec::new(),
            guard_failed: arms[arm].guard.map(|_| Box::new(Decision::Fail)),
        };
        self.emit_decision(m, &matched);
    }

    /// A block switching on `resume` to the continuation of the `Match` node that set it.
    fn resume_dispatch(&mut self, resume: Local, retries: &[BlockId]) -> BlockId {
        let block = self.new_block();
        let saved = self.current;
        self.switch_to(block);
        let (&last, rest) = retries
            .split_last()
            .expect("a shared guard has continuations");
        let cases = rest.iter().enumerate().map(|(k, &b)| (k as i64, b));
        self.terminate(Terminator::Switch {
            value: Operand::Local(resume),
            cases: cases.collect(),
            default: last,
        });
        self.switch_to(saved);
        block
    }

    fn emit_decision(&mut self, m: &mut Emission, d: &Decision) {
        match d {
            Decision::Fail => {
                let fail = self.fail_block(m);
                self.terminate(Terminator::Goto(fail));
            }
            Decision::Match {
                arm,
                bindings,
                guard_failed,
            } => {
                for &(local, occ) in bindings {
                    let v = self.occ_value(m, occ);
                    let target = self.local_for(local);
                    self.assign(target, Rvalue::Use(v));
                }
                let target = m.arms[*arm].as_mut().expect("a reached arm has blocks");
                let (Some(rest), Some(g)) = (guard_failed, target.guard.as_mut()) else {
                    let body = target.body;
                    self.terminate(Terminator::Goto(body));
                    return;
                };
                if let Some(resume) = g.resume {
                    let number = Operand::Const(Const::Int(g.retries.len() as i64));
                    self.assign(resume, Rvalue::Use(number));
                }
                let (entry, retry) = (g.entry, self.new_block());
                g.retries.push(retry);
                self.terminate(Terminator::Goto(entry));
                self.switch_to(retry);
                self.emit_decision(m, rest);
            }
            Decision::Switch {
                occ,
                cases,
                default,
            } => self.emit_switch(m, *occ, cases, default.as_deref()),
        }
    }

    fn emit_switch(
        &mut self,
        m: &mut Emission,
        occ: OccId,
        cases: &[Case],
        default: Option<&Decision>,
    ) {
        if let ([case], None) = (cases, default) {
            // A tuple, or the only variant of its type: nothing to test.
            self.load_fields(m, &case.fields);
            self.emit_decision(m, &case.then);
            return;
        }
        let value = m.values[occ.0 as usize]
            .clone()
            .expect("a switched occurrence is loaded");
        let blocks: Vec<BlockId> = cases.iter().map(|c| self.target(m, &c.then)).collect();
        let default_block = default.map(|d| self.target(m, d));
        self.switch_test(value, cases, &blocks, default_block);
        for (case, &block) in cases.iter().zip(&blocks) {
            if direct(&case.then).is_none() {
                self.switch_to(block);
                self.load_fields(m, &case.fields);
                self.emit_decision(m, &case.then);
            }
        }
        if let (Some(d), Some(block)) = (default, default_block) {
            if direct(d).is_none() {
                self.switch_to(block);
                self.emit_decision(m, d);
            }
        }
    }

    /// Ends the current block with the test of `value` against the cases' constructors:
    /// case `i` goes to `blocks[i]`, no match to `default_block` (absent when complete).
    fn switch_test(
        &mut self,
        value: Operand,
        cases: &[Case],
        blocks: &[BlockId],
        default_block: Option<BlockId>,
    ) {
        match &cases[0].ctor {
            Ctor::Variant(_) | Ctor::Int(_) => {
                let tested = if matches!(cases[0].ctor, Ctor::Variant(_)) {
                    let object = value;
                    self.temp(Ty::Int, Rvalue::Load { object, index: 0 })
                } else {
                    value
                };
                let mut keyed: Vec<(i64, BlockId)> = cases
                    .iter()
                    .zip(blocks)
                    .map(|(c, &b)| match c.ctor {
                        Ctor::Variant(v) => (i64::from(v), b),
                        Ctor::Int(n) => (n, b),
                        _ => panic!("compiler bug: mixed constructors in a switch"),
                    })
                    .collect();
                // Complete: the last case needs no comparison.
                let default = match default_block {
                    Some(b) => b,
                    None => keyed.pop().expect("a switch has cases").1,
                };
                self.terminate(Terminator::Switch {
                    value: tested,
                    cases: keyed,
                    default,
                });
            }
            Ctor::Bool(_) => {
                let target = |b: bool| {
                    cases
                        .iter()
                        .position(|c| c.ctor == Ctor::Bool(b))
                        .map(|i| blocks[i])
                        .or(default_block)
                        .expect("a Bool switch covers both values")
                };
                self.terminate(Terminator::Branch {
                    cond: value,
                    then_block: target(true),
                    else_block: target(false),
                });
            }
            Ctor::Cons => {
                let empty = self.temp(
                    Ty::Bool,
                    Rvalue::Runtime(rt::mesh_rt_list_is_empty, vec![value]),
                );
                self.terminate(Terminator::Branch {
                    cond: empty,
                    then_block: default_block.expect("a list switch has a default"),
                    else_block: blocks[0],
                });
            }
            Ctor::Float(_) | Ctor::Str(_) => {
                self.equality_chain(value, cases, blocks, default_block);
            }
            Ctor::Tuple => panic!("compiler bug: a tuple switch with a default"),
        }
    }

    /// The block a switch jumps to for `d`: an arm's block, or the failure target, itself
    /// when `d` needs no code of its own (see `direct`), else a new block.
    fn target(&mut self, m: &mut Emission, d: &Decision) -> BlockId {
        match direct(d) {
            Some(Direct::Arm(arm)) => m.arms[arm].as_ref().expect("a reached arm has blocks").body,
            Some(Direct::Fail) => self.fail_block(m),
            None => self.new_block(),
        }
    }

    /// Where a `Fail` goes: the next chunk, or the block running `on_fail`.
    fn fail_block(&mut self, m: &mut Emission) -> BlockId {
        if let Some(next) = m.next {
            return next;
        }
        match m.fail {
            Some(b) => b,
            None => *m.fail.insert(self.new_block()),
        }
    }

    /// Floats and Strings: one equality test per case, in order, then the default.
    fn equality_chain(
        &mut self,
        value: Operand,
        cases: &[Case],
        blocks: &[BlockId],
        default_block: Option<BlockId>,
    ) {
        let default_block = default_block.expect("a literal switch has a default");
        for (i, case) in cases.iter().enumerate() {
            let cond = match &case.ctor {
                Ctor::Float(x) => self.temp(
                    Ty::Bool,
                    Rvalue::Binary(BinOp::Eq, value.clone(), Operand::Const(Const::Float(*x))),
                ),
                Ctor::Str(s) => self.temp(
                    Ty::Bool,
                    Rvalue::Runtime(rt::mesh_rt_string_eq, vec![value.clone(), str_const(s)]),
                ),
                _ => panic!("compiler bug: mixed constructors in a switch"),
            };
            let next = if i + 1 == cases.len() {
                default_block
            } else {
                self.new_block()
            };
            self.terminate(Terminator::Branch {
                cond,
                then_block: blocks[i],
                else_block: next,
            });
            self.switch_to(next);
        }
    }

    /// Loads the fields some test or binding reads.
    fn load_fields(&mut self, m: &mut Emission, fields: &[OccId]) {
        for &f in fields {
            let i = f.0 as usize;
            if !m.used[i] || m.values[i].is_some() {
                continue;
            }
            let ty = m.occs[i].ty;
            let value = match m.occs[i].source {
                Source::Field { of, index } => {
                    let object = self.occ_value(m, of);
                    let mty = self.ctx.mir_ty(ty);
                    self.temp(mty, Rvalue::Load { object, index })
                }
                Source::Head(of) => {
                    let list = self.occ_value(m, of);
                    let w = self.temp(Ty::Int, Rvalue::Runtime(rt::mesh_rt_list_head, vec![list]));
                    self.value_from_word(ty, w)
                }
                Source::Tail(of) => {
                    let list = self.occ_value(m, of);
                    let desc = Operand::Const(Const::Desc(self.ctx.desc_of(ty)));
                    self.temp(
                        Ty::Ptr,
                        Rvalue::Runtime(rt::mesh_rt_list_tail, vec![desc, list]),
                    )
                }
                Source::Given(_) | Source::Parts(_) => {
                    panic!("compiler bug: a given occurrence is not a field")
                }
            };
            m.values[i] = Some(value);
        }
    }

    /// The value at `occ`; a tuple expression bound whole is allocated here.
    fn occ_value(&mut self, m: &Emission, occ: OccId) -> Operand {
        let i = occ.0 as usize;
        if let Some(v) = &m.values[i] {
            return v.clone();
        }
        let Source::Parts(parts) = &m.occs[i].source else {
            panic!("compiler bug: occurrence {i} read before it is loaded");
        };
        let fields = parts
            .iter()
            .map(|p| m.values[p.0 as usize].clone())
            .collect::<Option<Vec<_>>>()
            .expect("the parts of a tuple expression are given");
        self.alloc_tuple(m.occs[i].ty, fields)
    }
}

/// A decision that is only a jump: to an arm without bindings or guard, or to the failure.
enum Direct {
    Arm(usize),
    Fail,
}

fn direct(d: &Decision) -> Option<Direct> {
    match d {
        Decision::Fail => Some(Direct::Fail),
        Decision::Match {
            arm,
            bindings,
            guard_failed: None,
        } if bindings.is_empty() => Some(Direct::Arm(*arm)),
        _ => None,
    }
}

/// Marks the occurrences the tree tests or binds, and the ones they are loaded from.
fn mark_used(d: &Decision, occs: &[Occ], used: &mut [bool]) {
    let mut mark = |mut occ: OccId| loop {
        let i = occ.0 as usize;
        if used[i] {
            return;
        }
        used[i] = true;
        match occs[i].source {
            Source::Field { of, .. } | Source::Head(of) | Source::Tail(of) => occ = of,
            Source::Given(_) | Source::Parts(_) => return,
        }
    };
    match d {
        Decision::Fail => {}
        Decision::Match {
            bindings,
            guard_failed,
            ..
        } => {
            for &(_, occ) in bindings {
                mark(occ);
            }
            if let Some(rest) = guard_failed {
                mark_used(rest, occs, used);
            }
        }
        Decision::Switch {
            occ,
            cases,
            default,
        } => {
            mark(*occ);
            for case in cases {
                mark_used(&case.then, occs, used);
            }
            if let Some(d) = default {
                mark_used(d, occs, used);
            }
        }
    }
}

/// Counts the `Match` nodes of each arm.
fn count_leaves(d: &Decision, leaves: &mut [usize]) {
    match d {
        Decision::Fail => {}
        Decision::Match {
            arm, guard_failed, ..
        } => {
            leaves[*arm] += 1;
            if let Some(rest) = guard_failed {
                count_leaves(rest, leaves);
            }
        }
        Decision::Switch { cases, default, .. } => {
            for case in cases {
                count_leaves(&case.then, leaves);
            }
            if let Some(d) = default {
                count_leaves(d, leaves);
            }
        }
    }
}

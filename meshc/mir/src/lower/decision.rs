//! Decision trees for `case`, multi-clause functions and `receive` (spec §4.7). A match is
//! compiled in two steps.
//!
//! 1. **Building** (`TreeBuilder`, no MIR yet). The arms form a clause matrix: one row per arm,
//!    one column per *occurrence* (a position in the matched value: the value itself, a field
//!    of it, the head of a list, …). Following Maranget's "Compiling pattern matching to good
//!    decision trees" (ML Workshop 2008): bindings and `as` are recorded on their row and become
//!    wildcards; when the first row has only wildcards left, its arm matches (a `Match` node).
//!    Otherwise a column where the first row tests something is picked (of those, the one whose
//!    run of non-wildcards from the first row down is longest, the leftmost on a tie), its
//!    or-patterns are expanded into one row per alternative, and the node switches on the
//!    constructors the column mentions: each case keeps the rows with that constructor (whose
//!    fields become new columns) or a wildcard there; the default keeps the wildcard rows and
//!    is absent when the constructors are complete (every variant, both Bools, a tuple). A
//!    column disappears once switched on, so no path tests a position twice.
//! 2. **Emitting** (`FnBuilder::match_arms`). A switch on variant tags or Ints is one MIR
//!    `Switch`; Bools and lists (`h :: t` against the rest) a `Branch`; Floats and Strings a
//!    chain of equality tests. A case's fields are loaded in its block, and only those some
//!    test or binding reads. A `Match` node assigns its bindings (the pattern's locals, shared
//!    by every path) and jumps to its arm's block: each arm's guard and body are emitted once,
//!    however many paths reach them.
//!
//! First match wins because rows keep their order in every sub-matrix: on any path, the first
//! row whose tests all passed is the first arm matching the value. A `Match` node of a guarded
//! arm carries the tree of the rows after it, minus the arm's other rows: an or-pattern
//! commits to its first matching alternative, and a failing guard moves on to the next arm
//! (what sequential matching always did). The guard block is shared too: when several
//! `Match` nodes reach it, each first stores its number in a `resume` local, on which a
//! failing guard switches to that node's continuation.
//!
//! Trees can grow large for contrived matrices (a wildcard row is copied into every case of a
//! switch above it), but arm bodies and guards are never copied.

use super::data::str_const;
use super::FnBuilder;
use crate::{AllocKind, BinOp, BlockId, Const, Local, Operand, Rvalue, Terminator, Ty};
use mesh_rt_abi::names as rt;
use mesh_sema::hir::{self, Lit, LocalId, PatId, PatKind};
use mesh_sema::ty::{TyId, TyKind, Types};
use std::cmp::Reverse;

/// The value a match is made against.
pub(super) enum Scrutinee {
    /// A value computed before the match.
    Value(Operand),
    /// A tuple expression kept as its parts (`case (a, b)`, the parameters of a multi-clause
    /// function): matching it against tuple patterns allocates nothing.
    Parts(Vec<Operand>),
}

/// An occurrence: an index into `TreeBuilder::occs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OccId(u32);

/// A position in the matched value, with its (concrete) type and how to reach it.
struct Occ {
    ty: TyId,
    source: Source,
}

enum Source {
    /// Computed before the match: the scrutinee, or a part of a tuple expression.
    Given(Operand),
    /// A tuple expression kept as its parts; allocated only if a pattern binds it whole.
    Parts(Vec<OccId>),
    /// Payload word `index` of the tuple, struct or variant at `of`.
    Field { of: OccId, index: u32 },
    /// The first element of the non-empty list at the occurrence.
    Head(OccId),
    /// The rest of the non-empty list at the occurrence.
    Tail(OccId),
}

/// What a switch case compares its occurrence with. Floats compare with `==`, so `0.0` and
/// `-0.0` are one constructor (the equality test matches either).
#[derive(Debug, Clone, PartialEq)]
enum Ctor {
    Tuple,
    Variant(u32),
    /// A non-empty list (the spec has no `[]` pattern; the empty list takes the default).
    Cons,
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
}

enum Decision {
    /// No arm matches.
    Fail,
    /// Arm `arm` matches once `bindings` are bound; a guarded arm goes on with
    /// `guard_failed` when its guard is false.
    Match {
        arm: usize,
        bindings: Vec<(LocalId, OccId)>,
        guard_failed: Option<Box<Decision>>,
    },
    /// Tests `occ` against each case's constructor in turn; `default` when none is equal
    /// (absent when the cases are complete).
    Switch {
        occ: OccId,
        cases: Vec<Case>,
        default: Option<Box<Decision>>,
    },
}

struct Case {
    ctor: Ctor,
    /// The constructor's fields, loaded at the start of the case.
    fields: Vec<OccId>,
    then: Decision,
}

/// A row of the clause matrix: a pattern per column (`None` is a wildcard), the bindings
/// already recorded, and the arm it belongs to.
#[derive(Clone)]
struct Row {
    pats: Vec<Option<PatId>>,
    bindings: Vec<(LocalId, OccId)>,
    arm: usize,
}

struct TreeBuilder<'a> {
    program: &'a hir::Program,
    types: &'a mut Types,
    occs: Vec<Occ>,
    /// Whether each arm has a guard.
    guarded: Vec<bool>,
}

impl TreeBuilder<'_> {
    fn occ(&mut self, ty: TyId, source: Source) -> OccId {
        self.occs.push(Occ { ty, source });
        OccId(self.occs.len() as u32 - 1)
    }

    fn compile(&mut self, cols: &[OccId], mut rows: Vec<Row>) -> Decision {
        for row in &mut rows {
            for (j, &occ) in cols.iter().enumerate() {
                row.pats[j] = self.simplify(row.pats[j], occ, &mut row.bindings);
            }
        }
        let Some(first) = rows.first() else {
            return Decision::Fail;
        };
        if let Some(j) = pick_column(&rows) {
            return self.switch(cols, rows, j);
        }
        let (arm, bindings) = (first.arm, first.bindings.clone());
        let guard_failed = self.guarded[arm].then(|| {
            let rest = rows.into_iter().skip(1).filter(|r| r.arm != arm).collect();
            Box::new(self.compile(cols, rest))
        });
        Decision::Match {
            arm,
            bindings,
            guard_failed,
        }
    }

    /// Strips what needs no test: a name or `as` is recorded in `bindings`; `_`, `()` and
    /// names become wildcards (`None`).
    fn simplify(
        &self,
        mut pat: Option<PatId>,
        occ: OccId,
        bindings: &mut Vec<(LocalId, OccId)>,
    ) -> Option<PatId> {
        while let Some(p) = pat {
            match self.program.pat(p).kind {
                PatKind::Wildcard | PatKind::Error | PatKind::Lit(Lit::Unit) => return None,
                PatKind::Bind(local) => {
                    bindings.push((local, occ));
                    return None;
                }
                PatKind::As(inner, local) => {
                    bindings.push((local, occ));
                    pat = Some(inner);
                }
                _ => return Some(p),
            }
        }
        None
    }

    /// Switches on column `j`: a case per constructor in it (in order of appearance), and the
    /// wildcard rows as the default unless the constructors are complete.
    fn switch(&mut self, cols: &[OccId], rows: Vec<Row>, j: usize) -> Decision {
        let occ = cols[j];
        let mut expanded = Vec::with_capacity(rows.len());
        for row in rows {
            self.expand_or(row, j, occ, &mut expanded);
        }
        let rows = expanded;
        let mut ctors: Vec<(Ctor, PatId)> = Vec::new();
        for p in rows.iter().filter_map(|r| r.pats[j]) {
            let c = self.ctor(p);
            if !ctors.iter().any(|(d, _)| *d == c) {
                ctors.push((c, p));
            }
        }
        let complete = self.is_complete(&ctors);
        let mut cases = Vec::with_capacity(ctors.len());
        for (ctor, example) in ctors {
            let fields = self.fields(occ, &ctor, example);
            let sub_cols = splice(cols, j, &fields);
            let sub_rows = rows
                .iter()
                .filter_map(|row| {
                    let args = match row.pats[j] {
                        None => vec![None; fields.len()],
                        Some(p) if self.ctor(p) == ctor => self.args(p, fields.len()),
                        Some(_) => return None,
                    };
                    Some(Row {
                        pats: splice(&row.pats, j, &args),
                        bindings: row.bindings.clone(),
                        arm: row.arm,
                    })
                })
                .collect();
            let then = self.compile(&sub_cols, sub_rows);
            cases.push(Case { ctor, fields, then });
        }
        let default = (!complete).then(|| {
            let sub_rows = rows
                .iter()
                .filter(|row| row.pats[j].is_none())
                .map(|row| Row {
                    pats: splice(&row.pats, j, &[]),
                    bindings: row.bindings.clone(),
                    arm: row.arm,
                })
                .collect();
            Box::new(self.compile(&splice(cols, j, &[]), sub_rows))
        });
        Decision::Switch {
            occ,
            cases,
            default,
        }
    }

    /// Pushes `row`, or one row per alternative when its pattern in column `j` is an
    /// or-pattern (in order, so the first matching alternative wins).
    fn expand_or(&self, row: Row, j: usize, occ: OccId, out: &mut Vec<Row>) {
        let program = self.program;
        match row.pats[j].map(|p| &program.pat(p).kind) {
            Some(PatKind::Or(alts)) => {
                for &alt in alts {
                    let mut r = row.clone();
                    r.pats[j] = self.simplify(Some(alt), occ, &mut r.bindings);
                    self.expand_or(r, j, occ, out);
                }
            }
            _ => out.push(row),
        }
    }

    fn ctor(&self, p: PatId) -> Ctor {
        match &self.program.pat(p).kind {
            PatKind::Tuple(_) => Ctor::Tuple,
            PatKind::Variant { variant, .. } => Ctor::Variant(*variant),
            PatKind::Cons(..) => Ctor::Cons,
            PatKind::Lit(Lit::Int(n)) => Ctor::Int(*n),
            PatKind::Lit(Lit::Float(x)) => Ctor::Float(*x),
            PatKind::Lit(Lit::Bool(b)) => Ctor::Bool(*b),
            PatKind::Lit(Lit::Str(s) | Lit::Atom(s) | Lit::Regex(s)) => Ctor::Str(s.clone()),
            other => panic!("compiler bug: pattern {other:?} left after simplification"),
        }
    }

    fn is_complete(&self, ctors: &[(Ctor, PatId)]) -> bool {
        match ctors.first() {
            Some((Ctor::Tuple, _)) => true,
            Some((Ctor::Bool(_), _)) => ctors.len() == 2,
            Some((Ctor::Variant(_), p)) => match self.program.pat(*p).kind {
                PatKind::Variant { adt, .. } => {
                    ctors.len() == self.program.adt(adt).variants().len()
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// The sub-patterns of `p` for the columns of its constructor's `arity` fields.
    fn args(&self, p: PatId, arity: usize) -> Vec<Option<PatId>> {
        match &self.program.pat(p).kind {
            PatKind::Tuple(ps) => ps.iter().copied().map(Some).collect(),
            // A nullary variant, or `Ok ->` matching any payload.
            PatKind::Variant { args, .. } if args.is_empty() => vec![None; arity],
            PatKind::Variant { args, .. } => args.iter().copied().map(Some).collect(),
            PatKind::Cons(head, tail) => vec![Some(*head), Some(*tail)],
            _ => vec![],
        }
    }

    /// New occurrences for the fields of `ctor` at `occ` (a tuple expression's parts are its
    /// fields already).
    fn fields(&mut self, occ: OccId, ctor: &Ctor, example: PatId) -> Vec<OccId> {
        let ty = self.occs[occ.0 as usize].ty;
        let kind = self.types.kind(self.types.shallow(ty)).clone();
        if let (Ctor::Tuple, Source::Parts(parts)) = (ctor, &self.occs[occ.0 as usize].source) {
            return parts.clone();
        }
        let tys: Vec<TyId> = match (ctor, kind) {
            (Ctor::Tuple, TyKind::Tuple(elems)) => elems,
            (Ctor::Variant(v), TyKind::Con(_, args)) => {
                let PatKind::Variant { adt, .. } = self.program.pat(example).kind else {
                    panic!("compiler bug: a variant constructor from a non-variant pattern");
                };
                let declared = self.program.adt(adt).variants()[*v as usize].fields.clone();
                declared
                    .iter()
                    .map(|&f| self.types.instantiate(f, &args))
                    .collect()
            }
            (Ctor::Cons, TyKind::Con(_, args)) => {
                let head = self.occ(args[0], Source::Head(occ));
                let tail = self.occ(ty, Source::Tail(occ));
                return vec![head, tail];
            }
            (Ctor::Tuple | Ctor::Variant(_) | Ctor::Cons, other) => {
                panic!("compiler bug: {ctor:?} pattern on a value of type {other:?}")
            }
            _ => return vec![],
        };
        // A variant's payload starts after its tag.
        let base = u32::from(matches!(ctor, Ctor::Variant(_)));
        tys.into_iter()
            .enumerate()
            .map(|(i, t)| {
                let index = base + i as u32;
                self.occ(t, Source::Field { of: occ, index })
            })
            .collect()
    }
}

/// Of the columns where the first row tests something, the one needed by the longest run of
/// rows from the top (the leftmost on a tie); `None` when the first row is all wildcards.
fn pick_column(rows: &[Row]) -> Option<usize> {
    let first = &rows[0];
    (0..first.pats.len())
        .filter(|&j| first.pats[j].is_some())
        .max_by_key(|&j| {
            let run = rows.iter().take_while(|r| r.pats[j].is_some()).count();
            (run, Reverse(j))
        })
}

/// `items` with the element at `j` replaced by `with`.
fn splice<T: Clone>(items: &[T], j: usize, with: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len() + with.len());
    out.extend_from_slice(&items[..j]);
    out.extend_from_slice(with);
    out.extend_from_slice(&items[j + 1..]);
    out
}

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
    /// The block reached when no arm matches, created on first use.
    fail: Option<BlockId>,
}

impl FnBuilder<'_, '_> {
    /// Matches `scrutinee` (of type `ty`) against `arms` with a decision tree. For each arm
    /// some value can reach, `on_match` is called once with the arm's index in a block where
    /// its bindings are bound and its guard held; `on_fail` in the block reached when no arm
    /// matches (if any path does). Both must end their block.
    pub(super) fn match_arms(
        &mut self,
        scrutinee: Scrutinee,
        ty: TyId,
        arms: &[hir::Arm],
        mut on_match: impl FnMut(&mut Self, usize),
        on_fail: impl FnOnce(&mut Self),
    ) {
        let mut builder = TreeBuilder {
            program: self.ctx.program,
            types: &mut *self.ctx.types,
            occs: Vec::new(),
            guarded: arms.iter().map(|a| a.guard.is_some()).collect(),
        };
        let root = match scrutinee {
            Scrutinee::Value(v) => builder.occ(ty, Source::Given(v)),
            Scrutinee::Parts(parts) => {
                let TyKind::Tuple(elems) = builder.types.kind(builder.types.shallow(ty)).clone()
                else {
                    panic!("compiler bug: a tuple expression without a tuple type");
                };
                let parts = parts
                    .into_iter()
                    .zip(elems)
                    .map(|(v, t)| builder.occ(t, Source::Given(v)))
                    .collect();
                builder.occ(ty, Source::Parts(parts))
            }
        };
        let rows = arms
            .iter()
            .enumerate()
            .map(|(arm, a)| Row {
                pats: vec![Some(a.pat)],
                bindings: Vec::new(),
                arm,
            })
            .collect();
        let tree = builder.compile(&[root], rows);
        let occs = builder.occs;

        let mut used = vec![false; occs.len()];
        mark_used(&tree, &occs, &mut used);
        let mut leaves = vec![0usize; arms.len()];
        count_leaves(&tree, &mut leaves);
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
        let mut m = Emission {
            occs,
            values,
            used,
            arms: targets,
            fail: None,
        };
        self.emit_decision(&mut m, &tree);

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
                    .zip(&blocks)
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
                self.equality_chain(value, cases, &blocks, default_block);
            }
            Ctor::Tuple => panic!("compiler bug: a tuple switch with a default"),
        }
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

    /// The block a switch jumps to for `d`: an arm's or the failure block itself when `d`
    /// needs no code of its own (see `direct`), else a new block.
    fn target(&mut self, m: &mut Emission, d: &Decision) -> BlockId {
        match direct(d) {
            Some(Direct::Arm(arm)) => m.arms[arm].as_ref().expect("a reached arm has blocks").body,
            Some(Direct::Fail) => self.fail_block(m),
            None => self.new_block(),
        }
    }

    fn fail_block(&mut self, m: &mut Emission) -> BlockId {
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
        let desc = self.ctx.desc_of(m.occs[i].ty);
        self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: AllocKind::Tuple,
                desc,
                fields,
            },
        )
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

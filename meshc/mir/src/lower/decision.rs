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
//! 2. **Emitting** (`FnBuilder::match_arms` in `decision/emit.rs`). A switch on variant tags
//!    or Ints is one MIR `Switch`; Bools and lists (`h :: t` against the rest) a `Branch`;
//!    Floats and Strings a chain of equality tests. A case's fields are loaded in its block, and only those some
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
//! Size: arm bodies and guards are never copied, but a tree's tests can grow exponentially for
//! contrived matrices (a wildcard row is copied into every case of a switch above it, and
//! nested or-patterns multiply rows). So each tree has a budget of nodes, linear in its arms;
//! a match whose tree exceeds it is split into *chunks* of consecutive arms, each a tree whose
//! failure goes on with the next chunk (halving until every chunk fits), and an arm whose tree
//! alone is too big is tested part by part like a `let` pattern. Code size stays linear in the
//! number of arms.
//!
//! `receive` uses the same trees on the message where it sits in the mailbox; the arm that
//! matches takes the message and binds its pattern again to the copy (`actors.rs`).

mod emit;

use crate::Operand;
use mesh_sema::hir::{self, Lit, LocalId, PatId, PatKind};
use mesh_sema::ty::{TyId, TyKind, Types};
use std::cmp::Reverse;
use std::ops::Range;

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
    /// Nodes of the tree being built, and how many it may have.
    nodes: usize,
    budget: usize,
}

/// Nodes a tree may have: a base plus a number per arm (see "Size" above).
const BASE_NODES: usize = 256;
const NODES_PER_ARM: usize = 64;

/// Consecutive arms matched together.
enum Chunk {
    /// A tree over the chunk's arms; its `Fail` goes on with the next chunk.
    Tree(Decision),
    /// One arm whose tree alone exceeds the budget: its pattern is tested part by part.
    Sequential(usize),
}

/// The decision trees of a match, the occurrences they refer to, and its root.
struct Tree {
    occs: Vec<Occ>,
    root: OccId,
    chunks: Vec<Chunk>,
}

/// Builds the decision trees matching `scrutinee` (of concrete type `ty`) against `arms`.
fn build(
    program: &hir::Program,
    types: &mut Types,
    scrutinee: Scrutinee,
    ty: TyId,
    arms: &[hir::Arm],
) -> Tree {
    let mut builder = TreeBuilder {
        program,
        types,
        occs: Vec::new(),
        guarded: arms.iter().map(|a| a.guard.is_some()).collect(),
        nodes: 0,
        budget: 0,
    };
    let root = match scrutinee {
        Scrutinee::Value(v) => builder.occ(ty, Source::Given(v)),
        Scrutinee::Parts(parts) => {
            let TyKind::Tuple(elems) = builder.types.kind(builder.types.shallow(ty)).clone() else {
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
    let chunks = builder.chunks(root, arms, 0..arms.len());
    Tree {
        occs: builder.occs,
        root,
        chunks,
    }
}

impl TreeBuilder<'_> {
    fn occ(&mut self, ty: TyId, source: Source) -> OccId {
        self.occs.push(Occ { ty, source });
        OccId(self.occs.len() as u32 - 1)
    }

    /// One tree for `range` of the arms if it fits the budget, else the chunks of its halves.
    fn chunks(&mut self, root: OccId, arms: &[hir::Arm], range: Range<usize>) -> Vec<Chunk> {
        let rows = range
            .clone()
            .map(|arm| Row {
                pats: vec![Some(arms[arm].pat)],
                bindings: Vec::new(),
                arm,
            })
            .collect();
        let occs_before = self.occs.len();
        self.nodes = 0;
        self.budget = BASE_NODES + NODES_PER_ARM * range.len();
        let tree = self.compile(&[root], rows);
        if self.nodes <= self.budget {
            return vec![Chunk::Tree(tree)];
        }
        // Only the abandoned tree refers to the occurrences created since.
        self.occs.truncate(occs_before);
        if range.len() == 1 {
            return vec![Chunk::Sequential(range.start)];
        }
        let middle = range.start + range.len() / 2;
        let mut chunks = self.chunks(root, arms, range.start..middle);
        chunks.extend(self.chunks(root, arms, middle..range.end));
        chunks
    }

    fn compile(&mut self, cols: &[OccId], mut rows: Vec<Row>) -> Decision {
        self.nodes += 1;
        if self.nodes > self.budget {
            // Over budget: the caller discards this tree, so stop building it.
            return Decision::Fail;
        }
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
            // A struct's fields sit where a tuple's do.
            PatKind::Tuple(_) | PatKind::Struct { .. } => Ctor::Tuple,
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
            PatKind::Tuple(ps) | PatKind::Struct { fields: ps, .. } => {
                ps.iter().copied().map(Some).collect()
            }
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
            (Ctor::Tuple, TyKind::Adt(_, args)) => {
                let PatKind::Struct { adt, .. } = self.program.pat(example).kind else {
                    panic!("compiler bug: a tuple constructor on a non-tuple type");
                };
                let hir::AdtKind::Struct { fields } = &self.program.adt(adt).kind else {
                    panic!("compiler bug: a struct pattern of a non-struct type");
                };
                fields
                    .iter()
                    .map(|f| self.types.instantiate(f.ty, &args))
                    .collect()
            }
            (Ctor::Variant(v), TyKind::Adt(_, args)) => {
                let PatKind::Variant { adt, .. } = self.program.pat(example).kind else {
                    panic!("compiler bug: a variant constructor from a non-variant pattern");
                };
                let declared = self.program.adt(adt).variants()[*v as usize].fields.clone();
                declared
                    .iter()
                    .map(|&f| self.types.instantiate(f, &args))
                    .collect()
            }
            (Ctor::Cons, TyKind::Builtin(_, args)) => {
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

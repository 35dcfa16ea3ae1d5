//! mesh_mir: the mid-level IR between the type checker and LLVM. A program is a set of
//! monomorphic functions; each function is a list of basic blocks over typed local slots.
//! Runtime calls are explicit (by `mesh_rt_abi` symbol). `lower` builds it from the checked
//! HIR (instantiating generic functions per use, turning self tail calls into jumps, matching
//! with decision trees) and drops unreachable blocks (`passes`), `verify` checks its
//! invariants, and `Display` prints it (`--dump=mir`).
#![forbid(unsafe_code)]
#![deny(clippy::iter_over_hash_type)]

pub mod analysis;
pub mod lower;
pub mod opt;
mod passes;
mod print;
pub mod verify;

/// Machine-level type of a local or constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ty {
    Int,
    Float,
    Bool,
    /// `()`: carried as a byte 0 so every value has a representation.
    Unit,
    /// A pointer to a heap object (strings today).
    Ptr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FnId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Local(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// Index of a run-time type descriptor in `Program::descs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DescId(pub u32);

/// A run-time type descriptor to emit as constant data (`mesh_rt_abi::TypeDesc`).
#[derive(Debug, Clone, PartialEq)]
pub struct Desc {
    /// `mesh_rt_abi::layout::TY_*`.
    pub kind: u32,
    pub name: String,
    pub items: Vec<DescId>,
    /// Field names (structs, named variant payloads); empty when there are none.
    pub names: Vec<String>,
    /// Functions calling the type's user impls (structs and sum types only).
    pub user: UserFns,
}

/// The generated functions behind `mesh_rt_abi::UserFns`: each of the C convention, calling a
/// struct's or sum type's user impl method, so the runtime uses it for values inside
/// collections. `None` where the type has no such impl.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserFns {
    /// `(word) -> String`: `Display.to_string`.
    pub display: Option<FnId>,
    /// `(word, word) -> Int`, 1 when equal: `Eq.eq`.
    pub eq: Option<FnId>,
    /// `(word, word) -> Int`, -1, 0 or 1: `Ord.compare`.
    pub compare: Option<FnId>,
    /// `(word) -> Int`: `Hash.hash`.
    pub hash: Option<FnId>,
}

/// What kind of heap object an `Alloc` builds (layouts in `mesh_rt_abi::layout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocKind {
    /// Tuples and structs: the fields are the payload.
    Tuple,
    /// A sum-type value: payload word 0 is the tag, then the fields.
    Variant(u32),
    /// A closure: payload word 0 is the code of this function, then the captures.
    Closure(FnId),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    Int(i64),
    Float(f64),
    Bool(bool),
    Unit,
    /// A string literal, emitted as a static string object.
    Str(String),
    /// The address of a type descriptor.
    Desc(DescId),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Local(Local),
    Const(Const),
}

/// Arithmetic and comparison on two operands of the same `Ty` (Int, Float, Bool or Unit).
/// Int `Div`/`Rem` panic on a zero divisor and wrap for `i64::MIN / -1` (spec §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rvalue {
    Use(Operand),
    Binary(BinOp, Operand, Operand),
    /// Arithmetic negation (Int wraps).
    Neg(Operand),
    /// Boolean not.
    Not(Operand),
    Call(FnId, Vec<Operand>),
    /// A call of a runtime function by its `mesh_rt_abi` symbol.
    Runtime(&'static str, Vec<Operand>),
    /// A call of a runtime function with `args`, then the address and count of `words`
    /// (Int-typed operands) laid out in a stack buffer: `func(args…, words_ptr, words_len)`.
    /// The buffer is only valid for the call (list literals: one runtime call, one list).
    RuntimeWords {
        func: &'static str,
        args: Vec<Operand>,
        words: Vec<Operand>,
    },
    /// Allocates and fills a heap object; `desc` goes in its header.
    Alloc {
        kind: AllocKind,
        desc: DescId,
        fields: Vec<Operand>,
    },
    /// Reads payload word `index` of a heap object as a value of the destination's type.
    Load {
        object: Operand,
        index: u32,
    },
    /// Calls a closure value: its code gets the closure and the arguments as words and
    /// returns a word, converted to the destination's type.
    CallClosure {
        closure: Operand,
        args: Vec<Operand>,
    },
    /// The value as a 64-bit word (Int-typed destination).
    ToWord(Operand),
    /// A word converted to the destination's type.
    FromWord(Operand),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    Assign(Local, Rvalue),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Terminator {
    Goto(BlockId),
    Branch {
        cond: Operand,
        then_block: BlockId,
        else_block: BlockId,
    },
    /// Multi-way branch on an Int: the block of the case equal to `value`, else `default`.
    /// Case values are distinct. Decision trees switch on sum-type tags and Int literals.
    Switch {
        value: Operand,
        cases: Vec<(i64, BlockId)>,
        default: BlockId,
    },
    Return(Operand),
    /// Control cannot reach here (after a `return` or a never-returning call).
    Unreachable,
}

impl Terminator {
    /// The blocks control can go to next.
    pub fn successors(&self) -> Vec<BlockId> {
        match self {
            Terminator::Goto(b) => vec![*b],
            Terminator::Branch {
                then_block,
                else_block,
                ..
            } => vec![*then_block, *else_block],
            Terminator::Switch { cases, default, .. } => {
                let mut targets: Vec<BlockId> = cases.iter().map(|(_, b)| *b).collect();
                targets.push(*default);
                targets
            }
            Terminator::Return(_) | Terminator::Unreachable => vec![],
        }
    }

    /// Applies `f` to every block this terminator can go to.
    pub fn map_targets(&mut self, mut f: impl FnMut(&mut BlockId)) {
        match self {
            Terminator::Goto(b) => f(b),
            Terminator::Branch {
                then_block,
                else_block,
                ..
            } => {
                f(then_block);
                f(else_block);
            }
            Terminator::Switch { cases, default, .. } => {
                cases.iter_mut().for_each(|(_, b)| f(b));
                f(default);
            }
            Terminator::Return(_) | Terminator::Unreachable => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub terminator: Terminator,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// The symbol: `Module.name` plus `<Types>` for generic instances.
    pub name: String,
    pub params: Vec<Local>,
    pub ret: Ty,
    /// Type of every local slot; params are the first `params.len()` locals.
    pub locals: Vec<Ty>,
    /// `blocks[0]` is the entry.
    pub blocks: Vec<Block>,
    /// Closure code and adapters follow the C calling convention (the runtime calls them);
    /// other functions use it too unless a cycle of tail calls runs through them
    /// (`analysis::needs_tail_convention`).
    pub is_closure_code: bool,
    /// The parameters whose values are structs, with their layout: what
    /// `opt::scalarize_loop_params` needs to pass them as fields around a loop.
    pub struct_params: Vec<StructParam>,
}

/// A parameter holding a struct: its descriptor and the machine types of its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct StructParam {
    pub local: Local,
    pub desc: DescId,
    pub fields: Vec<Ty>,
}

impl Function {
    pub fn local_ty(&self, l: Local) -> Ty {
        self.locals[l.0 as usize]
    }

    pub fn operand_ty(&self, op: &Operand) -> Ty {
        match op {
            Operand::Local(l) => self.local_ty(*l),
            Operand::Const(c) => match c {
                Const::Int(_) => Ty::Int,
                Const::Float(_) => Ty::Float,
                Const::Bool(_) => Ty::Bool,
                Const::Unit => Ty::Unit,
                Const::Str(_) | Const::Desc(_) => Ty::Ptr,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub fns: Vec<Function>,
    pub descs: Vec<Desc>,
    /// The program's `main`.
    pub entry: FnId,
    /// The clustered declarations registered before `main` runs (runtime-cluster §4.1):
    /// codegen emits one `mesh_rt_cluster_declare` per row at the start of the entry.
    pub clustered: Vec<ClusterEntry>,
    /// A `meshc test` executable: `mesh_rt_cluster_test_build()` is emitted first.
    pub test_build: bool,
    /// The functions other nodes may start by name (`Node.spawn`).
    pub spawn_table: Vec<SpawnEntry>,
}

/// One registration: `mesh_rt_cluster_declare(name, entry, count, kind)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterEntry {
    /// `<Module>.<fn>`.
    pub name: String,
    /// The generated thunk (C convention, `is_closure_code`): kind 0 `fn() -> ()`; kinds 1
    /// and 2 the closure convention `fn(closure, arg words…) -> word` of a capture-free
    /// closure over the function.
    pub entry: FnId,
    pub count: i64,
    /// 0 startup work, 1 clustered route handler, 2 other declared work.
    pub kind: i64,
}

/// A row of the function table (runtime `dist/spawn.rs`): a node receiving `SPAWN` for
/// `name` builds a closure of `code` over the arguments decoded by `args`.
#[derive(Debug, Clone, PartialEq)]
pub struct SpawnEntry {
    /// The target's instance name (`Main.worker`, `Main.id<Int>`), or the spawn code's own
    /// name when the target is a closure value (which cannot cross: its encoding fails).
    pub name: String,
    /// Closure code: loads `count` captures and calls the target.
    pub code: FnId,
    /// The arguments as one tuple.
    pub args: DescId,
    pub count: u32,
}

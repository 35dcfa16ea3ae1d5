//! The high-level IR: the AST with names resolved and surface sugar removed (pipes become
//! calls; interpolation is an explicit node; constructors and struct literals are resolved to
//! their type). Expressions, patterns and locals live in arenas indexed by `ExprId`, `PatId`
//! and `LocalId`; after type checking every one of them has a type (see `typeck`).

use crate::builtins::Builtin;
use crate::ty::TyId;
use mesh_syntax::ast::{BinOp, UnOp};
use mesh_syntax::span::Span;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExprId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatId(pub u32);
/// A user or built-in struct or sum type.
pub use crate::ty::AdtId;

/// What impls are found by: the identity of a type, without its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeKey {
    Int,
    Float,
    Bool,
    String,
    Adt(AdtId),
    Builtin(crate::ty::BuiltinTy),
}

impl TypeKey {
    /// The name diagnostics and impl method names show (`Point`, `Geo.Point`, `Int`).
    pub fn name(self, types: &crate::ty::Types) -> String {
        match self {
            TypeKey::Int => "Int".into(),
            TypeKey::Float => "Float".into(),
            TypeKey::Bool => "Bool".into(),
            TypeKey::String => "String".into(),
            TypeKey::Adt(id) => types.adt_name(id).to_string(),
            TypeKey::Builtin(b) => b.name().to_string(),
        }
    }

    /// The stdlib module whose functions are the methods of values of this type
    /// (`"a".length()` is `String.length("a")`).
    pub fn stdlib_module(self) -> Option<&'static str> {
        use crate::ty::BuiltinTy as B;
        match self {
            TypeKey::Int => Some("Int"),
            TypeKey::Float => Some("Float"),
            TypeKey::String => Some("String"),
            TypeKey::Builtin(
                b @ (B::List
                | B::Map
                | B::Set
                | B::Range
                | B::Queue
                | B::Iter
                | B::Regex
                | B::DateTime
                | B::Json),
            ) => Some(b.name()),
            TypeKey::Builtin(B::SqliteConn) => Some("Sqlite"),
            _ => None,
        }
    }

    /// The type this key names, with the given arguments.
    pub fn ty(self, types: &mut crate::ty::Types, args: Vec<TyId>) -> TyId {
        match self {
            TypeKey::Int => types.int(),
            TypeKey::Float => types.float(),
            TypeKey::Bool => types.bool(),
            TypeKey::String => types.string(),
            TypeKey::Adt(id) => types.adt(id, args),
            TypeKey::Builtin(b) => types.builtin(b, args),
        }
    }
}

/// A top-level function.
#[derive(Debug, Clone)]
pub struct FnDecl {
    pub name: String,
    /// Number of parameters (known from the declaration, before the body is lowered).
    pub arity: usize,
    /// Module that defines it (`Main`, `Api.Router`).
    pub module: String,
    pub is_pub: bool,
    /// An `actor` (or a service's generated loop): its body may `receive` and use `self()`,
    /// and its type records its message type (`Fun(params) -> Actor<M>`, see typeck).
    pub actor: bool,
    pub params: Vec<LocalId>,
    pub param_spans: Vec<Span>,
    pub body: ExprId,
    pub span: Span,
    pub name_span: Span,
    /// Arena ranges filled while lowering this function (closures inside included).
    pub exprs: Range<u32>,
    pub locals: Range<u32>,
    pub pats: Range<u32>,
}

impl FnDecl {
    /// The readable qualified name, also the base of the symbol name.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.module, self.name)
    }
}

#[derive(Debug, Clone)]
pub struct LocalDecl {
    pub name: String,
    pub span: Span,
}

/// A struct field or a variant.
#[derive(Debug, Clone)]
pub struct FieldDef {
    pub name: String,
    /// Declared type; the ADT's type parameters appear as `Gen(i)`.
    pub ty: TyId,
}

#[derive(Debug, Clone)]
pub struct VariantDef {
    pub name: String,
    /// Payload types (`Gen(i)` for the ADT's type parameters).
    pub fields: Vec<TyId>,
    /// Field names for named payloads.
    pub field_names: Vec<Option<String>>,
}

#[derive(Debug, Clone)]
pub enum AdtKind {
    Struct { fields: Vec<FieldDef> },
    Sum { variants: Vec<VariantDef> },
}

#[derive(Debug, Clone)]
pub struct AdtDef {
    /// Display name (`Shape`; module-qualified when not from the entry module).
    pub name: String,
    pub module: String,
    pub is_pub: bool,
    pub generics: Vec<String>,
    pub kind: AdtKind,
    /// `deriving(...)` list; `None` without a clause.
    pub deriving: Option<Vec<String>>,
    pub span: Span,
}

impl AdtDef {
    pub fn variants(&self) -> &[VariantDef] {
        match &self.kind {
            AdtKind::Sum { variants } => variants,
            AdtKind::Struct { .. } => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Unit,
    /// `:name`; at run time the name as a string (stdlib spec §0.2).
    Atom(String),
    /// `~r/pattern/flags`, checked by the lexer; the runtime Regex value's source: the pattern
    /// behind inline flags (`(?i)…`) when the literal has flags (stdlib spec §15).
    Regex(String),
}

#[derive(Debug, Clone)]
pub enum InterpPart {
    Text(String),
    Expr(ExprId),
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Let { pat: PatId, value: ExprId },
    Expr(ExprId),
}

#[derive(Debug, Clone)]
pub struct Arm {
    pub pat: PatId,
    pub guard: Option<ExprId>,
    pub body: ExprId,
}

#[derive(Debug, Clone)]
pub enum PatKind {
    Wildcard,
    Bind(LocalId),
    Lit(Lit),
    Tuple(Vec<PatId>),
    /// A variant of a sum type; `args` empty for nullary (or payload-ignoring `Ok ->`, in which
    /// case `any_payload` is set).
    Variant {
        adt: AdtId,
        variant: u32,
        args: Vec<PatId>,
        any_payload: bool,
    },
    /// `Down { reason, .. }`: one pattern per declared field, in declaration order (`_` for
    /// the fields not written). Only the built-in `Down` and `Exit` (stdlib §16.2).
    Struct {
        adt: AdtId,
        fields: Vec<PatId>,
    },
    /// `head :: tail` on a list.
    Cons(PatId, PatId),
    Or(Vec<PatId>),
    /// `p as name`: matches `p` and binds the whole value.
    As(PatId, LocalId),
    /// Already reported.
    Error,
}

#[derive(Debug, Clone)]
pub struct Pat {
    pub kind: PatKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Lit(Lit),
    Local(LocalId),
    Fn(DefId),
    Builtin(Builtin),
    Call {
        callee: ExprId,
        args: Vec<ExprId>,
    },
    Binary {
        op: BinOp,
        lhs: ExprId,
        rhs: ExprId,
    },
    Unary {
        op: UnOp,
        operand: ExprId,
    },
    If {
        cond: ExprId,
        then_branch: ExprId,
        else_branch: Option<ExprId>,
    },
    /// Statements then an optional tail expression (the block's value; `()` without one).
    Block {
        stmts: Vec<Stmt>,
        tail: Option<ExprId>,
    },
    Interp(Vec<InterpPart>),
    Tuple(Vec<ExprId>),
    List(Vec<ExprId>),
    /// A struct literal (fields in declaration order) or a variant constructor applied to its
    /// payload.
    Construct {
        adt: AdtId,
        variant: Option<u32>,
        args: Vec<ExprId>,
    },
    /// `a.b` on a value: the field index is resolved by the type checker.
    Field {
        base: ExprId,
        name: String,
        name_span: Span,
    },
    /// `%{base | f: v}`: field names resolved by the type checker.
    StructUpdate {
        base: ExprId,
        fields: Vec<(String, ExprId, Span)>,
    },
    /// `case`; `clauses_of` names the function (`fact/1`) when this is the clause dispatch of
    /// a multi-clause function (its run-time failure message differs).
    Case {
        scrutinee: ExprId,
        arms: Vec<Arm>,
        clauses_of: Option<String>,
    },
    /// Postfix `?` on a Result or Option.
    Try(ExprId),
    /// A variant constructor with a payload used as a function value (`List.map(xs, Some)`).
    VariantFn {
        adt: AdtId,
        variant: u32,
    },
    /// The method `method` of `interface` on a value whose type is a type parameter bounded
    /// by it (`where T: Show`, spec §5.4): the callee of a `MethodCall`, resolved to the
    /// impl method of each instance's concrete type by MIR lowering.
    BoundMethod {
        interface: String,
        method: String,
    },
    /// `Type.method` (`W.from`) when several impls of the type define `method` (`From<Int>`
    /// and `From<String>`): the checker picks the impl from the argument types and replaces
    /// this with `Fn`; MIR never sees it.
    ImplMethod {
        target: TypeKey,
        method: String,
    },
    /// `%{k => v, …}`
    Map(Vec<(ExprId, ExprId)>),
    /// `for` (spec §4.8): one pattern, or two for `{k, v}` over a map; always a list.
    For {
        pats: Vec<PatId>,
        iter: ForIter,
        filter: Option<ExprId>,
        body: ExprId,
    },
    /// `json { key: value, … }` with members sorted by key (duplicates keep the last).
    Json(Vec<(String, ExprId)>),
    /// `while cond do body end` (value `()`).
    While {
        cond: ExprId,
        body: ExprId,
    },
    /// `break` / `continue` of the innermost loop.
    Break,
    Continue,
    /// `receiver.method(args)`: `callee` is a placeholder the type checker turns into the
    /// resolved function (`Fn`) or stdlib builtin (`Builtin`); the call passes the receiver
    /// first.
    MethodCall {
        receiver: ExprId,
        method: String,
        method_span: Span,
        args: Vec<ExprId>,
        callee: ExprId,
    },
    /// A closure: parameters, body, and the enclosing locals it captures (by value). A nested
    /// `fn` (spec §4.1) also has `self_local`, the local its own name denotes inside its body
    /// (bound to the closure itself, so it can recurse), and its return annotation.
    Closure {
        params: Vec<LocalId>,
        body: ExprId,
        captures: Vec<LocalId>,
        self_local: Option<LocalId>,
        ret: Option<Annotation>,
    },
    Return(Option<ExprId>),
    /// `spawn(target, args…)`: starts an actor (or any function) in a new process.
    Spawn {
        target: ExprId,
        args: Vec<ExprId>,
    },
    /// `Node.spawn(node, target, args…)` / `Node.spawn_link(…)` (stdlib §17.1): `spawn` on
    /// another node; `target` must be a named function (it crosses by name).
    NodeSpawn {
        node: ExprId,
        target: ExprId,
        args: Vec<ExprId>,
        link: bool,
    },
    /// `self()` in an actor body (or `main`).
    SelfPid,
    /// `receive do arms [after ms -> body] end`.
    Receive {
        arms: Vec<Arm>,
        after: Option<(ExprId, ExprId)>,
    },
    /// An expression that failed to resolve; already reported.
    Error,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Annotation recorded during lowering and checked by the type checker.
#[derive(Debug, Clone)]
pub struct Annotation {
    pub ty: TyId,
    pub span: Span,
}

/// What a `for` iterates.
#[derive(Debug, Clone, Copy)]
pub enum ForIter {
    /// `a..b` written in the header: Ints from a up to b (exclusive).
    Range(ExprId, ExprId),
    /// A List, Set or Map value.
    Value(ExprId),
}

/// An `impl Interface for Type`: the methods it defines, by name.
#[derive(Debug, Clone)]
pub struct ImplDef {
    pub interface: String,
    /// The interface's type arguments (`impl From<Int> for W` → `[Int]`): impls are keyed by
    /// interface, arguments and target, so a type may have `From<Int>` and `From<String>`.
    pub interface_args: Vec<TyId>,
    /// The receiver type's key: `Int`, `String`, or a user type.
    pub target: TypeKey,
    pub methods: Vec<(String, DefId)>,
    pub span: Span,
}

/// A declared interface's methods and their types (spec §3.6), for calls through `where`
/// bounds: `Fun(params) -> ret` with `self` and `Self` as `Gen(0)`; parameters whose type is
/// not stated (or names an associated type) are further `Gen`s.
#[derive(Debug, Clone)]
pub struct InterfaceSig {
    pub name: String,
    /// (method name, type, number of `Gen`s in it).
    pub methods: Vec<(String, TyId, u32)>,
}

/// The whole program in HIR form plus, after type checking, its types.
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub fns: Vec<FnDecl>,
    pub adts: Vec<AdtDef>,
    pub impls: Vec<ImplDef>,
    pub interfaces: Vec<InterfaceSig>,
    /// `where T: Interface` bounds per function: the parameter's type (an inference variable
    /// while its function is checked, `Gen(i)` of its scheme afterwards) and the interface.
    pub fn_bounds: std::collections::BTreeMap<DefId, Vec<(TyId, String)>>,
    /// Declared type parameters per function (`fn id<T>`) with their variables, so
    /// diagnostics can name them.
    pub fn_generics: std::collections::BTreeMap<DefId, Vec<(String, TyId)>>,
    pub exprs: Vec<Expr>,
    pub pats: Vec<Pat>,
    pub locals: Vec<LocalDecl>,
    /// Parameter/`let` annotations by local.
    pub local_annotations: Vec<Option<Annotation>>,
    /// Return annotations by function.
    pub ret_annotations: Vec<Option<Annotation>>,
    /// The entry function (`main` of the entry module).
    pub entry: Option<DefId>,
    /// Filled by typeck: the type of each expression, with generalised variables as `Gen`
    /// of the enclosing function.
    pub expr_types: Vec<TyId>,
    /// Filled by typeck: the type of each local.
    pub local_types: Vec<TyId>,
    /// Filled by typeck: the type of each pattern.
    pub pat_types: Vec<TyId>,
    /// Filled by typeck: the field index of each `Field` expression (by ExprId), and the
    /// per-field source expression of each `StructUpdate` (`None` = copy from the base).
    pub field_index: Vec<u32>,
    pub update_fields: Vec<Vec<Option<ExprId>>>,
    /// Filled by typeck: for a `?` whose error is converted, the `from` method doing it.
    pub try_from: Vec<Option<DefId>>,
    /// Filled by typeck: each function's generalised type and its number of type parameters.
    pub fn_types: Vec<(TyId, u32)>,
    /// Filled by typeck: the `let` bindings it generalised (let-polymorphism), by local.
    pub local_schemes: std::collections::BTreeMap<LocalId, LocalScheme>,
    /// The clustered declarations of the package (runtime-cluster §4.1, §7): every `@cluster`
    /// function and every `HTTP.clustered` route handler, by runtime name, in source order
    /// (collected by `lower/cluster.rs`).
    pub clustered: Vec<ClusterDecl>,
}

/// What a clustered declaration is (the `kind` of `mesh_rt_cluster_declare`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterKind {
    /// A `pub fn` with zero parameters: run once at start-up (kind 0).
    Startup,
    /// A handler of `HTTP.clustered` (kind 1), never startup work.
    Route,
    /// Other `@cluster` work (parameters; run only through `Continuity`, kind 2).
    Other,
}

/// One clustered declaration: the function `def` under `runtime_name` (`Work.add`), with its
/// replication count (default 2).
#[derive(Debug, Clone)]
pub struct ClusterDecl {
    pub runtime_name: String,
    pub def: DefId,
    pub count: i64,
    pub kind: ClusterKind,
    /// The `@cluster` attribute, or the first `HTTP.clustered` call naming the handler.
    pub span: Span,
}

/// A generalised `let` (`let id = fn x -> x end`): its type (`Program::local_ty`) quantifies
/// `Gen`s numbered after those of the enclosing function's scheme, so the types inside its
/// value mention them too. The value is a syntactic value (a closure, a function, a
/// constructor or stdlib function, or another generalised local), so MIR builds it again at
/// each use, with the use's type arguments in those `Gen`s' places.
#[derive(Debug, Clone)]
pub struct LocalScheme {
    pub value: ExprId,
    /// The `Gen` indices the binding quantifies, in the enclosing function's numbering.
    pub gens: Vec<u32>,
}

impl Program {
    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id.0 as usize]
    }
    pub fn pat(&self, id: PatId) -> &Pat {
        &self.pats[id.0 as usize]
    }
    pub fn func(&self, id: DefId) -> &FnDecl {
        &self.fns[id.0 as usize]
    }
    pub fn adt(&self, id: AdtId) -> &AdtDef {
        &self.adts[id.0 as usize]
    }
    pub fn expr_ty(&self, id: ExprId) -> TyId {
        self.expr_types[id.0 as usize]
    }
    pub fn local_ty(&self, id: LocalId) -> TyId {
        self.local_types[id.0 as usize]
    }
    pub fn pat_ty(&self, id: PatId) -> TyId {
        self.pat_types[id.0 as usize]
    }

    /// The direct sub-expressions of `id`, in evaluation order.
    pub fn children(&self, id: ExprId) -> Vec<ExprId> {
        match &self.expr(id).kind {
            ExprKind::Call { callee, args } => std::iter::once(*callee)
                .chain(args.iter().copied())
                .collect(),
            ExprKind::Binary { lhs, rhs, .. } => vec![*lhs, *rhs],
            ExprKind::Unary { operand, .. } => vec![*operand],
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => std::iter::once(*cond)
                .chain(std::iter::once(*then_branch))
                .chain(*else_branch)
                .collect(),
            ExprKind::Block { stmts, tail } => stmts
                .iter()
                .map(|s| match s {
                    Stmt::Let { value, .. } => *value,
                    Stmt::Expr(x) => *x,
                })
                .chain(*tail)
                .collect(),
            ExprKind::Interp(parts) => parts
                .iter()
                .filter_map(|p| match p {
                    InterpPart::Expr(x) => Some(*x),
                    InterpPart::Text(_) => None,
                })
                .collect(),
            ExprKind::Tuple(elems) | ExprKind::List(elems) => elems.clone(),
            ExprKind::Construct { args, .. } => args.clone(),
            ExprKind::Field { base, .. } => vec![*base],
            ExprKind::StructUpdate { base, fields } => std::iter::once(*base)
                .chain(fields.iter().map(|f| f.1))
                .collect(),
            ExprKind::Try(inner) => vec![*inner],
            ExprKind::While { cond, body } => vec![*cond, *body],
            ExprKind::Json(fields) => fields.iter().map(|f| f.1).collect(),
            ExprKind::Map(entries) => entries.iter().flat_map(|(k, v)| [*k, *v]).collect(),
            ExprKind::For {
                iter, filter, body, ..
            } => {
                let mut v = match iter {
                    ForIter::Range(a, b) => vec![*a, *b],
                    ForIter::Value(x) => vec![*x],
                };
                v.extend(filter);
                v.push(*body);
                v
            }
            ExprKind::Break | ExprKind::Continue => vec![],
            ExprKind::MethodCall {
                receiver,
                args,
                callee,
                ..
            } => std::iter::once(*callee)
                .chain(std::iter::once(*receiver))
                .chain(args.iter().copied())
                .collect(),
            ExprKind::Case {
                scrutinee, arms, ..
            } => std::iter::once(*scrutinee)
                .chain(
                    arms.iter()
                        .flat_map(|a| a.guard.into_iter().chain(std::iter::once(a.body))),
                )
                .collect(),
            ExprKind::Closure { body, .. } => vec![*body],
            ExprKind::Return(value) => value.iter().copied().collect(),
            ExprKind::Spawn { target, args } => std::iter::once(*target)
                .chain(args.iter().copied())
                .collect(),
            ExprKind::NodeSpawn {
                node, target, args, ..
            } => [*node, *target]
                .into_iter()
                .chain(args.iter().copied())
                .collect(),
            ExprKind::Receive { arms, after } => arms
                .iter()
                .flat_map(|a| a.guard.into_iter().chain(std::iter::once(a.body)))
                .chain(after.iter().flat_map(|(ms, body)| [*ms, *body]))
                .collect(),
            ExprKind::SelfPid => vec![],
            ExprKind::Lit(_)
            | ExprKind::Local(_)
            | ExprKind::Fn(_)
            | ExprKind::Builtin(_)
            | ExprKind::VariantFn { .. }
            | ExprKind::BoundMethod { .. }
            | ExprKind::ImplMethod { .. }
            | ExprKind::Error => vec![],
        }
    }

    /// The key impls are found by for a (resolved) type.
    pub fn type_key(types: &crate::ty::Types, ty: TyId) -> Option<TypeKey> {
        use crate::ty::TyKind;
        Some(match types.kind(types.shallow(ty)) {
            TyKind::Int => TypeKey::Int,
            TyKind::Float => TypeKey::Float,
            TyKind::Bool => TypeKey::Bool,
            TyKind::String => TypeKey::String,
            TyKind::Adt(id, _) => TypeKey::Adt(*id),
            TyKind::Builtin(b, _) => TypeKey::Builtin(*b),
            _ => return None,
        })
    }

    /// The methods named `method` that impls give the type with key `key`.
    pub fn impl_methods(&self, key: TypeKey, method: &str) -> Vec<(String, DefId)> {
        self.impls
            .iter()
            .filter(|i| i.target == key)
            .filter_map(|i| {
                i.methods
                    .iter()
                    .find(|(m, _)| m == method)
                    .map(|(_, d)| (i.interface.clone(), *d))
            })
            .collect()
    }

    /// The method `method` of the impl of `interface` for the type with key `key`.
    pub fn impl_method(&self, key: TypeKey, interface: &str, method: &str) -> Option<DefId> {
        self.impls
            .iter()
            .find(|i| i.target == key && i.interface == interface)?
            .methods
            .iter()
            .find(|(m, _)| m == method)
            .map(|(_, d)| *d)
    }

    pub(crate) fn add_expr(&mut self, kind: ExprKind, span: Span) -> ExprId {
        self.exprs.push(Expr { kind, span });
        ExprId(u32::try_from(self.exprs.len() - 1).expect("fewer than 2^32 expressions"))
    }

    pub(crate) fn add_pat(&mut self, kind: PatKind, span: Span) -> PatId {
        self.pats.push(Pat { kind, span });
        PatId(u32::try_from(self.pats.len() - 1).expect("fewer than 2^32 patterns"))
    }

    pub(crate) fn add_local(&mut self, name: &str, span: Span, ann: Option<Annotation>) -> LocalId {
        self.locals.push(LocalDecl {
            name: name.to_string(),
            span,
        });
        self.local_annotations.push(ann);
        LocalId(u32::try_from(self.locals.len() - 1).expect("fewer than 2^32 locals"))
    }
}

/// Built-in sum types, registered first so their ids are fixed.
pub const OPTION: AdtId = AdtId::OPTION;
pub const RESULT: AdtId = AdtId::RESULT;
pub const ORDERING: AdtId = AdtId::ORDERING;
/// The monitor message `Down { ref, pid, reason }` (declared after the three above).
pub const DOWN: AdtId = AdtId::DOWN;
/// What a process trapping exits receives: `Exit { pid, reason }`.
pub const EXIT: AdtId = AdtId::EXIT;

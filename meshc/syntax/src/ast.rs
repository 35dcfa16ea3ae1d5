//! The abstract syntax tree: one `Module` per source file, spans on every node. It covers every
//! construct of spec language §6 (all tiers); the grammar actions only build these nodes and
//! mesh_sema gives them meaning (or a diagnostic for what is not supported yet).

use crate::span::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// One parsed source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub items: Vec<Item>,
    pub span: Span,
    /// The file's comments and the attachment of its doc comments (see `comments.rs`).
    pub comments: crate::comments::Comments,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: ItemKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    Fn(Box<FnDef>),
    /// `import A.B`
    Import(Path),
    /// `from A.B import x, y` (also the parenthesised, multi-line form).
    FromImport {
        module: Path,
        names: Vec<Ident>,
    },
    Struct(Box<StructDef>),
    /// `type Name do Variant… end`
    Sum(Box<SumDef>),
    /// `type Name = Type`
    Alias(Box<AliasDef>),
    Interface(Box<InterfaceDef>),
    Impl(Box<ImplDef>),
    Actor(Box<ActorDef>),
    Service(Box<ServiceDef>),
    Supervisor(Box<SupervisorDef>),
    /// `[pub] module Name do items end`
    Module {
        is_pub: bool,
        name: Ident,
        items: Vec<Item>,
    },
    /// Test files (spec §4.13): `test("name") do … end`.
    Test {
        name: String,
        body: Block,
    },
    /// `describe("group") do items end`
    Describe {
        name: String,
        items: Vec<Item>,
    },
    /// `setup do … end`
    Setup(Block),
    /// `teardown do … end`
    Teardown(Block),
}

/// A dotted name `A.B.c`.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub segments: Vec<Ident>,
    pub span: Span,
}

impl Path {
    /// The segments joined with `.`.
    pub fn joined(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// `@cluster` / `@cluster(N)` before a function (spec §3.1.1).
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterAttr {
    /// The replication count when given (its magnitude when `negative`).
    pub replicas: Option<u64>,
    /// `@cluster(-N)`: parsed so that sema can reject it with a span (CFG0001).
    pub negative: bool,
    pub span: Span,
}

/// `where T: Show, U: Eq`
#[derive(Debug, Clone, PartialEq)]
pub struct WhereBound {
    pub param: Ident,
    pub bound: Path,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FnDef {
    pub cluster: Option<ClusterAttr>,
    pub is_pub: bool,
    pub name: Ident,
    pub generics: Vec<Ident>,
    /// `None` when the parameter list is omitted (`fn tick do … end`).
    pub params: Option<Vec<Param>>,
    pub ret: Option<TypeExpr>,
    pub where_bounds: Vec<WhereBound>,
    pub guard: Option<Expr>,
    /// `do … end` bodies are `ExprKind::Block`; `= expr` bodies are the expression itself.
    pub body: Expr,
}

impl FnDef {
    pub fn arity(&self) -> usize {
        self.params.as_ref().map_or(0, Vec::len)
    }
}

/// A parameter: a name (or `self`) with an optional annotation, or a pattern (multi-clause
/// functions and closures).
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub pattern: Pattern,
    pub ty: Option<TypeExpr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub is_pub: bool,
    pub name: Ident,
    pub generics: Vec<Ident>,
    pub fields: Vec<FieldDef>,
    /// ORM clauses (P2): `table "t"`, `primary_key :id`, `timestamps true`, `belongs_to :x, T`.
    pub orm: Vec<OrmClause>,
    /// `None` without a `deriving` clause; `Some(vec![])` for `deriving()`.
    pub deriving: Option<Vec<Ident>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub name: Ident,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrmClause {
    /// `table`, `primary_key`, `timestamps`, `belongs_to`, `has_many`, `has_one`.
    pub key: Ident,
    pub args: Vec<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SumDef {
    pub is_pub: bool,
    pub name: Ident,
    pub generics: Vec<Ident>,
    pub variants: Vec<VariantDef>,
    pub deriving: Option<Vec<Ident>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariantDef {
    pub name: Ident,
    /// Empty for a nullary variant.
    pub fields: Vec<VariantField>,
    pub span: Span,
}

/// A variant payload field: positional (`Circle(Float)`) or named (`Rect(w :: Float)`).
#[derive(Debug, Clone, PartialEq)]
pub struct VariantField {
    pub name: Option<Ident>,
    pub ty: TypeExpr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AliasDef {
    pub is_pub: bool,
    pub name: Ident,
    pub generics: Vec<Ident>,
    pub ty: TypeExpr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InterfaceDef {
    pub is_pub: bool,
    pub name: Ident,
    pub generics: Vec<Ident>,
    /// `type Item`
    pub assoc_types: Vec<Ident>,
    pub methods: Vec<InterfaceMethod>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InterfaceMethod {
    pub name: Ident,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    /// A default body.
    pub body: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImplDef {
    pub interface: Path,
    /// `impl From<String> for T` → `[String]`.
    pub interface_args: Vec<TypeExpr>,
    pub target: Path,
    pub where_bounds: Vec<WhereBound>,
    /// `type Out = String`
    pub assoc_types: Vec<(Ident, TypeExpr)>,
    pub methods: Vec<FnDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActorDef {
    pub name: Ident,
    pub params: Vec<Param>,
    pub body: Block,
    pub terminate: Option<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDef {
    pub name: Ident,
    /// `fn init(…)` and any helper functions.
    pub fns: Vec<FnDef>,
    pub handlers: Vec<Handler>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerKind {
    Call,
    Cast,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Handler {
    pub kind: HandlerKind,
    pub name: Ident,
    pub params: Vec<Param>,
    /// `:: Reply` (calls only).
    pub reply: Option<TypeExpr>,
    /// `|state|`
    pub state: Option<Ident>,
    pub body: Block,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SupervisorDef {
    pub is_pub: bool,
    pub name: Ident,
    /// `strategy: one_for_one`, `max_restarts: 10`, `max_seconds: 60`, in source order.
    pub settings: Vec<(Ident, Expr)>,
    pub children: Vec<ChildSpec>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChildSpec {
    pub name: Ident,
    /// `start: expr`, `restart: transient`, `shutdown: 5000`, in source order.
    pub settings: Vec<(Ident, Expr)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// `Int`, `List<T>`, `Mod.Name<A>`, `Self.Item`
    Named { path: Path, args: Vec<TypeExpr> },
    /// `(A, B)`; `()` is the empty tuple.
    Tuple(Vec<TypeExpr>),
    /// `Fun(A, B) -> R`
    Fun {
        params: Vec<TypeExpr>,
        ret: Box<TypeExpr>,
    },
    /// `T?`
    Option(Box<TypeExpr>),
    /// `T ! E`
    Result(Box<TypeExpr>, Box<TypeExpr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub kind: PatternKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PatLit {
    /// Already negated when written with a leading `-`.
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Nil,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PatternKind {
    Wildcard,
    /// A lowercase name (or `self` in a parameter).
    Bind(String),
    Lit(PatLit),
    /// `(a, b)`; `()` is the unit pattern.
    Tuple(Vec<Pattern>),
    /// `Some(x)`, `Shape.Circle(r)`, `None`, `Ok` (args `None` = no parentheses). A bare
    /// uppercase name is a constructor if it resolves to a variant, else sema treats it as a
    /// binding (spec §4.7).
    Constructor {
        path: Path,
        args: Option<Vec<Pattern>>,
    },
    /// `Down { ref: r, reason, .. }`: fields by name (a bare name binds the field), `rest`
    /// when `..` ignores the others.
    Struct {
        path: Path,
        fields: Vec<(Ident, Option<Pattern>)>,
        rest: bool,
    },
    /// `head :: tail`
    Cons(Box<Pattern>, Box<Pattern>),
    /// `p1 | p2`
    Or(Vec<Pattern>),
    /// `p as name`
    As(Box<Pattern>, Ident),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    Let {
        pattern: Pattern,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    Return(Option<Expr>),
    Expr(Expr),
    /// `assert_receive PATTERN[, TIMEOUT_MS]` in test bodies (spec §4.13).
    AssertReceive {
        pattern: Pattern,
        timeout: Option<Expr>,
    },
    /// A nested declaration (P2).
    Item(Box<Item>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

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
    And,
    Or,
    Concat,
    ListConcat,
    Range,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Rem => "%",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Gt => ">",
            Le => "<=",
            Ge => ">=",
            And => "and",
            Or => "or",
            Concat => "<>",
            ListConcat => "++",
            Range => "..",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InterpPart {
    Text(String),
    Expr(Box<Expr>),
}

/// One arm of `case` / `receive`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    pub pattern: Pattern,
    pub guard: Option<Expr>,
    pub body: Expr,
    pub span: Span,
}

/// One clause of a closure: `params [when guard] -> body` or `params do block end`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosureClause {
    pub params: Vec<Param>,
    pub guard: Option<Expr>,
    pub body: Expr,
    pub span: Span,
}

/// The loop variable(s) of `for`.
#[derive(Debug, Clone, PartialEq)]
pub enum ForBinding {
    /// `for x in …` (a pattern name or `_`).
    Single(Pattern),
    /// `for {k, v} in map`
    KeyValue(Pattern, Pattern),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// Integer literal magnitude (up to 2^63 so that unary minus reaches i64::MIN).
    Int(u64),
    Float(f64),
    Str(String),
    Interp(Vec<InterpPart>),
    Bool(bool),
    Nil,
    /// `:name`
    Atom(String),
    /// `~r/pattern/flags`
    Regex {
        pattern: String,
        flags: String,
    },
    /// A lowercase or uppercase name; also the keyword-named forms `spawn`, `send`, `link`
    /// used as callees.
    Name(String),
    /// `self` (the receiver in impls; `self()` in actors is `Call` of this).
    SelfValue,
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Unary {
        op: UnOp,
        operand: Box<Expr>,
    },
    /// `f(a, b, key: v) do … end`: positional args, keyword args (spec §4.4) and a trailing
    /// closure (already a `Closure` expression).
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<(Ident, Expr)>,
        trailing: Option<Box<Expr>>,
    },
    /// `a.b` — module member, static member or field; decided by sema.
    Field {
        base: Box<Expr>,
        name: Ident,
    },
    /// `a[i]` (reserved: sema rejects it).
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
    /// Postfix `?`.
    Try(Box<Expr>),
    /// `x |> f(args)` or `x |N> f(args)` (slot = None for `|>`).
    Pipe {
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        slot: Option<u32>,
    },
    If {
        cond: Box<Expr>,
        then_block: Block,
        else_expr: Option<Box<Expr>>,
    },
    Case {
        scrutinee: Box<Expr>,
        arms: Vec<Arm>,
    },
    /// `receive do arms [after ms -> expr] end`
    Receive {
        arms: Vec<Arm>,
        after: Option<(Box<Expr>, Box<Expr>)>,
    },
    Block(Block),
    /// `(a, b)`; `()` is `Tuple(vec![])`.
    Tuple(Vec<Expr>),
    List(Vec<Expr>),
    /// `%{k => v, …}`
    Map(Vec<(Expr, Expr)>),
    /// `Name { f: e, … }`
    StructLit {
        path: Path,
        fields: Vec<(Ident, Expr)>,
    },
    /// `%{base | f: e, …}`
    StructUpdate {
        base: Box<Expr>,
        fields: Vec<(Ident, Expr)>,
    },
    /// `json { key: e, … }`
    Json(Vec<(Ident, Expr)>),
    Closure(Vec<ClosureClause>),
    While {
        cond: Box<Expr>,
        body: Block,
    },
    For {
        binding: ForBinding,
        iter: Box<Expr>,
        filter: Option<Box<Expr>>,
        body: Block,
    },
    Break,
    Continue,
}

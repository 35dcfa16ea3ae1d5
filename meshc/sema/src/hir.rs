//! The high-level IR: the AST with names resolved and surface sugar removed (pipes become
//! calls; interpolation is an explicit node). Expressions live in one arena indexed by
//! `ExprId`; after type checking every expression and local has a type (see `typeck`).

use crate::builtins::Builtin;
use crate::ty::TyId;
use mesh_syntax::ast::{BinOp, UnOp};
use mesh_syntax::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExprId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

/// A top-level function.
#[derive(Debug, Clone)]
pub struct FnDecl {
    pub name: String,
    /// Module that defines it (`Main`, `Api.Router`).
    pub module: String,
    pub is_pub: bool,
    pub params: Vec<LocalId>,
    pub param_spans: Vec<Span>,
    pub body: ExprId,
    pub span: Span,
    pub name_span: Span,
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

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Unit,
}

#[derive(Debug, Clone)]
pub enum InterpPart {
    Text(String),
    Expr(ExprId),
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Let { local: LocalId, value: ExprId },
    Expr(ExprId),
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
    Return(Option<ExprId>),
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

/// The whole program in HIR form plus, after type checking, its types.
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub fns: Vec<FnDecl>,
    pub exprs: Vec<Expr>,
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
    /// Filled by typeck: each function's generalised type and its number of type parameters.
    pub fn_types: Vec<(TyId, u32)>,
}

impl Program {
    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id.0 as usize]
    }
    pub fn func(&self, id: DefId) -> &FnDecl {
        &self.fns[id.0 as usize]
    }
    pub fn expr_ty(&self, id: ExprId) -> TyId {
        self.expr_types[id.0 as usize]
    }
    pub fn local_ty(&self, id: LocalId) -> TyId {
        self.local_types[id.0 as usize]
    }

    pub(crate) fn add_expr(&mut self, kind: ExprKind, span: Span) -> ExprId {
        self.exprs.push(Expr { kind, span });
        ExprId(u32::try_from(self.exprs.len() - 1).expect("fewer than 2^32 expressions"))
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

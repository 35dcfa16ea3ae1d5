//! Helpers called by the grammar's actions: they assemble AST nodes from the pieces a
//! production recognised, and reject constructs that parse but are malformed (with the spec's
//! messages) as `ActionError`s.

// The entry enums below only live between two reductions; boxing their variants would cost
// more than their size.
#![allow(clippy::large_enum_variant)]

use super::ActionError;
use crate::ast::*;
use crate::span::{FileId, Span};
use crate::token::Token;
use lalrpop_util::ParseError;

/// The error type of fallible actions.
pub type Fallible<T> = Result<T, ParseError<usize, Token, ActionError>>;

fn fail<T>(start: usize, end: usize, message: impl Into<String>) -> Fallible<T> {
    Err(ParseError::User {
        error: ActionError {
            message: message.into(),
            start,
            end,
        },
    })
}

pub fn path(file: FileId, l: usize, r: usize, first: Ident, rest: Vec<Ident>) -> Path {
    let mut segments = vec![first];
    segments.extend(rest);
    Path {
        segments,
        span: Span::new(file, l, r),
    }
}

pub fn binary(file: FileId, l: usize, r: usize, op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    Expr {
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        span: Span::new(file, l, r),
    }
}

pub fn pipe(file: FileId, l: usize, r: usize, lhs: Expr, rhs: Expr, slot: Option<u32>) -> Expr {
    Expr {
        kind: ExprKind::Pipe {
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
            slot,
        },
        span: Span::new(file, l, r),
    }
}

/// An item, or a test-file form recognised by its leading word.
pub enum ItemOrTest {
    Item(ItemKind),
    Named {
        word: Ident,
        args: Vec<Expr>,
        body: Block,
    },
}

pub fn item(file: FileId, l: usize, r: usize, kind: ItemOrTest) -> Fallible<Item> {
    let kind = match kind {
        ItemOrTest::Item(kind) => kind,
        ItemOrTest::Named { word, args, body } => test_item(word, args, body)?,
    };
    Ok(Item {
        kind,
        span: Span::new(file, l, r),
    })
}

fn test_item(word: Ident, args: Vec<Expr>, body: Block) -> Fallible<ItemKind> {
    let (start, end) = (word.span.start as usize, word.span.end as usize);
    match (word.name.as_str(), args.as_slice()) {
        (
            "test",
            [Expr {
                kind: ExprKind::Str(name),
                ..
            }],
        ) => Ok(ItemKind::Test {
            name: name.clone(),
            body,
        }),
        (
            "describe",
            [Expr {
                kind: ExprKind::Str(name),
                ..
            }],
        ) => {
            let items = body
                .stmts
                .into_iter()
                .map(describe_entry)
                .collect::<Fallible<Vec<_>>>()?;
            Ok(ItemKind::Describe {
                name: name.clone(),
                items,
            })
        }
        ("test" | "describe", _) => fail(
            start,
            end,
            format!("`{}` takes one string literal name", word.name),
        ),
        ("setup", []) => Ok(ItemKind::Setup(body)),
        ("teardown", []) => Ok(ItemKind::Teardown(body)),
        _ => fail(
            start,
            end,
            format!("expected a declaration, found `{}`", word.name),
        ),
    }
}

/// Converts one statement of a `describe` body (parsed as a block) back into a test item.
fn describe_entry(stmt: Stmt) -> Fallible<Item> {
    let span = stmt.span;
    let bad = || {
        fail(
            span.start as usize,
            span.end as usize,
            "expected `test`, `describe`, `setup` or `teardown` inside `describe`",
        )
    };
    let StmtKind::Expr(Expr {
        kind:
            ExprKind::Call {
                callee,
                args,
                kwargs,
                trailing: Some(closure),
            },
        ..
    }) = stmt.kind
    else {
        return bad();
    };
    let ExprKind::Name(word) = callee.kind else {
        return bad();
    };
    let ExprKind::Closure(mut clauses) = closure.kind else {
        return bad();
    };
    if !kwargs.is_empty() || clauses.len() != 1 {
        return bad();
    }
    let clause = clauses.remove(0);
    let ExprKind::Block(body) = clause.body.kind else {
        return bad();
    };
    let kind = test_item(
        Ident {
            name: word,
            span: callee.span,
        },
        args,
        body,
    )?;
    Ok(Item { kind, span })
}

/// `setup do … end` inside a block: a call of `setup` with a trailing closure.
pub fn word_block(file: FileId, l: usize, r: usize, word: Ident, body: Block) -> Expr {
    let span = Span::new(file, l, r);
    let body_span = body.span;
    let closure = Expr {
        kind: ExprKind::Closure(vec![ClosureClause {
            params: vec![],
            guard: None,
            body: Expr {
                kind: ExprKind::Block(body),
                span: body_span,
            },
            span,
        }]),
        span,
    };
    let callee = Expr {
        kind: ExprKind::Name(word.name),
        span: word.span,
    };
    Expr {
        kind: ExprKind::Call {
            callee: Box::new(callee),
            args: vec![],
            kwargs: vec![],
            trailing: Some(Box::new(closure)),
        },
        span,
    }
}

pub fn assert_receive(word: Ident, pattern: Pattern, timeout: Option<Expr>) -> Fallible<StmtKind> {
    if word.name != "assert_receive" {
        return fail(
            pattern.span.start as usize,
            pattern.span.end as usize,
            format!("unexpected pattern after `{}`", word.name),
        );
    }
    Ok(StmtKind::AssertReceive { pattern, timeout })
}

pub fn as_pattern(
    file: FileId,
    l: usize,
    r: usize,
    inner: Pattern,
    word: Ident,
    name: Ident,
) -> Fallible<Pattern> {
    if word.name != "as" {
        return fail(
            word.span.start as usize,
            word.span.end as usize,
            format!("unexpected identifier `{}` after a pattern", word.name),
        );
    }
    Ok(Pattern {
        kind: PatternKind::As(Box::new(inner), name),
        span: Span::new(file, l, r),
    })
}

pub fn pat_int(l: usize, r: usize, magnitude: u64, negative: bool) -> Fallible<PatLit> {
    let value = if negative {
        -(magnitude as i128)
    } else {
        magnitude as i128
    };
    match i64::try_from(value) {
        Ok(v) => Ok(PatLit::Int(v)),
        Err(_) => fail(l, r, "integer literal is too large for Int"),
    }
}

pub fn fun_type(
    file: FileId,
    l: usize,
    r: usize,
    path: Path,
    params: Vec<TypeExpr>,
    ret: TypeExpr,
) -> Fallible<TypeExpr> {
    if path.joined() != "Fun" {
        return fail(
            path.span.start as usize,
            path.span.end as usize,
            "expected `Fun` before a parameter list in a type",
        );
    }
    Ok(TypeExpr {
        kind: TypeKind::Fun {
            params,
            ret: Box::new(ret),
        },
        span: Span::new(file, l, r),
    })
}

/// A call argument.
pub enum Arg {
    Positional(Expr),
    Keyword(Ident, Expr),
}

pub fn call(
    file: FileId,
    l: usize,
    r: usize,
    callee: Expr,
    args: Vec<Arg>,
    trailing: Option<Expr>,
) -> Fallible<Expr> {
    let mut positional = Vec::new();
    let mut kwargs = Vec::new();
    for arg in args {
        match arg {
            Arg::Positional(e) if !kwargs.is_empty() => {
                return fail(
                    e.span.start as usize,
                    e.span.end as usize,
                    "keyword arguments must come last",
                );
            }
            Arg::Positional(e) => positional.push(e),
            Arg::Keyword(name, value) => kwargs.push((name, value)),
        }
    }
    Ok(Expr {
        kind: ExprKind::Call {
            callee: Box::new(callee),
            args: positional,
            kwargs,
            trailing: trailing.map(Box::new),
        },
        span: Span::new(file, l, r),
    })
}

pub fn trailing_closure(file: FileId, l: usize, r: usize, params: Vec<Param>, body: Expr) -> Expr {
    let span = Span::new(file, l, r);
    Expr {
        kind: ExprKind::Closure(vec![ClosureClause {
            params,
            guard: None,
            body,
            span,
        }]),
        span,
    }
}

/// `Name { … }`: the expression before `{` must be a type name or a qualified one.
pub fn struct_lit(
    file: FileId,
    l: usize,
    r: usize,
    base: Expr,
    fields: Vec<(Ident, Expr)>,
) -> Fallible<Expr> {
    let mut segments = Vec::new();
    let mut cur = &base;
    loop {
        match &cur.kind {
            ExprKind::Name(n) if n.starts_with(char::is_uppercase) => {
                segments.push(Ident {
                    name: n.clone(),
                    span: cur.span,
                });
                break;
            }
            ExprKind::Field { base, name } if name.name.starts_with(char::is_uppercase) => {
                segments.push(name.clone());
                cur = base;
            }
            _ => {
                return fail(
                    base.span.start as usize,
                    base.span.end as usize,
                    "expected a struct name before `{`",
                )
            }
        }
    }
    segments.reverse();
    let path = Path {
        segments,
        span: base.span,
    };
    Ok(Expr {
        kind: ExprKind::StructLit { path, fields },
        span: Span::new(file, l, r),
    })
}

pub enum StructEntry {
    Field(FieldDef),
    Orm(OrmClause),
}

pub fn struct_def(
    is_pub: bool,
    name: Ident,
    generics: Vec<Ident>,
    entries: Vec<StructEntry>,
    deriving: Option<Vec<Ident>>,
) -> StructDef {
    let mut fields = Vec::new();
    let mut orm = Vec::new();
    for e in entries {
        match e {
            StructEntry::Field(f) => fields.push(f),
            StructEntry::Orm(o) => orm.push(o),
        }
    }
    StructDef {
        is_pub,
        name,
        generics,
        fields,
        orm,
        deriving,
    }
}

pub enum InterfaceEntry {
    Assoc(Ident),
    Method(InterfaceMethod),
}

pub fn interface_def(
    is_pub: bool,
    name: Ident,
    generics: Vec<Ident>,
    entries: Vec<InterfaceEntry>,
) -> InterfaceDef {
    let mut assoc_types = Vec::new();
    let mut methods = Vec::new();
    for e in entries {
        match e {
            InterfaceEntry::Assoc(a) => assoc_types.push(a),
            InterfaceEntry::Method(m) => methods.push(m),
        }
    }
    InterfaceDef {
        is_pub,
        name,
        generics,
        assoc_types,
        methods,
    }
}

pub enum ImplEntry {
    Assoc(Ident, TypeExpr),
    Method(FnDef),
}

pub fn impl_def(
    interface: Path,
    interface_args: Vec<TypeExpr>,
    target: Path,
    where_bounds: Vec<WhereBound>,
    entries: Vec<ImplEntry>,
) -> ImplDef {
    let mut assoc_types = Vec::new();
    let mut methods = Vec::new();
    for e in entries {
        match e {
            ImplEntry::Assoc(n, t) => assoc_types.push((n, t)),
            ImplEntry::Method(m) => methods.push(m),
        }
    }
    ImplDef {
        interface,
        interface_args,
        target,
        where_bounds,
        assoc_types,
        methods,
    }
}

pub enum ActorEntry {
    Stmt(Stmt),
    Terminate(Block, Span),
}

pub fn actor_def(
    file: FileId,
    l: usize,
    r: usize,
    name: Ident,
    params: Vec<Param>,
    entries: Vec<ActorEntry>,
) -> Fallible<ActorDef> {
    let mut stmts = Vec::new();
    let mut terminate = None;
    for e in entries {
        match e {
            ActorEntry::Stmt(s) => stmts.push(s),
            ActorEntry::Terminate(_, span) if terminate.is_some() => {
                return fail(
                    span.start as usize,
                    span.end as usize,
                    "only one `terminate` clause is allowed per actor block",
                );
            }
            ActorEntry::Terminate(b, _) => terminate = Some(b),
        }
    }
    Ok(ActorDef {
        name,
        params,
        body: Block {
            stmts,
            span: Span::new(file, l, r),
        },
        terminate,
    })
}

pub enum ServiceEntry {
    Fn(FnDef),
    Handler(Handler),
}

pub fn service_def(name: Ident, entries: Vec<ServiceEntry>) -> ServiceDef {
    let mut fns = Vec::new();
    let mut handlers = Vec::new();
    for e in entries {
        match e {
            ServiceEntry::Fn(f) => fns.push(f),
            ServiceEntry::Handler(h) => handlers.push(h),
        }
    }
    ServiceDef {
        name,
        fns,
        handlers,
    }
}

pub enum SupervisorEntry {
    Setting(Ident, Expr),
    Child(Ident, ChildSpec),
}

pub fn supervisor_def(
    is_pub: bool,
    name: Ident,
    entries: Vec<SupervisorEntry>,
) -> Fallible<SupervisorDef> {
    let mut settings = Vec::new();
    let mut children = Vec::new();
    for e in entries {
        match e {
            SupervisorEntry::Setting(k, v) => settings.push((k, v)),
            SupervisorEntry::Child(word, _) if word.name != "child" => {
                return fail(
                    word.span.start as usize,
                    word.span.end as usize,
                    format!("expected `child`, found `{}`", word.name),
                );
            }
            SupervisorEntry::Child(_, c) => children.push(c),
        }
    }
    Ok(SupervisorDef {
        is_pub,
        name,
        settings,
        children,
    })
}

//! AST → HIR: resolves every name (locals, functions of the module, imports, stdlib), desugars
//! pipes into calls, and records annotations as types for the checker.

use crate::builtins::Builtin;
use crate::errors;
use crate::hir::{
    Annotation, DefId, ExprId, ExprKind, FnDecl, InterpPart, Lit, LocalId, Program, Stmt,
};
use crate::ty::{TyId, TyKind, Types};
use mesh_syntax::ast;
use mesh_syntax::diagnostic::Diagnostic;
use mesh_syntax::span::Span;
use std::collections::{BTreeMap, HashMap};

/// One parsed module handed to semantic analysis.
pub struct ModuleInput {
    /// Module name (`Main`, `Api.Router`).
    pub name: String,
    pub ast: ast::Module,
}

/// What a module-level name refers to.
#[derive(Debug, Clone)]
enum Binding {
    Fn(DefId),
    Module(String),
}

struct Lowerer<'a> {
    program: Program,
    types: &'a mut Types,
    diags: &'a mut Vec<Diagnostic>,
    /// Functions by (module, name).
    fns: BTreeMap<(String, String), DefId>,
    /// Names visible at module level, per module.
    scopes: HashMap<String, HashMap<String, Binding>>,
    /// Local scopes of the function being lowered, innermost last.
    locals: Vec<Vec<(String, LocalId)>>,
    module: String,
    /// Expressions in callee position (the only place a function may appear for now).
    callee_exprs: std::collections::HashSet<ExprId>,
}

/// Lowers all modules. Declarations are collected first so that forward references and mutual
/// recursion work (spec §2.3).
pub fn lower(
    modules: &[ModuleInput],
    entry_module: &str,
    types: &mut Types,
    diags: &mut Vec<Diagnostic>,
) -> Program {
    let mut l = Lowerer {
        program: Program::default(),
        types,
        diags,
        fns: BTreeMap::new(),
        scopes: HashMap::new(),
        locals: Vec::new(),
        module: String::new(),
        callee_exprs: std::collections::HashSet::new(),
    };
    let mut bodies = Vec::new();
    for m in modules {
        l.declare_fns(m, &mut bodies);
    }
    for m in modules {
        l.resolve_imports(m, modules);
    }
    for (def, module, f) in bodies {
        l.module = module;
        l.lower_fn(def, f);
    }
    l.reject_function_values();
    l.program.entry = l
        .fns
        .get(&(entry_module.to_string(), "main".to_string()))
        .copied();
    if l.program.entry.is_none() {
        l.diags.push(errors::missing_main(entry_module));
    }
    l.program
}

impl<'a> Lowerer<'a> {
    fn reject_function_values(&mut self) {
        for (i, e) in self.program.exprs.iter().enumerate() {
            let is_fn = matches!(e.kind, ExprKind::Fn(_) | ExprKind::Builtin(_));
            if is_fn && !self.callee_exprs.contains(&ExprId(i as u32)) {
                self.diags
                    .push(errors::unsupported("using a function as a value", e.span));
            }
        }
    }

    fn declare_fns<'m>(
        &mut self,
        m: &'m ModuleInput,
        bodies: &mut Vec<(DefId, String, &'m ast::FnDef)>,
    ) {
        let scope = self.scopes.entry(m.name.clone()).or_default();
        for item in &m.ast.items {
            let ast::ItemKind::Fn(f) = &item.kind else {
                continue;
            };
            let key = (m.name.clone(), f.name.name.clone());
            if self.fns.contains_key(&key) {
                self.diags.push(errors::duplicate_function(
                    &f.name.name,
                    f.arity(),
                    f.name.span,
                ));
                continue;
            }
            let def = DefId(self.program.fns.len() as u32);
            self.program.fns.push(FnDecl {
                name: f.name.name.clone(),
                module: m.name.clone(),
                is_pub: f.is_pub,
                params: Vec::new(),
                param_spans: Vec::new(),
                body: ExprId(0),
                span: item.span,
                name_span: f.name.span,
            });
            self.program.ret_annotations.push(None);
            self.fns.insert(key, def);
            scope.insert(f.name.name.clone(), Binding::Fn(def));
            bodies.push((def, m.name.clone(), f));
        }
    }

    fn resolve_imports(&mut self, m: &ModuleInput, modules: &[ModuleInput]) {
        let known = |name: &str| modules.iter().any(|x| x.name == name);
        for item in &m.ast.items {
            match &item.kind {
                ast::ItemKind::Import(path) => {
                    let full = path_name(path);
                    if !known(&full) && !Builtin::is_stdlib_module(&full) {
                        self.diags.push(errors::module_not_found(&full, path.span));
                        continue;
                    }
                    let last = path
                        .segments
                        .last()
                        .map(|s| s.name.clone())
                        .unwrap_or_default();
                    self.scope_mut(&m.name).insert(last, Binding::Module(full));
                }
                ast::ItemKind::FromImport { module, names } => {
                    let full = path_name(module);
                    if !known(&full) {
                        self.diags
                            .push(errors::module_not_found(&full, module.span));
                        continue;
                    }
                    for name in names {
                        self.import_name(&m.name, &full, name);
                    }
                }
                _ => {}
            }
        }
    }

    fn import_name(&mut self, into: &str, from: &str, name: &ast::Ident) {
        match self
            .fns
            .get(&(from.to_string(), name.name.clone()))
            .copied()
        {
            Some(def) if self.program.func(def).is_pub => {
                self.scope_mut(into)
                    .insert(name.name.clone(), Binding::Fn(def));
            }
            Some(_) => self
                .diags
                .push(errors::private_import(&name.name, from, name.span)),
            None => self
                .diags
                .push(errors::name_not_exported(&name.name, from, name.span)),
        }
    }

    fn scope_mut(&mut self, module: &str) -> &mut HashMap<String, Binding> {
        self.scopes.entry(module.to_string()).or_default()
    }

    fn lower_fn(&mut self, def: DefId, f: &ast::FnDef) {
        self.locals = vec![Vec::new()];
        let mut params = Vec::new();
        let mut spans = Vec::new();
        for p in f.params.iter().flatten() {
            let ann = p.ty.as_ref().map(|t| self.annotation(t));
            let local = self.bind_pattern(&p.pattern, ann);
            params.push(local);
            spans.push(p.span);
        }
        let ret = f.ret.as_ref().map(|t| self.annotation(t));
        self.program.ret_annotations[def.0 as usize] = ret;
        let body = self.lower_expr(&f.body);
        let decl = &mut self.program.fns[def.0 as usize];
        decl.params = params;
        decl.param_spans = spans;
        decl.body = body;
    }

    fn bind_pattern(&mut self, pattern: &ast::Pattern, ann: Option<Annotation>) -> LocalId {
        match &pattern.kind {
            ast::PatternKind::Bind(name) => {
                let id = self.program.add_local(name, pattern.span, ann);
                if let Some(scope) = self.locals.last_mut() {
                    scope.push((name.clone(), id));
                }
                id
            }
            ast::PatternKind::Wildcard => self.program.add_local("_", pattern.span, ann),
            _ => {
                self.diags
                    .push(errors::unsupported("this pattern form", pattern.span));
                self.program.add_local("_", pattern.span, ann)
            }
        }
    }

    fn annotation(&mut self, t: &ast::TypeExpr) -> Annotation {
        Annotation {
            ty: self.resolve_type(t),
            span: t.span,
        }
    }

    fn resolve_type(&mut self, t: &ast::TypeExpr) -> TyId {
        match &t.kind {
            ast::TypeKind::Named { path, args } if args.is_empty() => {
                match path_name(path).as_str() {
                    "Int" => self.types.int(),
                    "Float" => self.types.float(),
                    "Bool" => self.types.bool(),
                    "String" => self.types.string(),
                    other => {
                        self.diags.push(errors::undefined_type(other, t.span));
                        self.types.error()
                    }
                }
            }
            ast::TypeKind::Tuple(elems) if elems.is_empty() => self.types.unit(),
            ast::TypeKind::Tuple(elems) => {
                let elems = elems.iter().map(|e| self.resolve_type(e)).collect();
                self.types.intern(TyKind::Tuple(elems))
            }
            _ => {
                self.diags
                    .push(errors::unsupported("this type form", t.span));
                self.types.error()
            }
        }
    }

    fn lower_expr(&mut self, e: &ast::Expr) -> ExprId {
        let kind = self.lower_kind(e);
        self.program.add_expr(kind, e.span)
    }

    fn lower_kind(&mut self, e: &ast::Expr) -> ExprKind {
        use ast::ExprKind as A;
        match &e.kind {
            A::Int(n) => self.int_literal(*n, false, e.span),
            A::Float(x) => ExprKind::Lit(Lit::Float(*x)),
            A::Str(s) => ExprKind::Lit(Lit::Str(s.clone())),
            A::Bool(b) => ExprKind::Lit(Lit::Bool(*b)),
            A::Nil => ExprKind::Lit(Lit::Unit),
            A::Interp(parts) => ExprKind::Interp(
                parts
                    .iter()
                    .map(|p| match p {
                        ast::InterpPart::Text(t) => InterpPart::Text(t.clone()),
                        ast::InterpPart::Expr(x) => InterpPart::Expr(self.lower_expr(x)),
                    })
                    .collect(),
            ),
            A::Name(name) => self.lower_name(name, e.span),
            A::Unary {
                op: ast::UnOp::Neg,
                operand,
            } if matches!(operand.kind, A::Int(_)) => {
                let A::Int(n) = operand.kind else {
                    unreachable!("guarded by matches!")
                };
                self.int_literal(n, true, e.span)
            }
            A::Unary { op, operand } => ExprKind::Unary {
                op: *op,
                operand: self.lower_expr(operand),
            },
            A::Binary { op, lhs, rhs } => ExprKind::Binary {
                op: *op,
                lhs: self.lower_expr(lhs),
                rhs: self.lower_expr(rhs),
            },
            A::Call {
                callee,
                args,
                kwargs,
                trailing,
            } if kwargs.is_empty() && trailing.is_none() => {
                let callee = self.lower_callee(callee);
                let args = args.iter().map(|a| self.lower_expr(a)).collect();
                ExprKind::Call { callee, args }
            }
            A::Pipe { lhs, rhs, slot } => self.lower_pipe(lhs, rhs, *slot),
            A::Field { base, name } => self.lower_field(base, name, e.span),
            A::If {
                cond,
                then_block,
                else_expr,
            } => {
                let cond = self.lower_expr(cond);
                let then_branch = self.lower_block_expr(then_block);
                let else_branch = else_expr.as_ref().map(|x| self.lower_expr(x));
                ExprKind::If {
                    cond,
                    then_branch,
                    else_branch,
                }
            }
            A::Block(block) => self.lower_block(block),
            A::Tuple(elems) if elems.is_empty() => ExprKind::Lit(Lit::Unit),
            _ => {
                self.diags
                    .push(errors::unsupported("this expression form", e.span));
                ExprKind::Error
            }
        }
    }

    /// The callee of a direct call. Functions are only called directly for now; using one as
    /// a value, or calling a local, needs closures (issue 4).
    fn lower_callee(&mut self, callee: &ast::Expr) -> ExprId {
        let id = self.lower_expr(callee);
        if let ExprKind::Local(_) = self.program.expr(id).kind {
            self.diags
                .push(errors::unsupported("calling a function value", callee.span));
        }
        self.callee_exprs.insert(id);
        id
    }

    fn int_literal(&mut self, magnitude: u64, negative: bool, span: Span) -> ExprKind {
        let value = if negative {
            (magnitude as i128).wrapping_neg()
        } else {
            magnitude as i128
        };
        match i64::try_from(value) {
            Ok(v) => ExprKind::Lit(Lit::Int(v)),
            Err(_) => {
                self.diags.push(
                    Diagnostic::error("E0001", "integer literal is too large for Int")
                        .with_label(span, "does not fit in a 64-bit signed integer"),
                );
                ExprKind::Error
            }
        }
    }

    fn lower_name(&mut self, name: &str, span: Span) -> ExprKind {
        for scope in self.locals.iter().rev() {
            if let Some((_, id)) = scope.iter().rev().find(|(n, _)| n == name) {
                return ExprKind::Local(*id);
            }
        }
        match self.scopes.get(&self.module).and_then(|s| s.get(name)) {
            Some(Binding::Fn(def)) => return ExprKind::Fn(*def),
            Some(Binding::Module(_)) => {
                self.diags
                    .push(errors::unsupported("a module used as a value", span));
                return ExprKind::Error;
            }
            None => {}
        }
        if let Some(b) = Builtin::lookup(None, name) {
            return ExprKind::Builtin(b);
        }
        let mut candidates: Vec<&str> = self
            .locals
            .iter()
            .flatten()
            .map(|(n, _)| n.as_str())
            .collect();
        if let Some(scope) = self.scopes.get(&self.module) {
            candidates.extend(scope.keys().map(String::as_str));
        }
        let suggestion = errors::closest(name, candidates.into_iter()).map(str::to_string);
        self.diags.push(errors::undefined_variable(
            name,
            span,
            suggestion.as_deref(),
        ));
        ExprKind::Error
    }

    /// `x |> f(a)` ≡ `f(x, a)`; `x |N> f(a)` puts `x` N-th; `x |> f` ≡ `f(x)` (spec §4.5).
    fn lower_pipe(&mut self, lhs: &ast::Expr, rhs: &ast::Expr, slot: Option<u32>) -> ExprKind {
        let value = self.lower_expr(lhs);
        match &rhs.kind {
            ast::ExprKind::Call { callee, args, .. } => {
                let callee = self.lower_expr(callee);
                let mut lowered: Vec<ExprId> = args.iter().map(|a| self.lower_expr(a)).collect();
                let at = slot.map_or(0, |n| n as usize - 1).min(lowered.len());
                lowered.insert(at, value);
                ExprKind::Call {
                    callee,
                    args: lowered,
                }
            }
            _ => ExprKind::Call {
                callee: self.lower_expr(rhs),
                args: vec![value],
            },
        }
    }

    fn lower_field(&mut self, base: &ast::Expr, name: &ast::Ident, span: Span) -> ExprKind {
        if let ast::ExprKind::Name(module) = &base.kind {
            let is_local = self.locals.iter().flatten().any(|(n, _)| n == module);
            if !is_local {
                if let Some(kind) = self.lower_module_member(module, name, span) {
                    return kind;
                }
            }
        }
        let _base = self.lower_expr(base);
        self.diags.push(errors::unsupported("field access", span));
        ExprKind::Error
    }

    fn lower_module_member(
        &mut self,
        module: &str,
        name: &ast::Ident,
        span: Span,
    ) -> Option<ExprKind> {
        let full = match self.scopes.get(&self.module).and_then(|s| s.get(module)) {
            Some(Binding::Module(full)) => full.clone(),
            _ if Builtin::is_stdlib_module(module) => module.to_string(),
            _ => return None,
        };
        if let Some(b) = Builtin::lookup(Some(&full), &name.name) {
            return Some(ExprKind::Builtin(b));
        }
        match self.fns.get(&(full.clone(), name.name.clone())).copied() {
            Some(def) if self.program.func(def).is_pub || full == self.module => {
                Some(ExprKind::Fn(def))
            }
            Some(_) => {
                self.diags
                    .push(errors::private_import(&name.name, &full, span));
                Some(ExprKind::Error)
            }
            None => {
                self.diags
                    .push(errors::name_not_exported(&name.name, &full, name.span));
                Some(ExprKind::Error)
            }
        }
    }

    fn lower_block_expr(&mut self, block: &ast::Block) -> ExprId {
        let kind = self.lower_block(block);
        self.program.add_expr(kind, block.span)
    }

    fn lower_block(&mut self, block: &ast::Block) -> ExprKind {
        self.locals.push(Vec::new());
        let mut stmts = Vec::new();
        let mut tail = None;
        let count = block.stmts.len();
        for (i, stmt) in block.stmts.iter().enumerate() {
            match &stmt.kind {
                ast::StmtKind::Let { pattern, ty, value } => {
                    let value = self.lower_expr(value);
                    let ann = ty.as_ref().map(|t| self.annotation(t));
                    let local = self.bind_pattern(pattern, ann);
                    stmts.push(Stmt::Let { local, value });
                }
                ast::StmtKind::Return(value) => {
                    let value = value.as_ref().map(|v| self.lower_expr(v));
                    let ret = self.program.add_expr(ExprKind::Return(value), stmt.span);
                    if i + 1 == count {
                        tail = Some(ret);
                    } else {
                        stmts.push(Stmt::Expr(ret));
                    }
                }
                ast::StmtKind::Expr(e) if i + 1 == count => tail = Some(self.lower_expr(e)),
                ast::StmtKind::Expr(e) => {
                    let id = self.lower_expr(e);
                    stmts.push(Stmt::Expr(id));
                }
                ast::StmtKind::AssertReceive { .. } | ast::StmtKind::Item(_) => {
                    self.diags
                        .push(errors::unsupported("this statement form", stmt.span));
                }
            }
        }
        self.locals.pop();
        ExprKind::Block { stmts, tail }
    }
}

fn path_name(path: &ast::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

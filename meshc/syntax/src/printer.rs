//! The AST printer: a stable, indented S-expression dump of an `ast::Module`, one node per line,
//! used by `meshc parse`, the syntax snapshot tests and `--dump=ast`.
//!
//! Format: `(kind atoms… @start..end` followed by the node's children, each on its own line
//! indented two more spaces, and a closing `)` after the last child. Names (`Ident`) and paths
//! are atoms written with their own span, `main@3..7`; literals are atoms in Rust debug form
//! (`"hi"`, `1.5`). Groupings that are not AST nodes (`(params …)`, `(ret …)`, `(else …)`) carry
//! no span. An expression statement (or nested item) whose span equals its expression's prints as
//! that expression alone. A span outside the source, reversed, or not on a character boundary
//! is marked with a trailing `!` (`@3..99!`), so a span bug shows up in a snapshot.
//!
//! The printer keeps its own work stack instead of recursing, so any depth the parser accepts
//! prints without growing the Rust stack.

use crate::ast::*;
use crate::span::Span;

/// Prints `m` (parsed from `src`) as described in the module documentation. The output ends
/// with a newline and depends only on the AST and `src`.
pub fn print_module(m: &Module, src: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut seq = Seq {
        tasks: Vec::new(),
        src,
    };
    seq.open("module", "", Some(m.span));
    for item in &m.items {
        seq.item(item);
    }
    seq.close();
    // The work stack: the next task is on top. Expanding a node yields its own `Open`, tasks
    // for its children and its `Close`, in output order.
    let mut stack: Vec<Task> = seq.tasks.drain(..).rev().collect();
    while let Some(task) = stack.pop() {
        match task {
            Task::Open(kind, atoms, span) => {
                if !out.is_empty() {
                    out.push('\n');
                }
                for _ in 0..depth {
                    out.push_str("  ");
                }
                out.push('(');
                out.push_str(kind);
                if !atoms.is_empty() {
                    out.push(' ');
                    out.push_str(&atoms);
                }
                if let Some(span) = span {
                    out.push(' ');
                    out.push_str(&seq.at(span));
                }
                depth += 1;
            }
            Task::Close => {
                depth -= 1;
                out.push(')');
            }
            Task::Item(item) => seq.item_node(item),
            Task::Type(t) => seq.ty_node(t),
            Task::Pattern(p) => seq.pattern_node(p),
            Task::Block(b) => seq.block_node(b),
            Task::Stmt(st) => seq.stmt_node(st),
            Task::Expr(e) => seq.expr_node(e),
        }
        stack.extend(seq.tasks.drain(..).rev());
    }
    out.push('\n');
    out
}

/// A unit of printing work: output a node's opening or closing, or expand a child node.
enum Task<'a> {
    Open(&'static str, String, Option<Span>),
    Close,
    Item(&'a Item),
    Type(&'a TypeExpr),
    Pattern(&'a Pattern),
    Block(&'a Block),
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

/// Expands one node into tasks, in output order: the node's own `Open`, its atoms and
/// groupings, one task per child node, its `Close`.
struct Seq<'a, 's> {
    tasks: Vec<Task<'a>>,
    src: &'s str,
}

impl<'a> Seq<'a, '_> {
    // ---------------------------------------------------------------- task primitives

    fn open(&mut self, kind: &'static str, atoms: &str, span: Option<Span>) {
        self.tasks.push(Task::Open(kind, atoms.to_string(), span));
    }

    fn close(&mut self) {
        self.tasks.push(Task::Close);
    }

    fn leaf(&mut self, kind: &'static str, atoms: &str, span: Option<Span>) {
        self.open(kind, atoms, span);
        self.close();
    }

    fn item(&mut self, item: &'a Item) {
        self.tasks.push(Task::Item(item));
    }

    fn ty(&mut self, t: &'a TypeExpr) {
        self.tasks.push(Task::Type(t));
    }

    fn pattern(&mut self, p: &'a Pattern) {
        self.tasks.push(Task::Pattern(p));
    }

    fn block(&mut self, b: &'a Block) {
        self.tasks.push(Task::Block(b));
    }

    fn stmt(&mut self, s: &'a Stmt) {
        self.tasks.push(Task::Stmt(s));
    }

    fn expr(&mut self, e: &'a Expr) {
        self.tasks.push(Task::Expr(e));
    }

    /// `@start..end`, with `!` when the span does not fit the source.
    fn at(&self, span: Span) -> String {
        let (start, end) = (span.start as usize, span.end as usize);
        let fits = start <= end
            && end <= self.src.len()
            && self.src.is_char_boundary(start)
            && self.src.is_char_boundary(end);
        format!("@{start}..{end}{}", if fits { "" } else { "!" })
    }

    fn ident(&self, id: &Ident) -> String {
        format!("{}{}", id.name, self.at(id.span))
    }

    fn path(&self, path: &Path) -> String {
        format!("{}{}", path.joined(), self.at(path.span))
    }

    fn idents(&self, ids: &[Ident]) -> String {
        let mut s = String::new();
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&self.ident(id));
        }
        s
    }

    /// `(kind a@.. b@..)` when `ids` is non-empty.
    fn ident_list(&mut self, kind: &'static str, ids: &'a [Ident]) {
        if !ids.is_empty() {
            let atoms = self.idents(ids);
            self.leaf(kind, &atoms, None);
        }
    }

    /// A grouping node (no span) around one child.
    fn wrap_expr(&mut self, kind: &'static str, e: &'a Expr) {
        self.open(kind, "", None);
        self.expr(e);
        self.close();
    }

    fn wrap_type(&mut self, kind: &'static str, t: &'a TypeExpr) {
        self.open(kind, "", None);
        self.ty(t);
        self.close();
    }

    // ---------------------------------------------------------------- items

    fn item_node(&mut self, item: &'a Item) {
        let span = Some(item.span);
        match &item.kind {
            ItemKind::Fn(def) => self.fn_def(def, span),
            ItemKind::Import(path) => {
                let atoms = self.path(path);
                self.leaf("import", &atoms, span);
            }
            ItemKind::FromImport { module, names } => {
                let atoms = self.path(module);
                self.open("from-import", &atoms, span);
                self.ident_list("names", names);
                self.close();
            }
            ItemKind::Struct(def) => self.struct_def(def, span),
            ItemKind::Sum(def) => self.sum_def(def, span),
            ItemKind::Alias(def) => self.alias_def(def, span),
            ItemKind::Interface(def) => self.interface_def(def, span),
            ItemKind::Impl(def) => self.impl_def(def, span),
            ItemKind::Actor(def) => self.actor_def(def, span),
            ItemKind::Service(def) => self.service_def(def, span),
            ItemKind::Supervisor(def) => self.supervisor_def(def, span),
            ItemKind::Module {
                is_pub,
                name,
                items,
            } => {
                let atoms = self.named(name, *is_pub);
                self.open("module-def", &atoms, span);
                for item in items {
                    self.item(item);
                }
                self.close();
            }
            ItemKind::Test { name, body } => {
                self.open("test", &format!("{name:?}"), span);
                self.block(body);
                self.close();
            }
            ItemKind::Describe { name, items } => {
                self.open("describe", &format!("{name:?}"), span);
                for item in items {
                    self.item(item);
                }
                self.close();
            }
            ItemKind::Setup(body) => {
                self.open("setup", "", span);
                self.block(body);
                self.close();
            }
            ItemKind::Teardown(body) => {
                self.open("teardown", "", span);
                self.block(body);
                self.close();
            }
        }
    }

    /// `name@.. [pub]`
    fn named(&self, name: &Ident, is_pub: bool) -> String {
        let mut s = self.ident(name);
        if is_pub {
            s.push_str(" pub");
        }
        s
    }

    /// A function definition; `span` is the item's (methods inside impls and services have
    /// none of their own).
    fn fn_def(&mut self, def: &'a FnDef, span: Option<Span>) {
        let atoms = self.named(&def.name, def.is_pub);
        self.open("fn", &atoms, span);
        if let Some(cluster) = &def.cluster {
            let sign = if cluster.negative { "-" } else { "" };
            let count = cluster
                .replicas
                .map(|n| format!("{sign}{n}"))
                .unwrap_or_default();
            self.leaf("cluster", &count, Some(cluster.span));
        }
        self.ident_list("generics", &def.generics);
        if let Some(params) = &def.params {
            self.params(params);
        }
        if let Some(ret) = &def.ret {
            self.wrap_type("ret", ret);
        }
        self.where_bounds(&def.where_bounds);
        if let Some(guard) = &def.guard {
            self.wrap_expr("guard", guard);
        }
        self.wrap_expr("body", &def.body);
        self.close();
    }

    fn params(&mut self, params: &'a [Param]) {
        self.open("params", "", None);
        for param in params {
            self.open("param", "", Some(param.span));
            self.pattern(&param.pattern);
            if let Some(ty) = &param.ty {
                self.ty(ty);
            }
            self.close();
        }
        self.close();
    }

    fn where_bounds(&mut self, bounds: &'a [WhereBound]) {
        if bounds.is_empty() {
            return;
        }
        self.open("where", "", None);
        for b in bounds {
            let atoms = format!("{} {}", self.ident(&b.param), self.path(&b.bound));
            self.leaf("bound", &atoms, None);
        }
        self.close();
    }

    fn deriving(&mut self, deriving: &'a Option<Vec<Ident>>) {
        if let Some(traits) = deriving {
            let atoms = self.idents(traits);
            self.leaf("deriving", &atoms, None);
        }
    }

    fn struct_def(&mut self, def: &'a StructDef, span: Option<Span>) {
        let atoms = self.named(&def.name, def.is_pub);
        self.open("struct", &atoms, span);
        self.ident_list("generics", &def.generics);
        // Fields and ORM clauses are kept apart in the AST; print them in source order.
        let (mut fields, mut orm) = (def.fields.iter().peekable(), def.orm.iter().peekable());
        loop {
            let field_first = match (fields.peek(), orm.peek()) {
                (Some(f), Some(o)) => f.span.start <= o.span.start,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if field_first {
                let Some(field) = fields.next() else { break };
                let atoms = self.ident(&field.name);
                self.open("field-def", &atoms, Some(field.span));
                self.ty(&field.ty);
                self.close();
            } else {
                let Some(clause) = orm.next() else { break };
                let atoms = self.ident(&clause.key);
                self.open("orm", &atoms, Some(clause.span));
                for arg in &clause.args {
                    self.expr(arg);
                }
                self.close();
            }
        }
        self.deriving(&def.deriving);
        self.close();
    }

    fn sum_def(&mut self, def: &'a SumDef, span: Option<Span>) {
        let atoms = self.named(&def.name, def.is_pub);
        self.open("sum", &atoms, span);
        self.ident_list("generics", &def.generics);
        for variant in &def.variants {
            let atoms = self.ident(&variant.name);
            self.open("variant", &atoms, Some(variant.span));
            for field in &variant.fields {
                let atoms = field
                    .name
                    .as_ref()
                    .map(|n| self.ident(n))
                    .unwrap_or_default();
                self.open("variant-field", &atoms, None);
                self.ty(&field.ty);
                self.close();
            }
            self.close();
        }
        self.deriving(&def.deriving);
        self.close();
    }

    fn alias_def(&mut self, def: &'a AliasDef, span: Option<Span>) {
        let atoms = self.named(&def.name, def.is_pub);
        self.open("alias", &atoms, span);
        self.ident_list("generics", &def.generics);
        self.ty(&def.ty);
        self.close();
    }

    fn interface_def(&mut self, def: &'a InterfaceDef, span: Option<Span>) {
        let atoms = self.named(&def.name, def.is_pub);
        self.open("interface", &atoms, span);
        self.ident_list("generics", &def.generics);
        self.ident_list("assoc-types", &def.assoc_types);
        for method in &def.methods {
            let atoms = self.ident(&method.name);
            self.open("method", &atoms, Some(method.span));
            self.params(&method.params);
            if let Some(ret) = &method.ret {
                self.wrap_type("ret", ret);
            }
            if let Some(body) = &method.body {
                self.wrap_expr("body", body);
            }
            self.close();
        }
        self.close();
    }

    fn impl_def(&mut self, def: &'a ImplDef, span: Option<Span>) {
        let atoms = format!(
            "{} for {}",
            self.path(&def.interface),
            self.path(&def.target)
        );
        self.open("impl", &atoms, span);
        if !def.interface_args.is_empty() {
            self.open("interface-args", "", None);
            for arg in &def.interface_args {
                self.ty(arg);
            }
            self.close();
        }
        self.where_bounds(&def.where_bounds);
        for (name, ty) in &def.assoc_types {
            let atoms = self.ident(name);
            self.open("assoc-type", &atoms, None);
            self.ty(ty);
            self.close();
        }
        for method in &def.methods {
            self.fn_def(method, None);
        }
        self.close();
    }

    fn actor_def(&mut self, def: &'a ActorDef, span: Option<Span>) {
        let atoms = self.ident(&def.name);
        self.open("actor", &atoms, span);
        self.params(&def.params);
        self.block(&def.body);
        if let Some(terminate) = &def.terminate {
            self.open("terminate", "", None);
            self.block(terminate);
            self.close();
        }
        self.close();
    }

    fn service_def(&mut self, def: &'a ServiceDef, span: Option<Span>) {
        let atoms = self.ident(&def.name);
        self.open("service", &atoms, span);
        for f in &def.fns {
            self.fn_def(f, None);
        }
        for handler in &def.handlers {
            let kind = match handler.kind {
                HandlerKind::Call => "call",
                HandlerKind::Cast => "cast",
            };
            let atoms = self.ident(&handler.name);
            self.open(kind, &atoms, Some(handler.span));
            self.params(&handler.params);
            if let Some(reply) = &handler.reply {
                self.wrap_type("reply", reply);
            }
            if let Some(state) = &handler.state {
                let atoms = self.ident(state);
                self.leaf("state", &atoms, None);
            }
            self.block(&handler.body);
            self.close();
        }
        self.close();
    }

    fn supervisor_def(&mut self, def: &'a SupervisorDef, span: Option<Span>) {
        let atoms = self.named(&def.name, def.is_pub);
        self.open("supervisor", &atoms, span);
        self.settings(&def.settings);
        for child in &def.children {
            let atoms = self.ident(&child.name);
            self.open("child", &atoms, Some(child.span));
            self.settings(&child.settings);
            self.close();
        }
        self.close();
    }

    fn settings(&mut self, settings: &'a [(Ident, Expr)]) {
        for (key, value) in settings {
            let atoms = self.ident(key);
            self.open("setting", &atoms, None);
            self.expr(value);
            self.close();
        }
    }

    // ---------------------------------------------------------------- types

    fn ty_node(&mut self, t: &'a TypeExpr) {
        let span = Some(t.span);
        match &t.kind {
            TypeKind::Named { path, args } => {
                let atoms = self.path(path);
                self.open("type", &atoms, span);
                for arg in args {
                    self.ty(arg);
                }
                self.close();
            }
            TypeKind::Tuple(elems) => {
                self.open("tuple-type", "", span);
                for elem in elems {
                    self.ty(elem);
                }
                self.close();
            }
            TypeKind::Fun { params, ret } => {
                self.open("fun-type", "", span);
                for param in params {
                    self.ty(param);
                }
                self.wrap_type("ret", ret);
                self.close();
            }
            TypeKind::Option(inner) => {
                self.open("option-type", "", span);
                self.ty(inner);
                self.close();
            }
            TypeKind::Result(ok, err) => {
                self.open("result-type", "", span);
                self.ty(ok);
                self.ty(err);
                self.close();
            }
        }
    }

    // ---------------------------------------------------------------- patterns

    fn pattern_node(&mut self, p: &'a Pattern) {
        let span = Some(p.span);
        match &p.kind {
            PatternKind::Wildcard => self.leaf("wildcard", "", span),
            PatternKind::Bind(name) => self.leaf("bind", name, span),
            PatternKind::Lit(lit) => {
                let atoms = match lit {
                    PatLit::Int(n) => n.to_string(),
                    PatLit::Float(x) => format!("{x:?}"),
                    PatLit::Str(s) => format!("{s:?}"),
                    PatLit::Bool(b) => b.to_string(),
                    PatLit::Nil => "nil".to_string(),
                };
                self.leaf("lit", &atoms, span);
            }
            PatternKind::Tuple(elems) => {
                self.open("tuple-pat", "", span);
                for elem in elems {
                    self.pattern(elem);
                }
                self.close();
            }
            PatternKind::Constructor { path, args } => {
                let atoms = self.path(path);
                self.open("ctor", &atoms, span);
                if let Some(args) = args {
                    self.open("args", "", None);
                    for arg in args {
                        self.pattern(arg);
                    }
                    self.close();
                }
                self.close();
            }
            PatternKind::Struct { path, fields, rest } => {
                let atoms = self.path(path);
                let atoms = if *rest { format!("{atoms} ..") } else { atoms };
                self.open("struct-pat", &atoms, span);
                for (name, pattern) in fields {
                    let atoms = self.ident(name);
                    self.open("field", &atoms, None);
                    if let Some(p) = pattern {
                        self.pattern(p);
                    }
                    self.close();
                }
                self.close();
            }
            PatternKind::Cons(head, tail) => {
                self.open("cons", "", span);
                self.pattern(head);
                self.pattern(tail);
                self.close();
            }
            PatternKind::Or(alts) => {
                self.open("or", "", span);
                for alt in alts {
                    self.pattern(alt);
                }
                self.close();
            }
            PatternKind::As(inner, name) => {
                let atoms = self.ident(name);
                self.open("as", &atoms, span);
                self.pattern(inner);
                self.close();
            }
        }
    }

    // ---------------------------------------------------------------- blocks and statements

    fn block_node(&mut self, b: &'a Block) {
        self.open("block", "", Some(b.span));
        for stmt in &b.stmts {
            self.stmt(stmt);
        }
        self.close();
    }

    fn stmt_node(&mut self, s: &'a Stmt) {
        let span = Some(s.span);
        match &s.kind {
            StmtKind::Let { pattern, ty, value } => {
                self.open("let", "", span);
                self.pattern(pattern);
                if let Some(ty) = ty {
                    self.ty(ty);
                }
                self.expr(value);
                self.close();
            }
            StmtKind::Return(value) => {
                self.open("return", "", span);
                if let Some(value) = value {
                    self.expr(value);
                }
                self.close();
            }
            StmtKind::Expr(e) if e.span == s.span => self.expr(e),
            StmtKind::Expr(e) => {
                self.open("expr-stmt", "", span);
                self.expr(e);
                self.close();
            }
            StmtKind::AssertReceive { pattern, timeout } => {
                self.open("assert-receive", "", span);
                self.pattern(pattern);
                if let Some(timeout) = timeout {
                    self.wrap_expr("timeout", timeout);
                }
                self.close();
            }
            StmtKind::Item(item) if item.span == s.span => self.item(item),
            StmtKind::Item(item) => {
                self.open("item-stmt", "", span);
                self.item(item);
                self.close();
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    fn expr_node(&mut self, e: &'a Expr) {
        let span = Some(e.span);
        match &e.kind {
            ExprKind::Int(n) => self.leaf("int", &n.to_string(), span),
            ExprKind::Float(x) => self.leaf("float", &format!("{x:?}"), span),
            ExprKind::Str(s) => self.leaf("str", &format!("{s:?}"), span),
            ExprKind::Interp(parts) => {
                self.open("interp", "", span);
                for part in parts {
                    match part {
                        InterpPart::Text(text) => self.leaf("text", &format!("{text:?}"), None),
                        InterpPart::Expr(inner) => self.expr(inner),
                    }
                }
                self.close();
            }
            ExprKind::Bool(b) => self.leaf("bool", &b.to_string(), span),
            ExprKind::Nil => self.leaf("nil", "", span),
            ExprKind::Atom(name) => self.leaf("atom", &format!(":{name}"), span),
            ExprKind::Regex { pattern, flags } => {
                self.leaf("regex", &format!("{pattern:?} {flags:?}"), span)
            }
            ExprKind::Name(name) => self.leaf("name", name, span),
            ExprKind::SelfValue => self.leaf("self", "", span),
            ExprKind::Binary { op, lhs, rhs } => {
                self.open("binary", op.symbol(), span);
                self.expr(lhs);
                self.expr(rhs);
                self.close();
            }
            ExprKind::Unary { op, operand } => {
                let symbol = match op {
                    UnOp::Neg => "-",
                    UnOp::Not => "not",
                };
                self.open("unary", symbol, span);
                self.expr(operand);
                self.close();
            }
            ExprKind::Call {
                callee,
                args,
                kwargs,
                trailing,
            } => self.call(callee, args, kwargs, trailing.as_deref(), span),
            ExprKind::Field { base, name } => {
                let atoms = self.ident(name);
                self.open("field", &atoms, span);
                self.expr(base);
                self.close();
            }
            ExprKind::Index { base, index } => {
                self.open("index", "", span);
                self.expr(base);
                self.expr(index);
                self.close();
            }
            ExprKind::Try(inner) => {
                self.open("try", "", span);
                self.expr(inner);
                self.close();
            }
            ExprKind::Pipe { lhs, rhs, slot } => {
                let symbol = match slot {
                    None => "|>".to_string(),
                    Some(n) => format!("|{n}>"),
                };
                self.open("pipe", &symbol, span);
                self.expr(lhs);
                self.expr(rhs);
                self.close();
            }
            ExprKind::If {
                cond,
                then_block,
                else_expr,
            } => {
                self.open("if", "", span);
                self.expr(cond);
                self.block(then_block);
                if let Some(else_expr) = else_expr {
                    self.wrap_expr("else", else_expr);
                }
                self.close();
            }
            ExprKind::Case { scrutinee, arms } => {
                self.open("case", "", span);
                self.expr(scrutinee);
                self.arms(arms);
                self.close();
            }
            ExprKind::Receive { arms, after } => {
                self.open("receive", "", span);
                self.arms(arms);
                if let Some((timeout, body)) = after {
                    self.open("after", "", None);
                    self.expr(timeout);
                    self.expr(body);
                    self.close();
                }
                self.close();
            }
            ExprKind::Block(b) if b.span == e.span => self.block(b),
            ExprKind::Block(b) => {
                self.open("block-expr", "", span);
                self.block(b);
                self.close();
            }
            ExprKind::Tuple(elems) => self.exprs("tuple", elems, span),
            ExprKind::List(elems) => self.exprs("list", elems, span),
            ExprKind::Map(entries) => {
                self.open("map", "", span);
                for (key, value) in entries {
                    self.open("entry", "", None);
                    self.expr(key);
                    self.expr(value);
                    self.close();
                }
                self.close();
            }
            ExprKind::StructLit { path, fields } => {
                let atoms = self.path(path);
                self.open("struct-lit", &atoms, span);
                self.field_inits(fields);
                self.close();
            }
            ExprKind::StructUpdate { base, fields } => {
                self.open("struct-update", "", span);
                self.expr(base);
                self.field_inits(fields);
                self.close();
            }
            ExprKind::Json(fields) => {
                self.open("json", "", span);
                self.field_inits(fields);
                self.close();
            }
            ExprKind::Closure(clauses) => {
                self.open("closure", "", span);
                for clause in clauses {
                    self.open("clause", "", Some(clause.span));
                    self.params(&clause.params);
                    if let Some(guard) = &clause.guard {
                        self.wrap_expr("guard", guard);
                    }
                    self.expr(&clause.body);
                    self.close();
                }
                self.close();
            }
            ExprKind::While { cond, body } => {
                self.open("while", "", span);
                self.expr(cond);
                self.block(body);
                self.close();
            }
            ExprKind::For {
                binding,
                iter,
                filter,
                body,
            } => {
                self.open("for", "", span);
                match binding {
                    ForBinding::Single(p) => {
                        self.open("binding", "", None);
                        self.pattern(p);
                        self.close();
                    }
                    ForBinding::KeyValue(k, v) => {
                        self.open("binding-kv", "", None);
                        self.pattern(k);
                        self.pattern(v);
                        self.close();
                    }
                }
                self.expr(iter);
                if let Some(filter) = filter {
                    self.wrap_expr("filter", filter);
                }
                self.block(body);
                self.close();
            }
            ExprKind::Break => self.leaf("break", "", span),
            ExprKind::Continue => self.leaf("continue", "", span),
        }
    }

    fn call(
        &mut self,
        callee: &'a Expr,
        args: &'a [Expr],
        kwargs: &'a [(Ident, Expr)],
        trailing: Option<&'a Expr>,
        span: Option<Span>,
    ) {
        self.open("call", "", span);
        self.expr(callee);
        for arg in args {
            self.expr(arg);
        }
        for (name, value) in kwargs {
            let atoms = self.ident(name);
            self.open("kwarg", &atoms, None);
            self.expr(value);
            self.close();
        }
        if let Some(trailing) = trailing {
            self.wrap_expr("trailing", trailing);
        }
        self.close();
    }

    fn exprs(&mut self, kind: &'static str, elems: &'a [Expr], span: Option<Span>) {
        self.open(kind, "", span);
        for elem in elems {
            self.expr(elem);
        }
        self.close();
    }

    fn field_inits(&mut self, fields: &'a [(Ident, Expr)]) {
        for (name, value) in fields {
            let atoms = self.ident(name);
            self.open("field-init", &atoms, None);
            self.expr(value);
            self.close();
        }
    }

    fn arms(&mut self, arms: &'a [Arm]) {
        for arm in arms {
            self.open("arm", "", Some(arm.span));
            self.pattern(&arm.pattern);
            if let Some(guard) = &arm.guard {
                self.wrap_expr("guard", guard);
            }
            self.expr(&arm.body);
            self.close();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_module;
    use crate::span::FileId;

    fn dump(src: &str) -> String {
        let parsed = parse_module(FileId(0), src);
        match parsed.module {
            Some(m) => print_module(&m, src),
            None => format!("parse failed: {:?}", parsed.diagnostics),
        }
    }

    #[test]
    fn prints_one_node_per_line_with_spans() {
        let src = "fn main() do\n  println(\"hi\")\nend\n";
        let expected = "\
(module @0..32
  (fn main@3..7 @0..32
    (params)
    (body
      (block @15..29
        (call @15..28
          (name println @15..22)
          (str \"hi\" @23..27))))))
";
        assert_eq!(dump(src), expected);
    }

    #[test]
    fn marks_spans_outside_the_source() {
        let m = Module {
            items: vec![],
            span: Span::new(FileId(0), 0, 9),
            comments: Default::default(),
        };
        assert_eq!(print_module(&m, "abc"), "(module @0..9!)\n");
    }

    #[test]
    fn output_is_deterministic() {
        let src = "pub fn f(x :: Int) -> Int = x * 2 + 1\n";
        assert_eq!(dump(src), dump(src));
        assert!(dump(src).contains("(fn f@7..8 pub @0..37"), "{}", dump(src));
    }
}

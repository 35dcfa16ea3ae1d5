//! Text forms of the checked program for `meshc build --dump=hir` and `--dump=types`.
//!
//! `hir` prints each function as an indented S-expression: one node per line, locals as
//! `name#id`, functions by qualified name, patterns inline. `types` prints each function's
//! generalised signature (type parameters as `A`, `B`, …) and the type of each of its locals.
//! Both walk the program's vectors in order, so the output is deterministic.

use crate::hir::{
    Arm, ExprId, ExprKind, FnDecl, ForIter, InterpPart, Lit, LocalId, PatId, PatKind, Program, Stmt,
};
use crate::ty::Types;
use std::fmt::Write;

/// The HIR of every function, in declaration order.
pub fn hir(program: &Program) -> String {
    let mut p = Printer {
        program,
        out: String::new(),
    };
    for decl in &program.fns {
        p.function(decl);
    }
    p.out
}

/// Each function's generalised type and the types of its locals.
pub fn types(program: &Program, types: &Types) -> String {
    let mut out = String::new();
    for (i, decl) in program.fns.iter().enumerate() {
        let ty = program
            .fn_types
            .get(i)
            .map_or_else(|| "?".to_string(), |&(ty, _)| types.display(ty));
        let _ = writeln!(out, "{} :: {ty}", signature_name(decl));
        for local in decl.locals.clone() {
            let id = LocalId(local);
            let name = program
                .locals
                .get(local as usize)
                .map_or("?", |l| l.name.as_str());
            let ty = program
                .local_types
                .get(local as usize)
                .map_or_else(|| "?".to_string(), |&ty| types.display(ty));
            let _ = writeln!(out, "  {name}#{} :: {ty}", id.0);
        }
    }
    out
}

fn signature_name(decl: &FnDecl) -> String {
    format!("fn {}/{}", decl.qualified_name(), decl.arity)
}

struct Printer<'p> {
    program: &'p Program,
    out: String,
}

impl Printer<'_> {
    fn function(&mut self, decl: &FnDecl) {
        let mut head = signature_name(decl);
        if decl.is_pub {
            head.push_str(" pub");
        }
        if decl.actor {
            head.push_str(" actor");
        }
        let params: Vec<String> = decl.params.iter().map(|&l| self.local(l)).collect();
        let _ = writeln!(self.out, "{head} ({})", params.join(", "));
        if decl.exprs.is_empty() {
            return;
        }
        self.expr(decl.body, 1);
    }

    fn local(&self, id: LocalId) -> String {
        let name = self
            .program
            .locals
            .get(id.0 as usize)
            .map_or("?", |l| l.name.as_str());
        format!("{name}#{}", id.0)
    }

    fn line(&mut self, depth: usize, text: &str) {
        let _ = writeln!(self.out, "{:width$}{text}", "", width = depth * 2);
    }

    /// One node: its head on a line, then its children one level deeper.
    fn expr(&mut self, id: ExprId, depth: usize) {
        let program = self.program;
        let Some(expr) = program.exprs.get(id.0 as usize) else {
            self.line(depth, "(?)");
            return;
        };
        match &expr.kind {
            ExprKind::Block { stmts, tail } => {
                self.line(depth, "(block");
                for stmt in stmts {
                    match stmt {
                        Stmt::Let { pat, value } => {
                            let head = format!("(let {}", self.pat(*pat));
                            self.line(depth + 1, &head);
                            self.expr(*value, depth + 2);
                            self.close();
                        }
                        Stmt::Expr(e) => self.expr(*e, depth + 1),
                    }
                }
                if let Some(tail) = tail {
                    self.expr(*tail, depth + 1);
                }
            }
            ExprKind::Case {
                scrutinee, arms, ..
            } => {
                self.line(depth, "(case");
                self.expr(*scrutinee, depth + 1);
                self.arms(arms, depth + 1);
            }
            ExprKind::Receive { arms, after } => {
                self.line(depth, "(receive");
                self.arms(arms, depth + 1);
                if let Some((ms, body)) = after {
                    self.line(depth + 1, "(after");
                    self.expr(*ms, depth + 2);
                    self.expr(*body, depth + 2);
                    self.close();
                }
            }
            ExprKind::For {
                pats,
                iter,
                filter,
                body,
            } => {
                let pats: Vec<String> = pats.iter().map(|&p| self.pat(p)).collect();
                let kind = match iter {
                    ForIter::Range(..) => "range",
                    ForIter::Value(_) => "value",
                };
                self.line(depth, &format!("(for {} {kind}", pats.join(" ")));
                let mut children = match iter {
                    ForIter::Range(a, b) => vec![*a, *b],
                    ForIter::Value(x) => vec![*x],
                };
                children.extend(filter);
                children.push(*body);
                for child in children {
                    self.expr(child, depth + 1);
                }
            }
            ExprKind::Interp(parts) => {
                self.line(depth, "(interp");
                for part in parts {
                    match part {
                        InterpPart::Text(t) => self.line(depth + 1, &format!("{t:?}")),
                        InterpPart::Expr(e) => self.expr(*e, depth + 1),
                    }
                }
            }
            ExprKind::Closure {
                params,
                body,
                captures,
                self_local,
                ..
            } => {
                let params: Vec<String> = params.iter().map(|&l| self.local(l)).collect();
                let captures: Vec<String> = captures.iter().map(|&l| self.local(l)).collect();
                let mut head = format!(
                    "(closure ({}) captures ({})",
                    params.join(", "),
                    captures.join(", ")
                );
                if let Some(me) = self_local {
                    let _ = write!(head, " self {}", self.local(*me));
                }
                self.line(depth, &head);
                self.expr(*body, depth + 1);
            }
            kind => {
                let head = self.head(kind);
                let children = program.children(id);
                if children.is_empty() {
                    self.line(depth, &format!("{head})"));
                    return;
                }
                self.line(depth, &head);
                for child in children {
                    self.expr(child, depth + 1);
                }
            }
        }
        self.close();
    }

    /// Closes the node opened on the last unclosed line: `)` before the last newline.
    fn close(&mut self) {
        self.out.pop();
        self.out.push_str(")\n");
    }

    fn arms(&mut self, arms: &[Arm], depth: usize) {
        for arm in arms {
            self.line(depth, &format!("(arm {}", self.pat(arm.pat)));
            if let Some(guard) = arm.guard {
                self.line(depth + 1, "(when");
                self.expr(guard, depth + 2);
                self.close();
            }
            self.expr(arm.body, depth + 1);
            self.close();
        }
    }

    /// The opening of a node whose children are `Program::children` (without the `)`).
    fn head(&self, kind: &ExprKind) -> String {
        match kind {
            ExprKind::Lit(lit) => format!("({}", literal(lit)),
            ExprKind::Local(l) => format!("(local {}", self.local(*l)),
            ExprKind::Fn(def) => {
                let name = self
                    .program
                    .fns
                    .get(def.0 as usize)
                    .map_or_else(|| "?".to_string(), FnDecl::qualified_name);
                format!("(fn {name}")
            }
            ExprKind::Builtin(b) => {
                let def = b.def();
                match def.module {
                    Some(m) => format!("(builtin {m}.{}", def.name),
                    None => format!("(builtin {}", def.name),
                }
            }
            ExprKind::Call { .. } => "(call".into(),
            ExprKind::Binary { op, .. } => format!("(binary {op:?}"),
            ExprKind::Unary { op, .. } => format!("(unary {op:?}"),
            ExprKind::If { .. } => "(if".into(),
            ExprKind::Tuple(_) => "(tuple".into(),
            ExprKind::List(_) => "(list".into(),
            ExprKind::Construct { adt, variant, .. } => {
                format!("(construct {}", self.constructor(adt.0, *variant))
            }
            ExprKind::Field { name, .. } => format!("(field {name}"),
            ExprKind::StructUpdate { fields, .. } => {
                let names: Vec<&str> = fields.iter().map(|f| f.0.as_str()).collect();
                format!("(update {}", names.join(" "))
            }
            ExprKind::Try(_) => "(try".into(),
            ExprKind::VariantFn { adt, variant } => {
                format!("(variant-fn {}", self.constructor(adt.0, Some(*variant)))
            }
            ExprKind::BoundMethod { interface, method } => {
                format!("(bound-method {interface}.{method}")
            }
            ExprKind::ImplMethod { target, method } => {
                format!("(impl-method {}.{method}", self.type_key(*target))
            }
            ExprKind::Map(_) => "(map".into(),
            ExprKind::Json(fields) => {
                let keys: Vec<&str> = fields.iter().map(|f| f.0.as_str()).collect();
                format!("(json {}", keys.join(" "))
            }
            ExprKind::While { .. } => "(while".into(),
            ExprKind::Break => "(break".into(),
            ExprKind::Continue => "(continue".into(),
            ExprKind::MethodCall { method, .. } => format!("(method-call {method}"),
            ExprKind::Return(_) => "(return".into(),
            ExprKind::Spawn { .. } => "(spawn".into(),
            ExprKind::NodeSpawn { link: false, .. } => "(node-spawn".into(),
            ExprKind::NodeSpawn { link: true, .. } => "(node-spawn-link".into(),
            ExprKind::SelfPid => "(self".into(),
            ExprKind::Error => "(error".into(),
            ExprKind::Block { .. }
            | ExprKind::Case { .. }
            | ExprKind::Receive { .. }
            | ExprKind::For { .. }
            | ExprKind::Interp(_)
            | ExprKind::Closure { .. } => "(".into(),
        }
    }

    /// `Shape` or `Option.Some`.
    fn type_key(&self, key: crate::hir::TypeKey) -> String {
        use crate::hir::TypeKey;
        match key {
            TypeKey::Int => "Int".into(),
            TypeKey::Float => "Float".into(),
            TypeKey::Bool => "Bool".into(),
            TypeKey::String => "String".into(),
            TypeKey::Adt(adt) => self.constructor(adt.0, None),
            TypeKey::Builtin(b) => b.name().to_string(),
        }
    }

    fn constructor(&self, adt: u32, variant: Option<u32>) -> String {
        let Some(def) = self.program.adts.get(adt as usize) else {
            return "?".into();
        };
        match variant.and_then(|v| def.variants().get(v as usize)) {
            Some(v) => format!("{}.{}", def.name, v.name),
            None => def.name.clone(),
        }
    }

    fn pat(&self, id: PatId) -> String {
        let Some(pat) = self.program.pats.get(id.0 as usize) else {
            return "?".into();
        };
        let list = |ids: &[PatId], sep: &str| {
            ids.iter()
                .map(|&p| self.pat(p))
                .collect::<Vec<_>>()
                .join(sep)
        };
        match &pat.kind {
            PatKind::Wildcard => "_".into(),
            PatKind::Bind(l) => self.local(*l),
            PatKind::Lit(lit) => literal(lit),
            PatKind::Tuple(items) => format!("{{{}}}", list(items, ", ")),
            PatKind::Variant {
                adt,
                variant,
                args,
                any_payload,
            } => {
                let name = self.constructor(adt.0, Some(*variant));
                match (args.is_empty(), any_payload) {
                    (true, true) => format!("{name}(..)"),
                    (true, false) => name,
                    (false, _) => format!("{name}({})", list(args, ", ")),
                }
            }
            PatKind::Struct { adt, fields } => {
                format!(
                    "{} {{{}}}",
                    self.constructor(adt.0, None),
                    list(fields, ", ")
                )
            }
            PatKind::Cons(head, tail) => format!("[{} :: {}]", self.pat(*head), self.pat(*tail)),
            PatKind::Or(alts) => format!("({})", list(alts, " | ")),
            PatKind::As(inner, l) => format!("({} as {})", self.pat(*inner), self.local(*l)),
            PatKind::Error => "<error>".into(),
        }
    }
}

fn literal(lit: &Lit) -> String {
    match lit {
        Lit::Int(n) => format!("int {n}"),
        Lit::Float(f) => format!("float {f:?}"),
        Lit::Bool(b) => format!("bool {b}"),
        Lit::Str(s) => format!("str {s:?}"),
        Lit::Unit => "unit".into(),
        Lit::Atom(a) => format!("atom :{a}"),
        Lit::Regex(r) => format!("regex {r:?}"),
    }
}

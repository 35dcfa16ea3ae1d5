//! Questions about a position in the typed program: what is here (hover), where is it defined
//! (go to definition), and what a file declares (document symbols). The index is the HIR's own
//! arenas: every expression, pattern, local and function carries its source span, so the
//! innermost span containing the offset names the thing under the cursor. Analysis keeps the
//! intact declarations of a broken file, so these answers work around a syntax error too.

use mesh_sema::builtins::Builtin;
use mesh_sema::hir::{AdtId, AdtKind, DefId, ExprId, ExprKind, LocalId, PatKind, Program};
use mesh_sema::ty::TyKind;
use mesh_sema::Checked;
use mesh_syntax::span::{FileId, Span};

/// The thing at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// An expression (a use of a local, a function, a constructor, or any other expression).
    Expr(ExprId),
    /// The field name of `a.b` (the `Field` expression).
    FieldName(ExprId),
    /// The method name of `a.m(…)` (the `MethodCall` expression).
    MethodName(ExprId),
    /// A variant or struct pattern.
    Pat(mesh_sema::hir::PatId),
    /// The declaration of a local (a parameter or a binding).
    LocalDecl(LocalId),
    /// The name in a function's declaration.
    FnDecl(DefId),
    /// A struct or sum type's declaration.
    AdtDecl(AdtId),
    /// A type annotation (`p :: Point`, `-> Int`) and the type it denotes.
    Annotation(mesh_sema::ty::TyId),
}

fn contains(span: Span, file: FileId, offset: u32) -> bool {
    span.file == file && span.start <= offset && offset < span.end
}

/// The innermost thing of file `file` whose span contains `offset`.
pub fn hit_at(program: &Program, file: FileId, offset: u32) -> Option<Hit> {
    let mut best: Option<(u32, Hit)> = None;
    let mut consider = |span: Span, hit: Hit| {
        if contains(span, file, offset) {
            let width = span.end - span.start;
            // Ties go to the later candidate: names (pushed last) beat the expressions
            // spanning exactly the same text.
            if best.is_none_or(|(w, _)| width <= w) {
                best = Some((width, hit));
            }
        }
    };
    for (i, adt) in program.adts.iter().enumerate() {
        consider(adt.span, Hit::AdtDecl(AdtId(index(i))));
    }
    for (i, expr) in program.exprs.iter().enumerate() {
        let id = ExprId(index(i));
        if matches!(expr.kind, ExprKind::Error) {
            continue;
        }
        consider(expr.span, Hit::Expr(id));
        match &expr.kind {
            ExprKind::Field { name_span, .. } => consider(*name_span, Hit::FieldName(id)),
            ExprKind::MethodCall { method_span, .. } => {
                consider(*method_span, Hit::MethodName(id));
            }
            _ => {}
        }
    }
    for (i, pat) in program.pats.iter().enumerate() {
        if matches!(pat.kind, PatKind::Variant { .. } | PatKind::Struct { .. }) {
            consider(pat.span, Hit::Pat(mesh_sema::hir::PatId(index(i))));
        }
    }
    for (i, local) in program.locals.iter().enumerate() {
        consider(local.span, Hit::LocalDecl(LocalId(index(i))));
    }
    for (i, f) in program.fns.iter().enumerate() {
        consider(f.name_span, Hit::FnDecl(DefId(index(i))));
    }
    let annotations = program
        .local_annotations
        .iter()
        .chain(&program.ret_annotations);
    for ann in annotations.flatten() {
        consider(ann.span, Hit::Annotation(ann.ty));
    }
    best.map(|(_, hit)| hit)
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The hover text (Markdown) for a hit.
pub fn hover(checked: &Checked, hit: Hit) -> Option<String> {
    let program = &checked.program;
    let types = &checked.types;
    let code = match hit {
        Hit::Expr(id) => match &program.exprs.get(id.0 as usize)?.kind {
            ExprKind::Local(l) => local_line(checked, *l)?,
            ExprKind::Fn(def) => fn_signature(checked, *def)?,
            ExprKind::Builtin(b) => builtin_signature(*b),
            ExprKind::Construct { adt, .. } | ExprKind::VariantFn { adt, .. } => {
                let ty = expr_ty(checked, id)?;
                format!("{}\n{}", adt_line(program, *adt)?, ty)
            }
            _ => expr_ty(checked, id)?,
        },
        Hit::FieldName(id) => {
            let ExprKind::Field { name, .. } = &program.exprs.get(id.0 as usize)?.kind else {
                return None;
            };
            format!("{name}: {}", expr_ty(checked, id)?)
        }
        Hit::MethodName(id) => match callee(program, id)? {
            Callee::Fn(def) => fn_signature(checked, def)?,
            Callee::Builtin(b) => builtin_signature(b),
        },
        Hit::Pat(id) => {
            let pat = program.pats.get(id.0 as usize)?;
            let ty = types.display(*program.pat_types.get(id.0 as usize)?);
            match pat.kind {
                PatKind::Variant { adt, .. } | PatKind::Struct { adt, .. } => {
                    format!("{}\n{ty}", adt_line(program, adt)?)
                }
                _ => ty,
            }
        }
        Hit::LocalDecl(l) => local_line(checked, l)?,
        Hit::FnDecl(def) => fn_signature(checked, def)?,
        Hit::AdtDecl(adt) => adt_line(program, adt)?,
        Hit::Annotation(ty) => match types.as_adt(ty) {
            Some((adt, _)) => format!("{}\n{}", adt_line(program, adt)?, types.display(ty)),
            None => types.display(ty),
        },
    };
    Some(format!("```mesh\n{code}\n```"))
}

fn expr_ty(checked: &Checked, id: ExprId) -> Option<String> {
    let ty = *checked.program.expr_types.get(id.0 as usize)?;
    Some(checked.types.display(ty))
}

fn local_line(checked: &Checked, l: LocalId) -> Option<String> {
    let local = checked.program.locals.get(l.0 as usize)?;
    let ty = *checked.program.local_types.get(l.0 as usize)?;
    Some(format!("{}: {}", local.name, checked.types.display(ty)))
}

/// `fn Module.name(a: Int, b: String) -> Bool`.
pub fn fn_signature(checked: &Checked, def: DefId) -> Option<String> {
    let (head, params, _) = fn_signature_parts(checked, def)?;
    Some(format!(
        "{head}({}){}",
        params.join(", "),
        fn_return(checked, def)
    ))
}

/// A function's head (`fn Module.name`), its parameters (`a: Int`), and its arity.
pub fn fn_signature_parts(checked: &Checked, def: DefId) -> Option<(String, Vec<String>, usize)> {
    let program = &checked.program;
    let types = &checked.types;
    let decl = program.fns.get(def.0 as usize)?;
    let param_tys = match program.fn_types.get(def.0 as usize) {
        Some(&(ty, _)) => match types.kind(types.shallow(ty)) {
            TyKind::Fun(params, _) => params.clone(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    let params = decl
        .params
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let name = program
                .locals
                .get(l.0 as usize)
                .map_or("_", |d| d.name.as_str());
            match param_tys.get(i) {
                Some(&t) => format!("{name}: {}", types.display(t)),
                None => name.to_string(),
            }
        })
        .collect();
    let keyword = if decl.actor { "actor" } else { "fn" };
    Some((
        format!("{keyword} {}", decl.qualified_name()),
        params,
        decl.arity,
    ))
}

/// ` -> Ret` of a function (empty when its type is unknown).
pub fn fn_return(checked: &Checked, def: DefId) -> String {
    let types = &checked.types;
    match checked.program.fn_types.get(def.0 as usize) {
        Some(&(ty, _)) => match types.kind(types.shallow(ty)) {
            TyKind::Fun(_, ret) => format!(" -> {}", types.display(*ret)),
            _ => String::new(),
        },
        None => String::new(),
    }
}

/// `String.length(String) -> Int`.
pub fn builtin_signature(b: Builtin) -> String {
    let def = b.def();
    match def.module {
        Some(m) => format!("{m}.{}{}", def.name, def.sig),
        None => format!("{}{}", def.name, def.sig),
    }
}

fn adt_line(program: &Program, adt: AdtId) -> Option<String> {
    let def = program.adts.get(adt.0 as usize)?;
    let generics = if def.generics.is_empty() {
        String::new()
    } else {
        format!("<{}>", def.generics.join(", "))
    };
    Some(match &def.kind {
        AdtKind::Struct { .. } => format!("struct {}{generics}", def.name),
        AdtKind::Sum { .. } => format!("type {}{generics}", def.name),
    })
}

/// What a method call resolved to.
pub enum Callee {
    Fn(DefId),
    Builtin(Builtin),
}

fn callee(program: &Program, call: ExprId) -> Option<Callee> {
    let ExprKind::MethodCall { callee, .. } = &program.exprs.get(call.0 as usize)?.kind else {
        return None;
    };
    match &program.exprs.get(callee.0 as usize)?.kind {
        ExprKind::Fn(def) => Some(Callee::Fn(*def)),
        ExprKind::Builtin(b) => Some(Callee::Builtin(*b)),
        _ => None,
    }
}

/// Where the thing of a hit is declared.
pub fn definition(checked: &Checked, hit: Hit) -> Option<Span> {
    let program = &checked.program;
    let adt_span = |adt: AdtId| {
        let def = program.adts.get(adt.0 as usize)?;
        (def.span.end > def.span.start).then_some(def.span)
    };
    let fn_span = |def: DefId| program.fns.get(def.0 as usize).map(|f| f.name_span);
    match hit {
        Hit::Expr(id) => match &program.exprs.get(id.0 as usize)?.kind {
            ExprKind::Local(l) => program.locals.get(l.0 as usize).map(|d| d.span),
            ExprKind::Fn(def) => fn_span(*def),
            ExprKind::Construct { adt, .. } | ExprKind::VariantFn { adt, .. } => adt_span(*adt),
            _ => None,
        },
        Hit::FieldName(id) => {
            let ExprKind::Field { base, .. } = &program.exprs.get(id.0 as usize)?.kind else {
                return None;
            };
            let ty = *program.expr_types.get(base.0 as usize)?;
            let (adt, _) = checked.types.as_adt(ty)?;
            adt_span(adt)
        }
        Hit::MethodName(id) => match callee(program, id)? {
            Callee::Fn(def) => fn_span(def),
            Callee::Builtin(_) => None,
        },
        Hit::Pat(id) => match program.pats.get(id.0 as usize)?.kind {
            PatKind::Variant { adt, .. } | PatKind::Struct { adt, .. } => adt_span(adt),
            _ => None,
        },
        Hit::LocalDecl(l) => program.locals.get(l.0 as usize).map(|d| d.span),
        Hit::FnDecl(def) => fn_span(def),
        Hit::AdtDecl(adt) => adt_span(adt),
        Hit::Annotation(ty) => adt_span(checked.types.as_adt(ty)?.0),
    }
}

/// A declaration of a file, for the outline.
pub struct Symbol {
    pub name: String,
    pub detail: String,
    pub kind: SymbolKind,
    /// The whole declaration and its name.
    pub span: Span,
    pub name_span: Span,
    pub children: Vec<Symbol>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Function,
    Struct,
    Enum,
    Field,
    Variant,
}

/// The functions and types file `file` declares, in source order.
pub fn symbols(checked: &Checked, file: FileId) -> Vec<Symbol> {
    let program = &checked.program;
    let types = &checked.types;
    let mut out = Vec::new();
    for (i, f) in program.fns.iter().enumerate() {
        let named = f.name_span.file == file && f.name_span.end > f.name_span.start;
        if !named || f.span.file != file || !is_identifier(&f.name) {
            continue;
        }
        let def = DefId(index(i));
        out.push(Symbol {
            name: f.name.clone(),
            detail: fn_signature(checked, def).unwrap_or_default(),
            kind: SymbolKind::Function,
            span: f.span.to(f.name_span),
            name_span: f.name_span,
            children: Vec::new(),
        });
    }
    for adt in &program.adts {
        if adt.span.file != file || adt.span.end <= adt.span.start {
            continue;
        }
        let child = |name: &str, detail: String, kind| Symbol {
            name: name.to_string(),
            detail,
            kind,
            span: adt.span,
            name_span: adt.span,
            children: Vec::new(),
        };
        let (kind, children) = match &adt.kind {
            AdtKind::Struct { fields } => (
                SymbolKind::Struct,
                fields
                    .iter()
                    .map(|f| child(&f.name, types.display(f.ty), SymbolKind::Field))
                    .collect(),
            ),
            AdtKind::Sum { variants } => (
                SymbolKind::Enum,
                variants
                    .iter()
                    .map(|v| child(&v.name, String::new(), SymbolKind::Variant))
                    .collect(),
            ),
        };
        let name = adt.name.rsplit('.').next().unwrap_or(&adt.name).to_string();
        out.push(Symbol {
            name,
            detail: String::new(),
            kind,
            span: adt.span,
            name_span: adt.span,
            children,
        });
    }
    out.sort_by_key(|s| s.span.start);
    out
}

pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '?' || c == '!')
}

/// The innermost function of file `file` whose body contains `offset`.
pub fn enclosing_fn(program: &Program, file: FileId, offset: u32) -> Option<DefId> {
    program
        .fns
        .iter()
        .enumerate()
        .filter(|(_, f)| f.span.file == file && f.span.start <= offset && offset <= f.span.end)
        .min_by_key(|(_, f)| f.span.end - f.span.start)
        .map(|(i, _)| DefId(index(i)))
}

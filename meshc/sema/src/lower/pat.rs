//! Lowering of patterns: bindings become locals of the innermost scope; uppercase names are
//! constructors when they name a variant in scope, else bindings (spec §4.7).

use super::Lowerer;
use crate::errors;
use crate::hir::{Annotation, Lit, PatId, PatKind};
use mesh_syntax::ast;

impl Lowerer<'_, '_> {
    /// The pattern of a `let` (a name, `_` or a tuple), with the binding's annotation.
    pub(super) fn lower_let_pat(
        &mut self,
        pattern: &ast::Pattern,
        ann: Option<Annotation>,
    ) -> PatId {
        if let ast::PatternKind::Bind(name) = &pattern.kind {
            let local = self.bind_local(name, pattern.span, ann);
            return self.program.add_pat(PatKind::Bind(local), pattern.span);
        }
        let pat = self.lower_pat(pattern);
        if let Some(ann) = ann {
            self.diags.push(errors::unsupported(
                "an annotation on a destructuring `let`",
                ann.span,
            ));
        }
        pat
    }

    pub(super) fn lower_pat(&mut self, pattern: &ast::Pattern) -> PatId {
        let mut names = Vec::new();
        self.lower_pat_in(pattern, &mut names, None)
    }

    /// `rebind`: inside the second and later alternatives of an or-pattern, names map to the
    /// locals the first alternative bound.
    fn lower_pat_in(
        &mut self,
        pattern: &ast::Pattern,
        names: &mut Vec<(String, crate::hir::LocalId)>,
        rebind: Option<&[(String, crate::hir::LocalId)]>,
    ) -> PatId {
        let span = pattern.span;
        let kind = match &pattern.kind {
            ast::PatternKind::Wildcard => PatKind::Wildcard,
            ast::PatternKind::Bind(name) => self.pat_bind(name, span, names, rebind),
            ast::PatternKind::Lit(lit) => PatKind::Lit(match lit {
                ast::PatLit::Int(n) => Lit::Int(*n),
                ast::PatLit::Float(x) => Lit::Float(*x),
                ast::PatLit::Str(s) => Lit::Str(s.clone()),
                ast::PatLit::Bool(b) => Lit::Bool(*b),
                ast::PatLit::Nil => Lit::Unit,
            }),
            ast::PatternKind::Tuple(elems) if elems.is_empty() => PatKind::Lit(Lit::Unit),
            ast::PatternKind::Tuple(elems) => PatKind::Tuple(
                elems
                    .iter()
                    .map(|p| self.lower_pat_in(p, names, rebind))
                    .collect(),
            ),
            ast::PatternKind::Constructor { path, args } => {
                self.pat_constructor(path, args.as_deref(), names, rebind)
            }
            ast::PatternKind::Struct { path, fields, rest } => {
                self.pat_struct(path, fields, *rest, names, rebind)
            }
            ast::PatternKind::Cons(h, t) => {
                let h = self.lower_pat_in(h, names, rebind);
                let t = self.lower_pat_in(t, names, rebind);
                PatKind::Cons(h, t)
            }
            ast::PatternKind::Or(alts) => self.pat_or(alts, names, rebind),
            ast::PatternKind::As(inner, name) => {
                let inner = self.lower_pat_in(inner, names, rebind);
                let whole = match self.pat_bind(&name.name, name.span, names, rebind) {
                    PatKind::Bind(l) => l,
                    _ => unreachable!("pat_bind binds"),
                };
                PatKind::As(inner, whole)
            }
        };
        self.program.add_pat(kind, span)
    }

    fn pat_bind(
        &mut self,
        name: &str,
        span: mesh_syntax::span::Span,
        names: &mut Vec<(String, crate::hir::LocalId)>,
        rebind: Option<&[(String, crate::hir::LocalId)]>,
    ) -> PatKind {
        if let Some(existing) = rebind.and_then(|r| r.iter().find(|(n, _)| n == name)) {
            names.push(existing.clone());
            return PatKind::Bind(existing.1);
        }
        let local = self.bind_local(name, span, None);
        names.push((name.to_string(), local));
        PatKind::Bind(local)
    }

    fn pat_constructor(
        &mut self,
        path: &ast::Path,
        args: Option<&[ast::Pattern]>,
        names: &mut Vec<(String, crate::hir::LocalId)>,
        rebind: Option<&[(String, crate::hir::LocalId)]>,
    ) -> PatKind {
        let found = match path.segments.as_slice() {
            [single] => self.lookup_variant(&single.name),
            [ty, variant] => self.lookup_type(&ty.name).and_then(|adt| {
                self.program
                    .adt(adt)
                    .variants()
                    .iter()
                    .position(|v| v.name == variant.name)
                    .map(|i| (adt, i as u32))
            }),
            _ => None,
        };
        let Some((adt, variant)) = found else {
            if let ([single], None) = (path.segments.as_slice(), args) {
                // An uppercase name that is no variant binds (spec §4.7).
                return self.pat_bind(&single.name, single.span, names, rebind);
            }
            self.diags
                .push(errors::unknown_variant(&path.joined(), path.span));
            return PatKind::Error;
        };
        let arity = self.program.adt(adt).variants()[variant as usize]
            .fields
            .len();
        match args {
            None => PatKind::Variant {
                adt,
                variant,
                args: vec![],
                any_payload: arity > 0,
            },
            Some(args) if args.len() != arity => {
                self.diags
                    .push(errors::arity_mismatch(arity, args.len(), path.span));
                PatKind::Error
            }
            Some(args) => {
                let args = args
                    .iter()
                    .map(|p| self.lower_pat_in(p, names, rebind))
                    .collect();
                PatKind::Variant {
                    adt,
                    variant,
                    args,
                    any_payload: false,
                }
            }
        }
    }

    /// `Down { ref: r, reason, .. }`: the built-in `Down` and `Exit` only (the language has
    /// no struct patterns, spec §4.7; stdlib §16.2 matches system messages so).
    fn pat_struct(
        &mut self,
        path: &ast::Path,
        fields: &[(ast::Ident, Option<ast::Pattern>)],
        rest: bool,
        names: &mut Vec<(String, crate::hir::LocalId)>,
        rebind: Option<&[(String, crate::hir::LocalId)]>,
    ) -> PatKind {
        let name = path.joined();
        let adt = match self.lookup_type(&name) {
            Some(adt) if adt == crate::hir::DOWN || adt == crate::hir::EXIT => adt,
            _ => {
                self.diags.push(errors::unsupported(
                    "a struct pattern other than `Down { … }` or `Exit { … }`",
                    path.span,
                ));
                // Bind the names anyway, so their uses report nothing more.
                for (field, pattern) in fields {
                    match pattern {
                        Some(p) => {
                            self.lower_pat_in(p, names, rebind);
                        }
                        None => {
                            self.pat_bind(&field.name, field.span, names, rebind);
                        }
                    }
                }
                return PatKind::Error;
            }
        };
        let crate::hir::AdtKind::Struct { fields: decl } = self.program.adt(adt).kind.clone()
        else {
            return PatKind::Error;
        };
        let mut slots: Vec<Option<PatId>> = vec![None; decl.len()];
        for (field, pattern) in fields {
            let pat = match pattern {
                Some(p) => self.lower_pat_in(p, names, rebind),
                None => {
                    let kind = self.pat_bind(&field.name, field.span, names, rebind);
                    self.program.add_pat(kind, field.span)
                }
            };
            match decl.iter().position(|f| f.name == field.name) {
                Some(i) => slots[i] = Some(pat),
                None => self
                    .diags
                    .push(errors::unknown_field(&field.name, &name, field.span)),
            }
        }
        let mut out = Vec::new();
        for (i, slot) in slots.into_iter().enumerate() {
            match slot {
                Some(p) => out.push(p),
                None => {
                    if !rest {
                        self.diags
                            .push(errors::missing_field(&decl[i].name, &name, path.span));
                    }
                    out.push(self.program.add_pat(PatKind::Wildcard, path.span));
                }
            }
        }
        PatKind::Struct { adt, fields: out }
    }

    fn pat_or(
        &mut self,
        alts: &[ast::Pattern],
        names: &mut Vec<(String, crate::hir::LocalId)>,
        rebind: Option<&[(String, crate::hir::LocalId)]>,
    ) -> PatKind {
        let mut first_names = Vec::new();
        let mut lowered = Vec::new();
        for (i, alt) in alts.iter().enumerate() {
            let mut alt_names = Vec::new();
            let r = if i == 0 {
                rebind.map(<[_]>::to_vec)
            } else {
                Some(first_names.clone())
            };
            lowered.push(self.lower_pat_in(alt, &mut alt_names, r.as_deref()));
            if i == 0 {
                first_names = alt_names;
            } else {
                let mut a: Vec<String> = first_names.iter().map(|(n, _)| n.clone()).collect();
                let mut b: Vec<String> = alt_names.iter().map(|(n, _)| n.clone()).collect();
                a.sort();
                b.sort();
                if a != b {
                    self.diags
                        .push(errors::or_pattern_mismatch(&a, &b, alt.span));
                }
            }
        }
        names.extend(first_names);
        PatKind::Or(lowered)
    }
}

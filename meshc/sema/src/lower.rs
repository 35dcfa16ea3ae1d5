//! AST → HIR: resolves every name (locals, functions, types and variants of the module,
//! imports, stdlib), desugars pipes into calls, resolves constructors and struct literals, and
//! records annotations as types for the checker. Declarations of all modules are collected
//! first so forward references and mutual recursion work (spec §2.3).

mod actors;
mod bounds;
mod cluster;
mod expr;
mod from_json;
mod impls;
mod nested;
mod node_spawn;
mod pat;
mod schema;
mod types;

use crate::builtins::Builtin;
use crate::errors;
use crate::hir::{
    AdtDef, AdtId, AdtKind, Annotation, DefId, ExprId, FnDecl, LocalId, Program, VariantDef,
};
use crate::ty::{TyKind, Types};
use mesh_syntax::ast;
use mesh_syntax::diagnostic::Diagnostic;
use mesh_syntax::span::Span;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// One parsed module handed to semantic analysis.
pub struct ModuleInput {
    /// Module name (`Main`, `Api.Router`).
    pub name: String,
    pub ast: ast::Module,
}

/// The functions waiting for their bodies to be lowered: (function, module, clauses). A clause
/// is borrowed from the parsed modules or owned when lowering synthesised it (service
/// functions, impl default bodies): nothing outlives the call of [`lower`], so a long-running
/// process (the language server) does not grow with every check.
pub(super) type Bodies<'m> = Vec<(DefId, String, Vec<Cow<'m, ast::FnDef>>)>;

/// What a module-level name refers to.
#[derive(Debug, Clone)]
enum Binding {
    Fn(DefId),
    /// A stdlib function bound by `from String import length` (spec §2.3).
    Builtin(Builtin),
    Module(String),
    /// A service of another module bound by `from M import Svc`: (module, service).
    Service(String, String),
    /// A name whose import failed (already reported): uses of it report nothing more.
    Poisoned,
}

/// A type alias: its generics and its (unresolved) definition.
struct Alias<'m> {
    module: String,
    def: &'m ast::AliasDef,
}

/// One lexical scope of locals; closures open a boundary so captures can be recorded.
#[derive(Default)]
struct Scope {
    bindings: Vec<(String, LocalId)>,
}

struct Lowerer<'a, 'm> {
    program: Program,
    types: &'a mut Types,
    diags: &'a mut Vec<Diagnostic>,
    /// Functions by (module, name).
    fns: BTreeMap<(String, String), DefId>,
    /// Values visible at module level, per module.
    scopes: HashMap<String, HashMap<String, Binding>>,
    /// Types visible per module (own, imported, built-in), by name.
    type_scopes: HashMap<String, HashMap<String, AdtId>>,
    /// Variants visible per module, by bare name.
    variant_scopes: HashMap<String, HashMap<String, (AdtId, u32)>>,
    aliases: HashMap<(String, String), Alias<'m>>,
    /// Local scopes of the function being lowered, innermost last.
    locals: Vec<Scope>,
    /// Captures of the closures being lowered, innermost last (scope index of the boundary).
    closures: Vec<(usize, Vec<LocalId>)>,
    /// Loops enclosing the expression being lowered (closures start again at 0).
    loop_depth: u32,
    /// Interfaces by name (all modules: interfaces and impls are global, spec §2.3).
    interfaces: HashMap<String, &'m ast::InterfaceDef>,
    /// The module declaring each interface (its signatures resolve there).
    interface_modules: HashMap<String, String>,
    /// Impl declarations waiting for imports, with their module.
    impl_items: Vec<(String, &'m ast::ImplDef, Span)>,
    /// The receiver type of each impl method's `self`.
    self_types: HashMap<DefId, (crate::hir::TypeKey, Vec<String>)>,
    /// The associated types (`type Out = String`) of the impl each method belongs to.
    impl_assoc: HashMap<DefId, &'m [(ast::Ident, ast::TypeExpr)]>,
    /// The function being lowered (for `Self.X` and `self`).
    current_def: Option<DefId>,
    /// Type parameters in scope (`fn id<T>`), mapped to one inference variable each.
    generics: Vec<(String, crate::ty::TyId)>,
    module: String,
    entry_module: String,
    /// Services by (module, name): `Name.member` resolves to their generated functions.
    services: std::collections::HashSet<(String, String)>,
    /// Supervisors by (module, name): `spawn(Name)` starts their generated `Name.__init`.
    supervisors: std::collections::HashSet<(String, String)>,
    /// The function being lowered may `receive` and call `self()` (an actor or `main`).
    in_actor: bool,
    /// The service whose generated or own function is being lowered: bare names find the
    /// service's functions (`fn helper` inside `service S` is `S.helper`).
    service_ctx: Option<String>,
    /// The generated `T.from_json` of each type deriving `Json`.
    from_json: HashMap<AdtId, DefId>,
    /// The generated `T.from_row` of each struct deriving `Row`.
    from_row: HashMap<AdtId, DefId>,
    /// The generated `T.__table__` etc. of each struct deriving `Schema` (`lower/schema.rs`).
    schema_fns: HashMap<(AdtId, &'static str), DefId>,
    /// The `HTTP.clustered(…)` call (by span) being lowered as a route's handler argument,
    /// the one place it is allowed (E0049).
    clustered_ok: Option<Span>,
    /// The `HTTP.clustered` calls lowered so far (`lower/cluster.rs`).
    route_uses: Vec<cluster::RouteUse>,
}

/// Lowers all modules into one program.
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
        type_scopes: HashMap::new(),
        variant_scopes: HashMap::new(),
        aliases: HashMap::new(),
        locals: Vec::new(),
        closures: Vec::new(),
        generics: Vec::new(),
        module: String::new(),
        entry_module: entry_module.to_string(),
        loop_depth: 0,
        interfaces: HashMap::new(),
        interface_modules: HashMap::new(),
        impl_items: Vec::new(),
        self_types: HashMap::new(),
        impl_assoc: HashMap::new(),
        current_def: None,
        services: std::collections::HashSet::new(),
        supervisors: std::collections::HashSet::new(),
        in_actor: false,
        service_ctx: None,
        from_json: HashMap::new(),
        from_row: HashMap::new(),
        schema_fns: HashMap::new(),
        clustered_ok: None,
        route_uses: Vec::new(),
    };
    l.declare_builtin_adts();
    let mut bodies = Vec::new();
    let mut adt_items = Vec::new();
    for m in modules {
        l.declare_items(m, &mut bodies, &mut adt_items);
    }
    for m in modules {
        l.resolve_imports(m, modules);
    }
    let structs: Vec<schema::StructItem> = adt_items
        .iter()
        .filter_map(|(adt, module, item)| match item {
            AdtItem::Struct(s) => Some((*adt, module.clone(), *s)),
            AdtItem::Sum(_) => None,
        })
        .collect();
    for (adt, module, item) in adt_items {
        l.module = module;
        l.define_adt(adt, item);
    }
    l.declare_impls(&mut bodies);
    l.declare_from_json();
    l.declare_schemas(&structs);
    l.declare_interface_sigs();
    for (def, module, clauses) in &bodies {
        l.module = module.clone();
        let clauses: Vec<&ast::FnDef> = clauses.iter().map(|c| c.as_ref()).collect();
        l.lower_fn(*def, &clauses);
    }
    l.collect_clustered(modules);
    l.program.entry = l
        .fns
        .get(&(entry_module.to_string(), "main".to_string()))
        .copied();
    if l.program.entry.is_none() {
        l.diags.push(errors::missing_main(entry_module));
    }
    l.program
}

/// What `deriving(...)` accepts (spec §3.5; `Schema` is the P2 ORM form).
const DERIVABLE: &[&str] = &[
    "Eq", "Ord", "Display", "Debug", "Hash", "Json", "Row", "Schema",
];

/// A struct or sum type declaration waiting for its field types to be resolved.
enum AdtItem<'m> {
    Struct(&'m ast::StructDef),
    /// A sum type of the source, or the request type synthesised for a service.
    Sum(Cow<'m, ast::SumDef>),
}

impl<'a, 'm> Lowerer<'a, 'm> {
    /// `Option<T>`, `Result<T, E>` and `Ordering` (spec §3.3), visible everywhere.
    fn declare_builtin_adts(&mut self) {
        let g0 = self.types.intern(TyKind::Gen(0));
        let g1 = self.types.intern(TyKind::Gen(1));
        let variant = |name: &str, fields: Vec<crate::ty::TyId>| VariantDef {
            name: name.into(),
            field_names: vec![None; fields.len()],
            fields,
        };
        let builtins = [
            (
                "Option",
                vec!["T"],
                vec![variant("Some", vec![g0]), variant("None", vec![])],
            ),
            (
                "Result",
                vec!["T", "E"],
                vec![variant("Ok", vec![g0]), variant("Err", vec![g1])],
            ),
            (
                "Ordering",
                vec![],
                vec![
                    variant("Less", vec![]),
                    variant("Equal", vec![]),
                    variant("Greater", vec![]),
                ],
            ),
        ];
        for (name, generics, variants) in builtins {
            self.program.adts.push(AdtDef {
                name: name.into(),
                module: String::new(),
                is_pub: true,
                generics: generics.into_iter().map(String::from).collect(),
                kind: AdtKind::Sum { variants },
                deriving: Some(vec![
                    "Eq".into(),
                    "Ord".into(),
                    "Display".into(),
                    "Debug".into(),
                    "Hash".into(),
                ]),
                span: Span::default(),
            });
        }
        // `Down { ref, pid, reason }`: what a monitor delivers (stdlib spec §16.2), and
        // `Exit { pid, reason }`: a linked process's end for a process trapping exits. The
        // runtime builds both (sched/monitor.rs).
        let (int, string) = (self.types.int(), self.types.string());
        let pid = self.types.builtin(crate::ty::BuiltinTy::Pid, vec![]);
        let boolean = self.types.bool();
        // `ContinuitySubmitDecision.record` (stdlib spec §17.4).
        let continuity_record = self.types.adt(crate::ty::AdtId::CONTINUITY_RECORD, vec![]);
        // `HttpResponse { status, body, headers }`: what `Http.send` returns (stdlib spec §19),
        // built by the runtime (abi/http_client.rs).
        let headers = self
            .types
            .builtin(crate::ty::BuiltinTy::Map, vec![string, string]);
        let structs = [
            ("Down", vec![("ref", int), ("pid", pid), ("reason", string)]),
            ("Exit", vec![("pid", pid), ("reason", string)]),
            (
                "HttpResponse",
                vec![("status", int), ("body", string), ("headers", headers)],
            ),
            (
                "BootstrapStatus",
                vec![
                    ("mode", string),
                    ("node_name", string),
                    ("cluster_port", int),
                    ("discovery_seed", string),
                ],
            ),
            (
                "ContinuityRecord",
                vec![
                    ("request_key", string),
                    ("payload_hash", string),
                    ("attempt_id", string),
                    ("phase", string),
                    ("result", string),
                    ("ingress_node", string),
                    ("owner_node", string),
                    ("replica_node", string),
                    ("replication_count", int),
                    ("replica_status", string),
                    ("cluster_role", string),
                    ("promotion_epoch", int),
                    ("replication_health", string),
                    ("execution_node", string),
                    ("routed_remotely", boolean),
                    ("fell_back_locally", boolean),
                    ("error", string),
                ],
            ),
            (
                "ContinuityAuthorityStatus",
                vec![
                    ("cluster_role", string),
                    ("promotion_epoch", int),
                    ("replication_health", string),
                ],
            ),
            (
                "ContinuitySubmitDecision",
                vec![
                    ("outcome", string),
                    ("conflict_reason", string),
                    ("record", continuity_record),
                ],
            ),
        ];
        for (name, fields) in structs {
            self.program.adts.push(AdtDef {
                name: name.into(),
                module: String::new(),
                is_pub: true,
                generics: vec![],
                kind: AdtKind::Struct {
                    fields: fields
                        .into_iter()
                        .map(|(n, ty)| crate::hir::FieldDef { name: n.into(), ty })
                        .collect(),
                },
                deriving: Some(vec!["Eq".into(), "Display".into(), "Debug".into()]),
                span: Span::default(),
            });
        }
    }

    /// A type the current module declares or imports by name (not a pre-declared one).
    fn user_type(&self, name: &str) -> Option<AdtId> {
        self.type_scopes
            .get(&self.module)
            .and_then(|s| s.get(name))
            .copied()
    }

    /// Looks a type up by name in the current module (own, imported, then built-in).
    fn lookup_type(&self, name: &str) -> Option<AdtId> {
        if let Some(id) = self.user_type(name) {
            return Some(id);
        }
        match name {
            "Option" => Some(crate::hir::OPTION),
            "Result" => Some(crate::hir::RESULT),
            "Ordering" => Some(crate::hir::ORDERING),
            "Down" => Some(crate::hir::DOWN),
            "Exit" => Some(crate::hir::EXIT),
            "HttpResponse" => Some(crate::ty::AdtId::HTTP_RESPONSE),
            "BootstrapStatus" => Some(crate::ty::AdtId::BOOTSTRAP_STATUS),
            "ContinuityRecord" => Some(crate::ty::AdtId::CONTINUITY_RECORD),
            "ContinuityAuthorityStatus" => Some(crate::ty::AdtId::CONTINUITY_AUTHORITY_STATUS),
            "ContinuitySubmitDecision" => Some(crate::ty::AdtId::CONTINUITY_SUBMIT_DECISION),
            _ => None,
        }
    }

    /// Looks a bare variant name up in the current module (own, imported, then built-in).
    fn lookup_variant(&self, name: &str) -> Option<(AdtId, u32)> {
        if let Some(&v) = self
            .variant_scopes
            .get(&self.module)
            .and_then(|s| s.get(name))
        {
            return Some(v);
        }
        for adt in [crate::hir::OPTION, crate::hir::RESULT, crate::hir::ORDERING] {
            if let Some(i) = self
                .program
                .adt(adt)
                .variants()
                .iter()
                .position(|v| v.name == name)
            {
                return Some((adt, i as u32));
            }
        }
        None
    }

    fn display_name(&self, module: &str, name: &str) -> String {
        if module == self.entry_module {
            name.to_string()
        } else {
            format!("{module}.{name}")
        }
    }

    fn declare_items(
        &mut self,
        m: &'m ModuleInput,
        bodies: &mut Bodies<'m>,
        adts: &mut Vec<(AdtId, String, AdtItem<'m>)>,
    ) {
        // Whether the previous item was a function, so consecutive clauses group (spec §3.1.2).
        let mut previous_fn = false;
        for item in &m.ast.items {
            let is_fn = matches!(item.kind, ast::ItemKind::Fn(_));
            let continues = previous_fn;
            previous_fn = is_fn;
            match &item.kind {
                ast::ItemKind::Fn(f) if continues && self.add_clause(m, f, bodies) => {}
                ast::ItemKind::Fn(f) => self.declare_fn(m, item.span, Cow::Borrowed(f), bodies),
                ast::ItemKind::Struct(s) => {
                    let id = self.declare_adt(
                        m,
                        &s.name,
                        s.is_pub,
                        &s.generics,
                        s.deriving.as_ref(),
                        item.span,
                    );
                    adts.push((id, m.name.clone(), AdtItem::Struct(s)));
                }
                ast::ItemKind::Sum(s) => {
                    let id = self.declare_adt(
                        m,
                        &s.name,
                        s.is_pub,
                        &s.generics,
                        s.deriving.as_ref(),
                        item.span,
                    );
                    let scope = self.variant_scopes.entry(m.name.clone()).or_default();
                    for (i, v) in s.variants.iter().enumerate() {
                        scope.insert(v.name.name.clone(), (id, i as u32));
                    }
                    self.reject_schema_on_sum(s);
                    adts.push((id, m.name.clone(), AdtItem::Sum(Cow::Borrowed(s))));
                }
                ast::ItemKind::Alias(a) => {
                    self.aliases.insert(
                        (m.name.clone(), a.name.name.clone()),
                        Alias {
                            module: m.name.clone(),
                            def: a,
                        },
                    );
                }
                ast::ItemKind::Interface(i) => {
                    self.interfaces.insert(i.name.name.clone(), i);
                    self.interface_modules
                        .insert(i.name.name.clone(), m.name.clone());
                }
                ast::ItemKind::Impl(i) => self.impl_items.push((m.name.clone(), i, item.span)),
                ast::ItemKind::Import(_) | ast::ItemKind::FromImport { .. } => {}
                ast::ItemKind::Actor(a) => self.declare_actor(m, item.span, a, bodies),
                ast::ItemKind::Supervisor(sup) => {
                    self.declare_supervisor(m, item.span, sup, bodies)
                }
                ast::ItemKind::Service(svc) => {
                    if let Some(sum) = self.declare_service(m, item.span, svc, bodies) {
                        let id = self.declare_adt(m, &sum.name, false, &[], None, item.span);
                        adts.push((id, m.name.clone(), AdtItem::Sum(Cow::Owned(sum))));
                    }
                }
                _ => self
                    .diags
                    .push(errors::unsupported("this kind of declaration", item.span)),
            }
        }
    }

    fn declare_fn(
        &mut self,
        m: &ModuleInput,
        span: Span,
        f: Cow<'m, ast::FnDef>,
        bodies: &mut Bodies<'m>,
    ) {
        let key = (m.name.clone(), f.name.name.clone());
        if self.fns.contains_key(&key) {
            self.diags.push(errors::duplicate_function(
                &f.name.name,
                f.arity(),
                f.name.span,
            ));
            return;
        }
        let def = DefId(self.program.fns.len() as u32);
        self.program.fns.push(FnDecl {
            arity: f.arity(),
            name: f.name.name.clone(),
            module: m.name.clone(),
            is_pub: f.is_pub,
            actor: false,
            params: Vec::new(),
            param_spans: Vec::new(),
            body: ExprId(0),
            span,
            name_span: f.name.span,
            exprs: 0..0,
            locals: 0..0,
            pats: 0..0,
        });
        self.program.ret_annotations.push(None);
        self.fns.insert(key, def);
        self.scopes
            .entry(m.name.clone())
            .or_default()
            .insert(f.name.name.clone(), Binding::Fn(def));
        bodies.push((def, m.name.clone(), vec![f]));
    }

    /// Adds `f` as a further clause of the function just declared when it has the same name
    /// (E0024 on an arity mismatch, E0022 after a catch-all, W0002 for ignored parts).
    /// Returns false when `f` starts a new function.
    fn add_clause(
        &mut self,
        m: &ModuleInput,
        f: &'m ast::FnDef,
        bodies: &mut [(DefId, String, Vec<Cow<'m, ast::FnDef>>)],
    ) -> bool {
        let Some((_, module, clauses)) = bodies.last_mut() else {
            return false;
        };
        let Some(first) = clauses.first() else {
            return false;
        };
        if *module != m.name || first.name.name != f.name.name {
            return false;
        }
        let previous: Vec<&ast::FnDef> = clauses.iter().map(|c| c.as_ref()).collect();
        if self.check_next_clause(&previous, f) {
            clauses.push(Cow::Borrowed(f));
        }
        true
    }

    /// Checks `f` as a further clause of the function whose clauses so far are `clauses`
    /// (non-empty): E0024 on an arity mismatch, E0022 after a catch-all, W0002 for the parts a
    /// later clause ignores. Returns false when `f` cannot be a clause (its arity differs).
    fn check_next_clause(&mut self, clauses: &[&ast::FnDef], f: &ast::FnDef) -> bool {
        let Some(first) = clauses.first() else {
            return true;
        };
        let name = &f.name.name;
        if f.arity() != first.arity() {
            self.diags.push(errors::clause_arity(
                name,
                first.arity(),
                f.arity(),
                f.name.span,
            ));
            return false;
        }
        if clauses.last().is_some_and(|c| is_catch_all(c)) {
            if clauses.len() == 1 || !clauses[..clauses.len() - 1].iter().any(|c| is_catch_all(c)) {
                self.diags
                    .push(errors::clause_after_catch_all(name, f.arity(), f.name.span));
            }
            return true;
        }
        let ignored = [
            (f.is_pub, "`pub`"),
            (!f.generics.is_empty(), "generic parameters"),
            (f.ret.is_some(), "a return type"),
        ];
        for (present, what) in ignored {
            if present {
                self.diags
                    .push(errors::ignored_on_clause(what, name, f.name.span));
            }
        }
        true
    }

    fn declare_adt(
        &mut self,
        m: &ModuleInput,
        name: &ast::Ident,
        is_pub: bool,
        generics: &[ast::Ident],
        deriving: Option<&Vec<ast::Ident>>,
        span: Span,
    ) -> AdtId {
        let id = AdtId(self.program.adts.len() as u32);
        for d in deriving.into_iter().flatten() {
            if !DERIVABLE.contains(&d.name.as_str()) {
                self.diags
                    .push(errors::cannot_derive(&d.name, &name.name, d.span));
            }
        }
        if let Some(list) = deriving {
            let has = |t: &str| list.iter().any(|d| d.name == t);
            if let Some(ord) = list.iter().find(|d| d.name == "Ord").filter(|_| !has("Eq")) {
                self.diags
                    .push(errors::ord_without_eq(&name.name, ord.span));
            }
        }
        let display = self.display_name(&m.name, &name.name);
        self.types
            .name_adt(id, &display, &format!("{}.{}", m.name, name.name));
        self.program.adts.push(AdtDef {
            name: display,
            module: m.name.clone(),
            is_pub,
            generics: generics.iter().map(|g| g.name.clone()).collect(),
            kind: AdtKind::Struct { fields: vec![] },
            deriving: deriving.map(|d| d.iter().map(|i| i.name.clone()).collect()),
            span,
        });
        self.type_scopes
            .entry(m.name.clone())
            .or_default()
            .insert(name.name.clone(), id);
        id
    }

    /// Resolves the field or payload types of a struct or sum type.
    fn define_adt(&mut self, adt: AdtId, item: AdtItem<'m>) {
        let generics: Vec<(String, crate::ty::TyId)> = self
            .program
            .adt(adt)
            .generics
            .iter()
            .enumerate()
            .map(|(i, g)| (g.clone(), self.types.intern(TyKind::Gen(i as u32))))
            .collect();
        self.generics = generics;
        let kind = match item {
            AdtItem::Struct(s) => AdtKind::Struct {
                fields: s
                    .fields
                    .iter()
                    .map(|f| crate::hir::FieldDef {
                        name: f.name.name.clone(),
                        ty: self.resolve_type(&f.ty),
                    })
                    .collect(),
            },
            AdtItem::Sum(s) => AdtKind::Sum {
                variants: s
                    .variants
                    .iter()
                    .map(|v| VariantDef {
                        name: v.name.name.clone(),
                        fields: v.fields.iter().map(|f| self.resolve_type(&f.ty)).collect(),
                        field_names: v
                            .fields
                            .iter()
                            .map(|f| f.name.as_ref().map(|n| n.name.clone()))
                            .collect(),
                    })
                    .collect(),
            },
        };
        self.program.adts[adt.0 as usize].kind = kind;
        self.generics.clear();
    }

    fn resolve_imports(&mut self, m: &ModuleInput, modules: &[ModuleInput]) {
        let known = |name: &str| modules.iter().any(|x| x.name == name);
        // spec §5.8 E0031: "did you mean …" among the project's and the stdlib's modules.
        let suggest = |name: &str| {
            let candidates = modules
                .iter()
                .map(|x| x.name.as_str())
                .chain(Builtin::stdlib_modules().iter().copied());
            errors::closest(name, candidates).map(str::to_string)
        };
        self.module = m.name.clone();
        for item in &m.ast.items {
            match &item.kind {
                ast::ItemKind::Import(path) => {
                    let full = path.joined();
                    if !known(&full) && !Builtin::is_stdlib_module(&full) {
                        self.diags.push(errors::module_not_found(
                            &full,
                            path.span,
                            suggest(&full).as_deref(),
                        ));
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
                    let full = module.joined();
                    if !known(&full) {
                        if !Builtin::is_stdlib_module(&full) {
                            self.diags.push(errors::module_not_found(
                                &full,
                                module.span,
                                suggest(&full).as_deref(),
                            ));
                            continue;
                        }
                        for name in names {
                            self.import_builtin(&m.name, &full, name);
                        }
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

    /// `from String import length` binds the stdlib function's bare name (spec §2.3, P1).
    fn import_builtin(&mut self, into: &str, from: &str, name: &ast::Ident) {
        let binding = match Builtin::lookup(Some(from), &name.name) {
            Some(b) => Binding::Builtin(b),
            None => {
                self.diags
                    .push(errors::name_not_exported(&name.name, from, name.span));
                Binding::Poisoned
            }
        };
        self.scope_mut(into).insert(name.name.clone(), binding);
    }

    fn import_name(&mut self, into: &str, from: &str, name: &ast::Ident) {
        if let Some(&adt) = self.type_scopes.get(from).and_then(|s| s.get(&name.name)) {
            if !self.program.adt(adt).is_pub {
                self.diags
                    .push(errors::private_import(&name.name, from, name.span));
                return;
            }
            self.type_scopes
                .entry(into.to_string())
                .or_default()
                .insert(name.name.clone(), adt);
            // Variant names are known from the declarations (their payloads are resolved later).
            let variants: Vec<(String, (AdtId, u32))> = self
                .variant_scopes
                .get(from)
                .map(|s| {
                    s.iter()
                        .filter(|(_, (a, _))| *a == adt)
                        .map(|(n, v)| (n.clone(), *v))
                        .collect()
                })
                .unwrap_or_default();
            let scope = self.variant_scopes.entry(into.to_string()).or_default();
            scope.extend(variants);
            return;
        }
        if let Some(alias) = self.aliases.get(&(from.to_string(), name.name.clone())) {
            let def = alias.def;
            if !def.is_pub {
                self.diags
                    .push(errors::private_import(&name.name, from, name.span));
                return;
            }
            self.aliases.insert(
                (into.to_string(), name.name.clone()),
                Alias {
                    module: from.to_string(),
                    def,
                },
            );
            return;
        }
        // spec §2.3: a service is always exported.
        if self
            .services
            .contains(&(from.to_string(), name.name.clone()))
        {
            let binding = Binding::Service(from.to_string(), name.name.clone());
            self.scope_mut(into).insert(name.name.clone(), binding);
            return;
        }
        match self
            .fns
            .get(&(from.to_string(), name.name.clone()))
            .copied()
        {
            Some(def) if self.program.func(def).is_pub => {
                self.scope_mut(into)
                    .insert(name.name.clone(), Binding::Fn(def));
            }
            Some(_) => {
                self.diags
                    .push(errors::private_import(&name.name, from, name.span));
                self.scope_mut(into)
                    .insert(name.name.clone(), Binding::Poisoned);
            }
            None => {
                self.diags
                    .push(errors::name_not_exported(&name.name, from, name.span));
                self.scope_mut(into)
                    .insert(name.name.clone(), Binding::Poisoned);
            }
        }
    }

    fn scope_mut(&mut self, module: &str) -> &mut HashMap<String, Binding> {
        self.scopes.entry(module.to_string()).or_default()
    }

    fn lower_fn(&mut self, def: DefId, clauses: &[&ast::FnDef]) {
        self.current_def = Some(def);
        let Some(&f) = clauses.first() else { return };
        let decl = self.program.func(def);
        self.in_actor = decl.actor || (decl.name == "main" && decl.module == self.entry_module);
        self.service_ctx = decl
            .name
            .split_once('.')
            .map(|(svc, _)| svc.to_string())
            .filter(|svc| self.services.contains(&(decl.module.clone(), svc.clone())));
        let (e0, l0, p0) = (
            self.program.exprs.len() as u32,
            self.program.locals.len() as u32,
            self.program.pats.len() as u32,
        );
        self.locals = vec![Scope::default()];
        self.generics = f
            .generics
            .iter()
            .map(|g| (g.name.clone(), self.types.fresh_var()))
            .collect();
        self.lower_where_bounds(def, &f.where_bounds);
        if !self.generics.is_empty() {
            self.program.fn_generics.insert(def, self.generics.clone());
        }
        let mut params = Vec::new();
        let mut spans = Vec::new();
        let simple =
            clauses.len() == 1 && f.guard.is_none() && plain_params(f.params.iter().flatten());
        for (i, p) in f.params.iter().flatten().enumerate() {
            let is_self = matches!(&p.pattern.kind, ast::PatternKind::Bind(n) if n == "self");
            let ann = match &p.ty {
                Some(t) => Some(self.annotation(t)),
                None if is_self => self.self_annotation(def, p.span),
                None => None,
            };
            let local = self.param_local(i, p, ann, simple);
            params.push(local);
            spans.push(p.span);
        }
        let ret = f.ret.as_ref().map(|t| self.annotation(t));
        self.program.ret_annotations[def.0 as usize] = ret;
        let body = if simple {
            self.lower_expr(&f.body)
        } else {
            self.lower_clauses(clauses, &params, f.name.span)
        };
        self.generics.clear();
        let (e1, l1, p1) = (
            self.program.exprs.len() as u32,
            self.program.locals.len() as u32,
            self.program.pats.len() as u32,
        );
        let decl = &mut self.program.fns[def.0 as usize];
        decl.params = params;
        decl.param_spans = spans;
        decl.body = body;
        decl.exprs = e0..e1;
        decl.locals = l0..l1;
        decl.pats = p0..p1;
    }

    /// The body of a multi-clause function (or one with pattern parameters or a guard): a
    /// `case` over the parameters whose arms are the clauses, tried top to bottom.
    fn lower_clauses(&mut self, clauses: &[&ast::FnDef], params: &[LocalId], span: Span) -> ExprId {
        let parts: Vec<Clause<'_>> = clauses
            .iter()
            .map(|c| Clause {
                params: c.params.as_deref().unwrap_or(&[]),
                guard: c.guard.as_ref(),
                body: &c.body,
                span: c.name.span,
            })
            .collect();
        let name = format!("{}/{}", clauses[0].name.name, params.len());
        self.lower_clause_case(&parts, params, span, name)
    }

    /// A `case` over `params` whose arms are the clauses (multi-clause functions and
    /// closures, pattern parameters, guards), tried top to bottom; `name` is used in the
    /// run-time no-match panic.
    pub(super) fn lower_clause_case(
        &mut self,
        clauses: &[Clause<'_>],
        params: &[LocalId],
        span: Span,
        name: String,
    ) -> ExprId {
        let args: Vec<ExprId> = params
            .iter()
            .map(|&p| self.program.add_expr(crate::hir::ExprKind::Local(p), span))
            .collect();
        let scrutinee = match args.as_slice() {
            [single] => *single,
            _ => self
                .program
                .add_expr(crate::hir::ExprKind::Tuple(args.clone()), span),
        };
        let mut arms = Vec::new();
        for clause in clauses {
            self.locals.push(Scope::default());
            let pats: Vec<crate::hir::PatId> = clause
                .params
                .iter()
                .map(|p| self.lower_pat(&p.pattern))
                .collect();
            let pat = match pats.as_slice() {
                [single] => *single,
                _ => self
                    .program
                    .add_pat(crate::hir::PatKind::Tuple(pats.clone()), clause.span),
            };
            let guard = clause.guard.map(|g| self.lower_expr(g));
            let body = self.lower_expr(clause.body);
            self.locals.pop();
            arms.push(crate::hir::Arm { pat, guard, body });
        }
        self.program.add_expr(
            crate::hir::ExprKind::Case {
                scrutinee,
                arms,
                clauses_of: Some(name),
            },
            span,
        )
    }

    /// Parameter `i`'s local: bound by its name when `simple` (one clause of plain names),
    /// else a fresh `argI` that the clauses' `case` matches on.
    fn param_local(
        &mut self,
        i: usize,
        p: &ast::Param,
        ann: Option<Annotation>,
        simple: bool,
    ) -> LocalId {
        if simple {
            self.bind_param(&p.pattern, ann)
        } else {
            self.program.add_local(&format!("arg{i}"), p.span, ann)
        }
    }

    /// A function parameter: a name (or `_`). Pattern parameters belong to multi-clause
    /// functions (issue 4).
    fn bind_param(&mut self, pattern: &ast::Pattern, ann: Option<Annotation>) -> LocalId {
        match &pattern.kind {
            ast::PatternKind::Bind(name) => self.bind_local(name, pattern.span, ann),
            ast::PatternKind::Wildcard => self.program.add_local("_", pattern.span, ann),
            _ => {
                self.diags
                    .push(errors::unsupported("a pattern parameter", pattern.span));
                self.program.add_local("_", pattern.span, ann)
            }
        }
    }

    /// Declares a local in the innermost scope.
    fn bind_local(&mut self, name: &str, span: Span, ann: Option<Annotation>) -> LocalId {
        let id = self.program.add_local(name, span, ann);
        if let Some(scope) = self.locals.last_mut() {
            scope.bindings.push((name.to_string(), id));
        }
        id
    }

    /// Finds a local by name, recording it as a capture of every closure between its
    /// definition and the use.
    fn find_local(&mut self, name: &str) -> Option<LocalId> {
        let (depth, id) = self.locals.iter().enumerate().rev().find_map(|(i, s)| {
            s.bindings
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, id)| (i, *id))
        })?;
        for (boundary, captures) in self.closures.iter_mut() {
            if *boundary > depth && !captures.contains(&id) {
                captures.push(id);
            }
        }
        Some(id)
    }
}

/// One clause of a multi-clause function or closure.
pub(super) struct Clause<'c> {
    pub params: &'c [ast::Param],
    pub guard: Option<&'c ast::Expr>,
    pub body: &'c ast::Expr,
    pub span: Span,
}

/// A clause whose parameters are all names or `_` and that has no guard matches anything.
fn is_catch_all(f: &ast::FnDef) -> bool {
    f.guard.is_none()
        && f.params.iter().flatten().all(|p| {
            matches!(
                p.pattern.kind,
                ast::PatternKind::Bind(_) | ast::PatternKind::Wildcard
            )
        })
}

/// Whether every parameter is a plain name or `_`: one clause of such parameters binds them
/// directly, without a clause `case`.
fn plain_params<'p>(params: impl IntoIterator<Item = &'p ast::Param>) -> bool {
    params.into_iter().all(|p| {
        matches!(
            p.pattern.kind,
            ast::PatternKind::Bind(_) | ast::PatternKind::Wildcard
        )
    })
}

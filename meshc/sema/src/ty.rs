//! Interned types, unification variables and their substitution, and the Display form used in
//! diagnostics. A `TyId` indexes the `Types` arena; structurally equal types share one id.
//! Nominal types have an identity, not a name: a struct or sum type is `Adt(AdtId, args)`, a
//! stdlib type `Builtin(BuiltinTy, args)`; names are only for display.

use std::collections::HashMap;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TyId(u32);

/// A user or pre-declared struct or sum type (an index into `hir::Program::adts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AdtId(pub u32);

impl AdtId {
    /// The pre-declared sum types (spec §3.3) and the structs monitors and links deliver
    /// (stdlib spec §16.2) stay ADTs, at these well-known ids (`lower.rs`,
    /// `declare_builtin_adts`): they have variants and fields like user types.
    pub const OPTION: AdtId = AdtId(0);
    pub const RESULT: AdtId = AdtId(1);
    pub const ORDERING: AdtId = AdtId(2);
    pub const DOWN: AdtId = AdtId(3);
    pub const EXIT: AdtId = AdtId(4);
    /// `HttpResponse { status, body, headers }` (stdlib spec §19): a struct so that
    /// `resp.status` and patterns work as on user structs; the runtime builds it.
    pub const HTTP_RESPONSE: AdtId = AdtId(5);
    /// `BootstrapStatus { mode, node_name, cluster_port, discovery_seed }` (stdlib spec §17.1):
    /// what `Node.start_from_env` returns; the runtime builds it.
    pub const BOOTSTRAP_STATUS: AdtId = AdtId(6);
    /// The `Continuity.*` shapes (stdlib spec §17.4), built by the runtime
    /// (abi/continuity.rs).
    pub const CONTINUITY_RECORD: AdtId = AdtId(7);
    pub const CONTINUITY_AUTHORITY_STATUS: AdtId = AdtId(8);
    pub const CONTINUITY_SUBMIT_DECISION: AdtId = AdtId(9);
    /// Their display names, in id order.
    const WELL_KNOWN: [&'static str; 10] = [
        "Option",
        "Result",
        "Ordering",
        "Down",
        "Exit",
        "HttpResponse",
        "BootstrapStatus",
        "ContinuityRecord",
        "ContinuityAuthorityStatus",
        "ContinuitySubmitDecision",
    ];
}

/// The stdlib types without a declaration: collections, process types and the opaque types
/// (spec language §4). A user type of the same name is another type (an `Adt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BuiltinTy {
    List,
    Map,
    Set,
    /// `Pid` (no argument: accepts any message) or `Pid<M>`.
    Pid,
    /// The result type of an actor function, carrying its message type.
    Actor,
    Json,
    DateTime,
    Range,
    Queue,
    Iter,
    Atom,
    Regex,
    /// The HTTP server's values (stdlib §18), opaque runtime tuples.
    Router,
    Request,
    Response,
    /// A SQLite connection handle (stdlib spec §22), an Int at run time.
    SqliteConn,
    /// Database handles and builders (stdlib spec §21–§26): an Int id (`PgConn`,
    /// `PoolHandle`) or a string recording builder calls (`Query`, `Expr`).
    PgConn,
    PoolHandle,
    Query,
    Expr,
    /// A changeset (stdlib spec §28.3): a string encoding its data, changes and errors.
    Changeset,
    /// The HTTP client's opaque values (stdlib spec §19).
    HttpRequest,
    HttpClient,
    StreamHandle,
}

impl BuiltinTy {
    pub const ALL: [BuiltinTy; 24] = [
        BuiltinTy::List,
        BuiltinTy::Map,
        BuiltinTy::Set,
        BuiltinTy::Pid,
        BuiltinTy::Actor,
        BuiltinTy::Json,
        BuiltinTy::DateTime,
        BuiltinTy::Range,
        BuiltinTy::Queue,
        BuiltinTy::Iter,
        BuiltinTy::Atom,
        BuiltinTy::Regex,
        BuiltinTy::Router,
        BuiltinTy::Request,
        BuiltinTy::Response,
        BuiltinTy::SqliteConn,
        BuiltinTy::PgConn,
        BuiltinTy::PoolHandle,
        BuiltinTy::Query,
        BuiltinTy::Expr,
        BuiltinTy::Changeset,
        BuiltinTy::HttpRequest,
        BuiltinTy::HttpClient,
        BuiltinTy::StreamHandle,
    ];

    /// The name a program writes (and diagnostics show).
    pub fn name(self) -> &'static str {
        match self {
            BuiltinTy::List => "List",
            BuiltinTy::Map => "Map",
            BuiltinTy::Set => "Set",
            BuiltinTy::Pid => "Pid",
            BuiltinTy::Actor => "Actor",
            BuiltinTy::Json => "Json",
            BuiltinTy::DateTime => "DateTime",
            BuiltinTy::Range => "Range",
            BuiltinTy::Queue => "Queue",
            BuiltinTy::Iter => "Iter",
            BuiltinTy::Atom => "Atom",
            BuiltinTy::Regex => "Regex",
            BuiltinTy::Router => "Router",
            BuiltinTy::Request => "Request",
            BuiltinTy::Response => "Response",
            BuiltinTy::SqliteConn => "SqliteConn",
            BuiltinTy::PgConn => "PgConn",
            BuiltinTy::PoolHandle => "PoolHandle",
            BuiltinTy::Query => "Query",
            BuiltinTy::Expr => "Expr",
            BuiltinTy::Changeset => "Changeset",
            BuiltinTy::HttpRequest => "HttpRequest",
            BuiltinTy::HttpClient => "HttpClient",
            BuiltinTy::StreamHandle => "StreamHandle",
        }
    }

    pub fn from_name(name: &str) -> Option<BuiltinTy> {
        BuiltinTy::ALL.into_iter().find(|b| b.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TyKind {
    Int,
    Float,
    Bool,
    String,
    /// `()`, also written `nil`.
    Unit,
    /// The type of `return`, `break`, `continue` and `panic`: unifies with anything.
    Never,
    /// A struct or sum type with its arguments (`Option<Int>`, a user `Point`).
    Adt(AdtId, Vec<TyId>),
    /// A stdlib type with its arguments (`List<Int>`, `DateTime`).
    Builtin(BuiltinTy, Vec<TyId>),
    Tuple(Vec<TyId>),
    Fun(Vec<TyId>, TyId),
    /// An inference variable.
    Var(u32),
    /// The i-th quantified variable of a generalised function signature.
    Gen(u32),
    /// The type of an ill-typed expression: unifies with anything, so one mistake is reported
    /// once.
    Error,
}

/// The type arena plus the substitution of inference variables.
#[derive(Debug, Clone)]
pub struct Types {
    kinds: Vec<TyKind>,
    ids: HashMap<TyKind, TyId>,
    subst: Vec<Option<TyId>>,
    /// Display names of the ADTs by id (`Point`, `Geo.Point`), recorded when declared, and
    /// their names qualified by module (`Main.Point`) for telling same-named types apart.
    adt_names: Vec<(String, String)>,
}

impl Default for Types {
    fn default() -> Types {
        Types {
            kinds: Vec::new(),
            ids: HashMap::new(),
            subst: Vec::new(),
            adt_names: AdtId::WELL_KNOWN
                .iter()
                .map(|n| (n.to_string(), n.to_string()))
                .collect(),
        }
    }
}

impl Types {
    pub fn new() -> Types {
        Types::default()
    }

    /// Records the display name of ADT `id` and its name qualified by its module.
    pub fn name_adt(&mut self, id: AdtId, name: &str, qualified: &str) {
        let i = id.0 as usize;
        if self.adt_names.len() <= i {
            self.adt_names.resize(i + 1, (String::new(), String::new()));
        }
        self.adt_names[i] = (name.to_string(), qualified.to_string());
    }

    /// The display name of ADT `id`.
    pub fn adt_name(&self, id: AdtId) -> &str {
        self.adt_names
            .get(id.0 as usize)
            .map_or("?", |(n, _)| n.as_str())
    }

    pub fn adt(&mut self, id: AdtId, args: Vec<TyId>) -> TyId {
        self.intern(TyKind::Adt(id, args))
    }
    pub fn builtin(&mut self, b: BuiltinTy, args: Vec<TyId>) -> TyId {
        self.intern(TyKind::Builtin(b, args))
    }
    pub fn option(&mut self, t: TyId) -> TyId {
        self.adt(AdtId::OPTION, vec![t])
    }
    pub fn result(&mut self, ok: TyId, err: TyId) -> TyId {
        self.adt(AdtId::RESULT, vec![ok, err])
    }
    pub fn ordering(&mut self) -> TyId {
        self.adt(AdtId::ORDERING, vec![])
    }
    pub fn list(&mut self, elem: TyId) -> TyId {
        self.builtin(BuiltinTy::List, vec![elem])
    }

    /// The built-in type `ty` is at its top (after variables), with its arguments.
    pub fn as_builtin(&self, ty: TyId) -> Option<(BuiltinTy, &[TyId])> {
        match self.kind(self.shallow(ty)) {
            TyKind::Builtin(b, args) => Some((*b, args)),
            _ => None,
        }
    }
    /// Whether `ty` is the built-in type `b` at its top.
    pub fn is_builtin(&self, ty: TyId, b: BuiltinTy) -> bool {
        self.as_builtin(ty).is_some_and(|(x, _)| x == b)
    }
    /// The ADT `ty` is at its top (after variables), with its arguments.
    pub fn as_adt(&self, ty: TyId) -> Option<(AdtId, &[TyId])> {
        match self.kind(self.shallow(ty)) {
            TyKind::Adt(a, args) => Some((*a, args)),
            _ => None,
        }
    }
    /// Whether `ty` is the ADT `adt` at its top.
    pub fn is_adt(&self, ty: TyId, adt: AdtId) -> bool {
        self.as_adt(ty).is_some_and(|(x, _)| x == adt)
    }
    /// The arguments of a nominal type (ADT or built-in) at the top of `ty`.
    pub fn nominal_args(&self, ty: TyId) -> Option<&[TyId]> {
        match self.kind(self.shallow(ty)) {
            TyKind::Adt(_, args) | TyKind::Builtin(_, args) => Some(args),
            _ => None,
        }
    }

    pub fn intern(&mut self, kind: TyKind) -> TyId {
        if let Some(&id) = self.ids.get(&kind) {
            return id;
        }
        let id = TyId(u32::try_from(self.kinds.len()).expect("fewer than 2^32 types"));
        self.kinds.push(kind.clone());
        self.ids.insert(kind, id);
        id
    }

    pub fn kind(&self, id: TyId) -> &TyKind {
        &self.kinds[id.0 as usize]
    }

    pub fn int(&mut self) -> TyId {
        self.intern(TyKind::Int)
    }
    pub fn float(&mut self) -> TyId {
        self.intern(TyKind::Float)
    }
    pub fn bool(&mut self) -> TyId {
        self.intern(TyKind::Bool)
    }
    pub fn string(&mut self) -> TyId {
        self.intern(TyKind::String)
    }
    pub fn unit(&mut self) -> TyId {
        self.intern(TyKind::Unit)
    }
    pub fn never(&mut self) -> TyId {
        self.intern(TyKind::Never)
    }
    pub fn error(&mut self) -> TyId {
        self.intern(TyKind::Error)
    }

    pub fn fresh_var(&mut self) -> TyId {
        let v = u32::try_from(self.subst.len()).expect("fewer than 2^32 type variables");
        self.subst.push(None);
        self.intern(TyKind::Var(v))
    }

    /// Follows variable bindings at the top of `ty`.
    pub fn shallow(&self, mut ty: TyId) -> TyId {
        while let TyKind::Var(v) = self.kind(ty) {
            match self.subst[*v as usize] {
                Some(next) => ty = next,
                None => break,
            }
        }
        ty
    }

    /// Applies the substitution everywhere inside `ty`.
    pub fn resolve(&mut self, ty: TyId) -> TyId {
        let ty = self.shallow(ty);
        match self.kind(ty).clone() {
            TyKind::Adt(id, args) => {
                let args = args.into_iter().map(|a| self.resolve(a)).collect();
                self.intern(TyKind::Adt(id, args))
            }
            TyKind::Builtin(b, args) => {
                let args = args.into_iter().map(|a| self.resolve(a)).collect();
                self.intern(TyKind::Builtin(b, args))
            }
            TyKind::Tuple(elems) => {
                let elems = elems.into_iter().map(|a| self.resolve(a)).collect();
                self.intern(TyKind::Tuple(elems))
            }
            TyKind::Fun(params, ret) => {
                let params = params.into_iter().map(|a| self.resolve(a)).collect();
                let ret = self.resolve(ret);
                self.intern(TyKind::Fun(params, ret))
            }
            _ => ty,
        }
    }

    /// Unifies two types; on failure returns the two resolved types that clashed.
    pub fn unify(&mut self, a: TyId, b: TyId) -> Result<(), Mismatch> {
        let (a, b) = (self.shallow(a), self.shallow(b));
        if a == b {
            return Ok(());
        }
        match (self.kind(a).clone(), self.kind(b).clone()) {
            (TyKind::Never | TyKind::Error, _) | (_, TyKind::Never | TyKind::Error) => Ok(()),
            (TyKind::Var(v), _) => self.bind(v, b),
            (_, TyKind::Var(v)) => self.bind(v, a),
            // An untyped `Pid` accepts pids of every message type (spec §5.6).
            (TyKind::Builtin(BuiltinTy::Pid, a1), TyKind::Builtin(BuiltinTy::Pid, a2))
                if a1.is_empty() || a2.is_empty() =>
            {
                Ok(())
            }
            (TyKind::Builtin(n1, a1), TyKind::Builtin(n2, a2))
                if n1 == n2 && a1.len() == a2.len() =>
            {
                self.unify_all(&a1, &a2).map_err(|_| Mismatch::Types(a, b))
            }
            (TyKind::Adt(n1, a1), TyKind::Adt(n2, a2)) if n1 == n2 && a1.len() == a2.len() => {
                self.unify_all(&a1, &a2).map_err(|_| Mismatch::Types(a, b))
            }
            (TyKind::Tuple(e1), TyKind::Tuple(e2)) if e1.len() == e2.len() => {
                self.unify_all(&e1, &e2).map_err(|_| Mismatch::Types(a, b))
            }
            (TyKind::Fun(p1, r1), TyKind::Fun(p2, r2)) if p1.len() == p2.len() => {
                self.unify_all(&p1, &p2)
                    .map_err(|_| Mismatch::Types(a, b))?;
                self.unify(r1, r2).map_err(|_| Mismatch::Types(a, b))
            }
            _ => Err(Mismatch::Types(a, b)),
        }
    }

    fn unify_all(&mut self, a: &[TyId], b: &[TyId]) -> Result<(), Mismatch> {
        for (&x, &y) in a.iter().zip(b) {
            self.unify(x, y)?;
        }
        Ok(())
    }

    fn bind(&mut self, var: u32, ty: TyId) -> Result<(), Mismatch> {
        if self.occurs(var, ty) {
            return Err(Mismatch::Infinite(var, ty));
        }
        self.subst[var as usize] = Some(ty);
        Ok(())
    }

    fn occurs(&self, var: u32, ty: TyId) -> bool {
        let ty = self.shallow(ty);
        match self.kind(ty) {
            TyKind::Var(v) => *v == var,
            TyKind::Adt(_, args) | TyKind::Builtin(_, args) | TyKind::Tuple(args) => {
                args.iter().any(|&a| self.occurs(var, a))
            }
            TyKind::Fun(params, ret) => {
                params.iter().any(|&p| self.occurs(var, p)) || self.occurs(var, *ret)
            }
            _ => false,
        }
    }

    /// Free inference variables of `ty` in order of first appearance.
    pub fn free_vars(&self, ty: TyId, out: &mut Vec<u32>) {
        let ty = self.shallow(ty);
        match self.kind(ty) {
            TyKind::Var(v) if !out.contains(v) => out.push(*v),
            TyKind::Adt(_, args) | TyKind::Builtin(_, args) | TyKind::Tuple(args) => {
                for &a in args {
                    self.free_vars(a, out);
                }
            }
            TyKind::Fun(params, ret) => {
                for &p in params {
                    self.free_vars(p, out);
                }
                self.free_vars(*ret, out);
            }
            _ => {}
        }
    }

    /// Replaces variables by types as given in `map` (resolving first). Unmapped variables are
    /// replaced by `default` when it is given.
    pub fn replace_vars(
        &mut self,
        ty: TyId,
        map: &HashMap<u32, TyId>,
        default: Option<TyId>,
    ) -> TyId {
        let ty = self.resolve(ty);
        self.map_ty(ty, &mut |types, k| match k {
            TyKind::Var(v) => map.get(v).copied().or(default),
            _ => {
                let _ = types;
                None
            }
        })
    }

    /// Substitutes `Gen(i)` by `args[i]`.
    pub fn instantiate(&mut self, ty: TyId, args: &[TyId]) -> TyId {
        self.map_ty(ty, &mut |_, k| match k {
            TyKind::Gen(i) => args.get(*i as usize).copied(),
            _ => None,
        })
    }

    fn map_ty(&mut self, ty: TyId, f: &mut dyn FnMut(&Types, &TyKind) -> Option<TyId>) -> TyId {
        let kind = self.kind(ty).clone();
        if let Some(t) = f(self, &kind) {
            return t;
        }
        match kind {
            TyKind::Adt(id, args) => {
                let args = args.into_iter().map(|a| self.map_ty(a, f)).collect();
                self.intern(TyKind::Adt(id, args))
            }
            TyKind::Builtin(b, args) => {
                let args = args.into_iter().map(|a| self.map_ty(a, f)).collect();
                self.intern(TyKind::Builtin(b, args))
            }
            TyKind::Tuple(elems) => {
                let elems = elems.into_iter().map(|a| self.map_ty(a, f)).collect();
                self.intern(TyKind::Tuple(elems))
            }
            TyKind::Fun(params, ret) => {
                let params = params.into_iter().map(|a| self.map_ty(a, f)).collect();
                let ret = self.map_ty(ret, f);
                self.intern(TyKind::Fun(params, ret))
            }
            _ => ty,
        }
    }

    /// Whether `a` and `b` could be unified, without binding anything: unbound variables,
    /// `Gen`s, `Error` and `Never` match every type. Picks among the impls of one interface
    /// with different arguments (`From<Int>`, `From<String>`) the ones a use can mean.
    pub fn may_unify(&self, a: TyId, b: TyId) -> bool {
        let (a, b) = (self.shallow(a), self.shallow(b));
        if a == b {
            return true;
        }
        let wild = |k: &TyKind| {
            matches!(
                k,
                TyKind::Var(_) | TyKind::Gen(_) | TyKind::Error | TyKind::Never
            )
        };
        match (self.kind(a), self.kind(b)) {
            (x, y) if wild(x) || wild(y) => true,
            (TyKind::Builtin(n1, a1), TyKind::Builtin(n2, a2)) if n1 == n2 => {
                (a1.is_empty() || a2.is_empty()) && *n1 == BuiltinTy::Pid
                    || a1.len() == a2.len() && self.may_unify_all(a1, a2)
            }
            (TyKind::Adt(n1, a1), TyKind::Adt(n2, a2)) if n1 == n2 => {
                a1.len() == a2.len() && self.may_unify_all(a1, a2)
            }
            (TyKind::Tuple(e1), TyKind::Tuple(e2)) => {
                e1.len() == e2.len() && self.may_unify_all(e1, e2)
            }
            (TyKind::Fun(p1, r1), TyKind::Fun(p2, r2)) => {
                p1.len() == p2.len() && self.may_unify_all(p1, p2) && self.may_unify(*r1, *r2)
            }
            _ => false,
        }
    }

    fn may_unify_all(&self, a: &[TyId], b: &[TyId]) -> bool {
        a.iter().zip(b).all(|(&x, &y)| self.may_unify(x, y))
    }

    /// One-way matching of a scheme type (with `Gen`s) against a concrete type: fills `args`.
    pub fn match_gen(&self, scheme: TyId, concrete: TyId, args: &mut Vec<Option<TyId>>) {
        match (self.kind(scheme), self.kind(concrete)) {
            (TyKind::Gen(i), _) => {
                let i = *i as usize;
                if args.len() <= i {
                    args.resize(i + 1, None);
                }
                args[i].get_or_insert(concrete);
            }
            (TyKind::Adt(_, a), TyKind::Adt(_, b))
            | (TyKind::Builtin(_, a), TyKind::Builtin(_, b))
            | (TyKind::Tuple(a), TyKind::Tuple(b)) => {
                for (&x, &y) in a.iter().zip(b) {
                    self.match_gen(x, y, args);
                }
            }
            (TyKind::Fun(p1, r1), TyKind::Fun(p2, r2)) => {
                for (&x, &y) in p1.iter().zip(p2) {
                    self.match_gen(x, y, args);
                }
                self.match_gen(*r1, *r2, args);
            }
            _ => {}
        }
    }

    /// The user-facing spelling (`Int`, `List<String>`, `Fun(Int) -> Bool`). A type the
    /// program has not fixed yet shows as `_` (`List<_>`): inference variables are not the
    /// user's vocabulary.
    pub fn display(&self, ty: TyId) -> String {
        self.display_named(ty, &[])
    }

    /// `display` with inference variables numbered (`Fun(?0) -> ?2`), for E0002, whose spec
    /// headline names the variable that would occur in its own type.
    pub fn display_with_vars(&self, ty: TyId) -> String {
        let mut out = String::new();
        let style = Style {
            names: &[],
            qualified: false,
            vars: true,
        };
        self.write_ty(ty, style, &mut out);
        out
    }

    /// `display`, showing each unbound variable of `names` by its name (an impl's `Item`).
    pub fn display_named(&self, ty: TyId, names: &[(TyId, &str)]) -> String {
        let mut out = String::new();
        self.write_ty(
            ty,
            Style {
                names,
                qualified: false,
                vars: false,
            },
            &mut out,
        );
        out
    }

    /// Two different types as a mismatch shows them: displayed as usual unless that spells
    /// them alike (a program's own `DateTime` and the stdlib's), then with every struct and
    /// sum type qualified by its module (`Main.DateTime`).
    pub fn display_pair(&self, a: TyId, b: TyId) -> (String, String) {
        let (x, y) = (self.display(a), self.display(b));
        if x != y || self.shallow(a) == self.shallow(b) {
            return (x, y);
        }
        let qualified = |t: TyId| {
            let mut out = String::new();
            let style = Style {
                names: &[],
                qualified: true,
                vars: false,
            };
            self.write_ty(t, style, &mut out);
            out
        };
        (qualified(a), qualified(b))
    }

    fn write_ty(&self, ty: TyId, style: Style<'_>, out: &mut String) {
        let names = style.names;
        let ty = self.shallow(ty);
        let named = names.iter().find(|(v, _)| self.shallow(*v) == ty);
        if let Some((_, name)) = named.filter(|_| matches!(self.kind(ty), TyKind::Var(_))) {
            out.push_str(name);
            return;
        }
        match self.kind(ty) {
            TyKind::Int => out.push_str("Int"),
            TyKind::Float => out.push_str("Float"),
            TyKind::Bool => out.push_str("Bool"),
            TyKind::String => out.push_str("String"),
            TyKind::Unit => out.push_str("()"),
            TyKind::Never => out.push_str("Never"),
            TyKind::Error => out.push_str("{error}"),
            TyKind::Var(v) if style.vars => {
                let _ = write!(out, "?{v}");
            }
            TyKind::Var(_) => out.push('_'),
            TyKind::Gen(i) => out.push(char::from(b'A' + (*i % 26) as u8)),
            TyKind::Adt(id, args) => {
                match self.adt_names.get(id.0 as usize) {
                    Some((_, qualified)) if style.qualified => out.push_str(qualified),
                    _ => out.push_str(self.adt_name(*id)),
                }
                self.write_list(args, style, "<", ">", out);
            }
            TyKind::Builtin(b, args) => {
                out.push_str(b.name());
                self.write_list(args, style, "<", ">", out);
            }
            TyKind::Tuple(elems) => {
                out.push('(');
                self.write_list(elems, style, "", "", out);
                out.push(')');
            }
            TyKind::Fun(params, ret) => {
                out.push_str("Fun(");
                self.write_list(params, style, "", "", out);
                out.push_str(") -> ");
                self.write_ty(*ret, style, out);
            }
        }
    }

    fn write_list(
        &self,
        tys: &[TyId],
        style: Style<'_>,
        open: &str,
        close: &str,
        out: &mut String,
    ) {
        if tys.is_empty() && !open.is_empty() {
            return;
        }
        out.push_str(open);
        for (i, &t) in tys.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.write_ty(t, style, out);
        }
        out.push_str(close);
    }
}

/// How `write_ty` spells a type: variables of `names` by their name (an impl's `Item`), ADTs
/// qualified by their module when `qualified`, other variables numbered (`?3`) when `vars`,
/// else as `_`.
#[derive(Clone, Copy)]
struct Style<'a> {
    names: &'a [(TyId, &'a str)],
    qualified: bool,
    vars: bool,
}

/// Why unification failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mismatch {
    Types(TyId, TyId),
    Infinite(u32, TyId),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn may_unify_treats_variables_as_wildcards_and_binds_nothing() {
        let mut t = Types::new();
        let (a, int, string) = (t.fresh_var(), t.int(), t.string());
        let list_a = t.intern(TyKind::Builtin(BuiltinTy::List, vec![a]));
        let list_int = t.intern(TyKind::Builtin(BuiltinTy::List, vec![int]));
        let list_string = t.intern(TyKind::Builtin(BuiltinTy::List, vec![string]));
        assert!(t.may_unify(list_a, list_int));
        assert!(t.may_unify(list_a, list_string));
        assert!(!t.may_unify(list_int, list_string));
        assert!(!t.may_unify(int, string));
        assert_eq!(t.shallow(a), a);
    }

    #[test]
    fn unify_binds_through_functions_and_detects_infinite_types() {
        let mut t = Types::new();
        let (a, int) = (t.fresh_var(), t.int());
        let f1 = t.intern(TyKind::Fun(vec![a], a));
        let f2 = t.intern(TyKind::Fun(vec![int], int));
        assert!(t.unify(f1, f2).is_ok());
        assert_eq!(t.display(f1), "Fun(Int) -> Int");
        let b = t.fresh_var();
        let list_b = t.intern(TyKind::Builtin(BuiltinTy::List, vec![b]));
        assert!(matches!(t.unify(b, list_b), Err(Mismatch::Infinite(..))));
        let s = t.string();
        assert_eq!(t.unify(int, s), Err(Mismatch::Types(int, s)));
    }
}

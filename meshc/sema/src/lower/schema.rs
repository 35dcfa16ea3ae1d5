//! `deriving(Schema)` (stdlib §28.2, language §3.2's ORM clauses): the generated functions
//! `T.__table__()`, `T.__fields__()`, `T.__primary_key__()`, `T.__relationships__()` and
//! `T.__field_types__()` of a struct, each a constant (a string or a list of string
//! literals) computed here from the struct's fields and its ORM clauses:
//!
//! - `table "name"`: the table (default: the struct's name lower-cased, plus `s`).
//! - `primary_key :field`: the primary key (default `id`); it must be a field.
//! - `timestamps true`: adds the columns `inserted_at` and `updated_at` (`TIMESTAMPTZ`).
//! - `belongs_to :name, Type [, :foreign_key]`: `Type` (a struct deriving Schema) is
//!   referenced by the column `foreign_key` (default `<name>_id`) of this table, which is
//!   added to the fields when the struct does not declare it.
//! - `has_many` / `has_one :name, Type [, :foreign_key]`: `Type`'s table references this
//!   one by its column `foreign_key` (default `<this struct's name lower-cased>_id`).
//!
//! Field types map to SQL as Int → `BIGINT`, Float → `DOUBLE PRECISION`, Bool → `BOOLEAN`,
//! String → `TEXT`, `Option<T>` → `T`'s type (E0039 for any other field type).
//! `__field_types__` entries are `"field:TYPE"` (for `Changeset.cast_with_types`);
//! `__relationships__` entries are `"kind:name:table:foreign_key:key"` (for `Repo.preload`),
//! where `key` is the target's primary key for `belongs_to` and this struct's for `has_*`.
//! Misuse of a clause is E0060 at the clause.

use super::Lowerer;
use crate::errors;
use crate::hir::{AdtId, AdtKind, ExprKind, Lit};
use crate::ty::{BuiltinTy, TyKind};
use mesh_syntax::ast;
use mesh_syntax::span::Span;
use std::collections::HashMap;

/// The generated static methods, in the order they are declared.
pub(super) const SCHEMA_METHODS: [&str; 5] = [
    "__table__",
    "__fields__",
    "__primary_key__",
    "__relationships__",
    "__field_types__",
];

/// The clause keys the language reserves for structs (language §1.4).
const ORM_KEYS: &str = "table, primary_key, timestamps, belongs_to, has_many or has_one";

/// A relationship clause, its target resolved.
struct Relation {
    kind: &'static str,
    name: String,
    target: AdtId,
    target_shown: String,
    foreign_key: Option<String>,
    span: Span,
}

/// The metadata of one struct deriving Schema.
struct Meta {
    table: String,
    primary_key: String,
    /// `(column, SQL type)` in declaration order, then generated columns.
    columns: Vec<(String, String)>,
    relations: Vec<Relation>,
    relationships: Vec<String>,
}

impl Meta {
    fn sql_type_of(&self, column: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, t)| t.as_str())
    }
}

/// A struct declaration with its module, as `declare_schemas` reads it.
pub(super) type StructItem<'m> = (AdtId, String, &'m ast::StructDef);

/// The struct's name without its module (`Models.User` → `User`).
fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The SQL type of a field type, `None` when a row cannot hold it.
fn sql_type(types: &crate::ty::Types, ty: crate::ty::TyId) -> Option<&'static str> {
    let ty = types.shallow(ty);
    match types.kind(ty) {
        TyKind::Int => Some("BIGINT"),
        TyKind::Float => Some("DOUBLE PRECISION"),
        TyKind::Bool => Some("BOOLEAN"),
        TyKind::String => Some("TEXT"),
        TyKind::Adt(crate::hir::OPTION, args) => {
            let inner = types.shallow(args[0]);
            match types.kind(inner) {
                TyKind::Adt(..) => None,
                _ => sql_type(types, inner),
            }
        }
        _ => None,
    }
}

impl Lowerer<'_, '_> {
    /// `deriving(Schema)` on a sum type: only structs have columns (E0028).
    pub(super) fn reject_schema_on_sum(&mut self, sum: &ast::SumDef) {
        let schema = sum.deriving.iter().flatten().find(|d| d.name == "Schema");
        if let Some(d) = schema {
            self.diags
                .push(errors::schema_on_sum(&sum.name.name, d.span));
        }
    }

    /// Checks the ORM clauses of every struct and declares the Schema functions of each
    /// struct deriving Schema (after every type is defined: relationships name other types).
    pub(super) fn declare_schemas(&mut self, structs: &[StructItem<'_>]) {
        let mut metas: HashMap<AdtId, Meta> = HashMap::new();
        for &(adt, ref module, def) in structs {
            self.module = module.clone();
            let derives = def.deriving.iter().flatten().any(|d| d.name == "Schema");
            if !derives {
                for clause in &def.orm {
                    self.diags.push(errors::bad_orm_clause(
                        &clause.key.name,
                        &format!("`{}` does not derive Schema", def.name.name),
                        clause.span,
                    ));
                }
                continue;
            }
            let meta = self.schema_meta(adt, def);
            metas.insert(adt, meta);
        }
        for &(adt, _, def) in structs {
            if metas.contains_key(&adt) {
                self.resolve_relations(adt, def, &mut metas);
            }
        }
        // Declared in source order, so generated functions are numbered deterministically.
        for &(adt, _, _) in structs {
            if let Some(meta) = metas.remove(&adt) {
                self.build_schema_fns(adt, meta);
            }
        }
    }

    /// Table, primary key, columns and (unresolved) relations of one struct.
    fn schema_meta(&mut self, adt: AdtId, def: &ast::StructDef) -> Meta {
        let name = def.name.name.clone();
        let mut table = None;
        let mut primary_key: Option<(String, Span)> = None;
        let mut timestamps = None;
        let mut relations = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for clause in &def.orm {
            let key = clause.key.name.as_str();
            let bad = |reason: &str| errors::bad_orm_clause(key, reason, clause.span);
            if matches!(key, "table" | "primary_key" | "timestamps") {
                if seen.contains(&key) {
                    self.diags.push(bad("given twice"));
                    continue;
                }
                seen.push(key);
            }
            match (key, clause.args.as_slice()) {
                (
                    "table",
                    [ast::Expr {
                        kind: ast::ExprKind::Str(t),
                        ..
                    }],
                ) if !t.is_empty() => {
                    table = Some(t.clone());
                }
                ("table", _) => self
                    .diags
                    .push(bad("expected a non-empty string, as in `table \"users\"`")),
                (
                    "primary_key",
                    [ast::Expr {
                        kind: ast::ExprKind::Atom(a),
                        ..
                    }],
                ) => {
                    primary_key = Some((a.clone(), clause.span));
                }
                ("primary_key", _) => self
                    .diags
                    .push(bad("expected an atom, as in `primary_key :id`")),
                (
                    "timestamps",
                    [ast::Expr {
                        kind: ast::ExprKind::Bool(b),
                        ..
                    }],
                ) => {
                    timestamps = Some(*b);
                }
                ("timestamps", _) => self.diags.push(bad("expected `true` or `false`")),
                ("belongs_to" | "has_many" | "has_one", args) => {
                    if let Some(r) = self.relation_clause(clause, args) {
                        relations.push(r);
                    }
                }
                _ => self.diags.push(bad(&format!("expected {ORM_KEYS}"))),
            }
        }
        let fields: Vec<(String, crate::ty::TyId)> = match &self.program.adt(adt).kind {
            AdtKind::Struct { fields } => fields.iter().map(|f| (f.name.clone(), f.ty)).collect(),
            AdtKind::Sum { .. } => Vec::new(),
        };
        let mut columns = Vec::new();
        for ((field, ty), ast_field) in fields.iter().zip(&def.fields) {
            if matches!(self.types.kind(self.types.shallow(*ty)), TyKind::Error) {
                continue;
            }
            match sql_type(self.types, *ty) {
                Some(sql) => columns.push((field.clone(), sql.to_string())),
                None => {
                    let shown = self.types.display(*ty);
                    self.diags
                        .push(errors::field_not_schema(field, &shown, ast_field.span));
                }
            }
        }
        let primary_key = match primary_key {
            Some((pk, span)) => {
                if !fields.iter().any(|(f, _)| *f == pk) {
                    self.diags.push(errors::bad_orm_clause(
                        "primary_key",
                        &format!("`{pk}` is not a field of `{name}`"),
                        span,
                    ));
                }
                pk
            }
            None => "id".to_string(),
        };
        if timestamps == Some(true) {
            for column in ["inserted_at", "updated_at"] {
                if !columns.iter().any(|(c, _)| c == column) {
                    columns.push((column.to_string(), "TIMESTAMPTZ".to_string()));
                }
            }
        }
        Meta {
            table: table.unwrap_or_else(|| format!("{}s", name.to_lowercase())),
            primary_key,
            columns,
            relations,
            relationships: Vec::new(),
        }
    }

    /// `belongs_to|has_many|has_one :name, Type [, :foreign_key]`.
    fn relation_clause(&mut self, clause: &ast::OrmClause, args: &[ast::Expr]) -> Option<Relation> {
        let key = clause.key.name.as_str();
        let kind = match key {
            "belongs_to" => "belongs_to",
            "has_many" => "has_many",
            _ => "has_one",
        };
        let usage = format!("expected a name, a type and optionally a foreign key, as in `{key} :name, Type` or `{key} :name, Type, :column_id`");
        let (name, ty, fk) = match args {
            [n, t] => (n, t, None),
            [n, t, f] => (n, t, Some(f)),
            _ => {
                self.diags
                    .push(errors::bad_orm_clause(key, &usage, clause.span));
                return None;
            }
        };
        let atom = |e: &ast::Expr| match &e.kind {
            ast::ExprKind::Atom(a) => Some(a.clone()),
            _ => None,
        };
        let (Some(name), Some(foreign_key)) =
            (atom(name), fk.map_or(Some(None), |f| atom(f).map(Some)))
        else {
            self.diags
                .push(errors::bad_orm_clause(key, &usage, clause.span));
            return None;
        };
        let (target, shown) = match &ty.kind {
            ast::ExprKind::Name(n) if n.starts_with(char::is_uppercase) => {
                (self.lookup_type(n), n.clone())
            }
            ast::ExprKind::Field { base, name: member } => {
                let shown = match &base.kind {
                    ast::ExprKind::Name(m) => format!("{m}.{}", member.name),
                    _ => member.name.clone(),
                };
                (self.module_type_ref(ty), shown)
            }
            _ => {
                self.diags
                    .push(errors::bad_orm_clause(key, &usage, clause.span));
                return None;
            }
        };
        let Some(target) = target else {
            self.diags.push(errors::bad_orm_clause(
                key,
                &format!("`{shown}` is not a struct type"),
                ty.span,
            ));
            return None;
        };
        Some(Relation {
            kind,
            name,
            target,
            target_shown: shown,
            foreign_key,
            span: clause.span,
        })
    }

    /// The relationship entries of `adt`, checked against their targets.
    fn resolve_relations(
        &mut self,
        adt: AdtId,
        def: &ast::StructDef,
        metas: &mut HashMap<AdtId, Meta>,
    ) {
        let Some(mut meta) = metas.remove(&adt) else {
            return;
        };
        let owner = def.name.name.to_lowercase();
        let relations = std::mem::take(&mut meta.relations);
        let mut names: Vec<String> = Vec::new();
        for r in &relations {
            let bad = |reason: &str| errors::bad_orm_clause(r.kind, reason, r.span);
            if names.contains(&r.name) {
                self.diags.push(bad(&format!(
                    "the association `{}` is declared twice",
                    r.name
                )));
                continue;
            }
            names.push(r.name.clone());
            if def.fields.iter().any(|f| f.name.name == r.name) {
                self.diags.push(bad(&format!(
                    "the association `{}` has the name of a field",
                    r.name
                )));
                continue;
            }
            // The target may be this struct (`belongs_to :parent, Category`).
            let target = if r.target == adt {
                Some(&meta)
            } else {
                metas.get(&r.target)
            };
            let Some(target) = target else {
                self.diags
                    .push(bad(&format!("`{}` does not derive Schema", r.target_shown)));
                continue;
            };
            let (table, target_pk) = (target.table.clone(), target.primary_key.clone());
            let target_pk_type = target
                .sql_type_of(&target_pk)
                .unwrap_or("BIGINT")
                .to_string();
            let entry = if r.kind == "belongs_to" {
                let fk = r
                    .foreign_key
                    .clone()
                    .unwrap_or_else(|| format!("{}_id", r.name));
                if !meta.columns.iter().any(|(c, _)| *c == fk) {
                    meta.columns.push((fk.clone(), target_pk_type));
                }
                format!("belongs_to:{}:{table}:{fk}:{target_pk}", r.name)
            } else {
                let fk = r
                    .foreign_key
                    .clone()
                    .unwrap_or_else(|| format!("{owner}_id"));
                format!("{}:{}:{table}:{fk}:{}", r.kind, r.name, meta.primary_key)
            };
            meta.relationships.push(entry);
        }
        metas.insert(adt, meta);
    }

    /// Declares the five functions of `adt` from its metadata.
    fn build_schema_fns(&mut self, adt: AdtId, meta: Meta) {
        let fields: Vec<String> = meta.columns.iter().map(|(c, _)| c.clone()).collect();
        let field_types: Vec<String> = meta
            .columns
            .iter()
            .map(|(c, t)| format!("{c}:{t}"))
            .collect();
        let bodies = [
            Constant::Text(meta.table),
            Constant::List(fields),
            Constant::Text(meta.primary_key),
            Constant::List(meta.relationships),
            Constant::List(field_types),
        ];
        for (method, body) in SCHEMA_METHODS.into_iter().zip(bodies) {
            let id = self.constant_fn(adt, method, body);
            self.schema_fns.insert((adt, method), id);
        }
    }

    /// The function `T.<method>() -> String | List<String>` returning `value`.
    fn constant_fn(&mut self, adt: AdtId, method: &str, value: Constant) -> crate::hir::DefId {
        let def = self.program.adt(adt);
        let (name, module, span) = (def.name.clone(), def.module.clone(), def.span);
        let marks = self.generated_marks();
        let string = self.types.string();
        let (body, ret) = match value {
            Constant::Text(t) => (
                self.program.add_expr(ExprKind::Lit(Lit::Str(t)), span),
                string,
            ),
            Constant::List(items) => {
                let items = items
                    .into_iter()
                    .map(|t| self.program.add_expr(ExprKind::Lit(Lit::Str(t)), span))
                    .collect();
                let list = self.types.builtin(BuiltinTy::List, vec![string]);
                (self.program.add_expr(ExprKind::List(items), span), list)
            }
        };
        let name = format!("{}.{method}", short(&name));
        self.push_generated_fn(name, module, vec![], body, span, marks, ret)
    }
}

/// The value of a generated Schema function.
enum Constant {
    Text(String),
    List(Vec<String>),
}

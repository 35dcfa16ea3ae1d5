//! Migration programs (tooling spec §6.2): each migration file is compiled on its own as the
//! entry module of a small program whose `main` is generated here. That `main` is one call of
//! the internal builtin `__migrate_run(version, name, no_transaction, up?, up_or_down)`
//! (libmesh_rt `abi/migration.rs`): it opens a pool of one connection on `DATABASE_URL`, runs
//! the file's `up` or `down` with the tracking row in one transaction, and on `Err` prints the
//! message to stderr and exits 1. `meshc check` type-checks migrations with an entry that
//! names both `up` and `down` (never run).
//!
//! The entry is built as syntax (not text) so the call can name the internal builtin
//! (`@__migrate_run`, which no program can write) and so every span in it is the span of the
//! file's own `up`/`down` name: a wrong signature is reported at that function.

use mesh_syntax::ast::{
    Block, Expr, ExprKind, FnDef, Ident, Item, ItemKind, Module, Stmt, StmtKind,
};
use mesh_syntax::diagnostic::{Code, Diagnostic};
use mesh_syntax::span::Span;

/// What the generated `main` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationRun {
    Up,
    Down,
    /// Type-check `up` and `down` (`meshc check`); the program is never run.
    Check,
}

/// The migration a session compiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationEntry {
    pub version: i64,
    pub name: String,
    /// The file's first line is `# mesh:no-transaction`.
    pub no_transaction: bool,
    pub run: MigrationRun,
}

/// The rules of §6.2 a migration file breaks, with the span to report: it may import only
/// stdlib modules, must define `pub fn up` and `pub fn down`, and cannot define `main`.
pub fn problem(module: &Module) -> Option<(String, Span)> {
    for item in &module.items {
        let path = match &item.kind {
            ItemKind::Import(p) => p,
            ItemKind::FromImport { module, .. } => module,
            ItemKind::Fn(f) if f.name.name == "main" => {
                return Some((
                    "a migration cannot define `main`: meshc migrate supplies it".into(),
                    f.name.span,
                ))
            }
            _ => continue,
        };
        if !mesh_sema::builtins::Builtin::is_stdlib_module(&path.joined()) {
            return Some((
                "migrations may only use the standard library".into(),
                item.span,
            ));
        }
    }
    for wanted in ["up", "down"] {
        if find(module, wanted).is_none() {
            return Some((
                format!("missing `pub fn {wanted}(pool :: PoolHandle) -> Int ! String`"),
                Span::new(module.span.file, 0, 0),
            ));
        }
    }
    None
}

/// The span of the name of `pub fn NAME`.
fn find(module: &Module, name: &str) -> Option<Span> {
    module.items.iter().find_map(|i| match &i.kind {
        ItemKind::Fn(f) if f.is_pub && f.name.name == name => Some(f.name.span),
        _ => None,
    })
}

/// Adds the generated `main` to the migration's module, or reports why the file is not a
/// migration.
pub fn add_entry(module: &mut Module, entry: &MigrationEntry) -> Result<(), Box<Diagnostic>> {
    if let Some((message, span)) = problem(module) {
        return Err(Box::new(
            Diagnostic::error(Code::C0001, message).with_label(span, "here"),
        ));
    }
    let calls: &[bool] = match entry.run {
        MigrationRun::Up => &[true],
        MigrationRun::Down => &[false],
        MigrationRun::Check => &[true, false],
    };
    let mut stmts = Vec::new();
    for &up in calls {
        let target = if up { "up" } else { "down" };
        let span = find(module, target).unwrap_or(module.span);
        let e = |kind| Expr { kind, span };
        let call = e(ExprKind::Call {
            callee: Box::new(e(ExprKind::Name(mesh_sema::builtins::generated_name(
                "__migrate_run",
            )))),
            args: vec![
                e(ExprKind::Int(entry.version.unsigned_abs())),
                e(ExprKind::Str(entry.name.clone())),
                e(ExprKind::Bool(entry.no_transaction)),
                e(ExprKind::Bool(up)),
                e(ExprKind::Name(target.into())),
            ],
            kwargs: vec![],
            trailing: None,
        });
        stmts.push(Stmt {
            kind: StmtKind::Expr(call),
            span,
        });
    }
    let span = stmts.first().map_or(module.span, |s| s.span);
    let main = FnDef {
        cluster: None,
        is_pub: false,
        name: Ident {
            name: "main".into(),
            span,
        },
        generics: vec![],
        params: Some(vec![]),
        ret: None,
        where_bounds: vec![],
        guard: None,
        body: Expr {
            kind: ExprKind::Block(Block { stmts, span }),
            span,
        },
    };
    module.items.push(Item {
        kind: ItemKind::Fn(Box::new(main)),
        span,
    });
    Ok(())
}

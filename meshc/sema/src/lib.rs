//! mesh_sema: from parsed modules to a type-checked HIR. `analyze` runs resolution and
//! desugaring (`lower`), then inference (`typeck`); every user error is reported here, so an
//! invalid program never reaches mesh_mir.
#![forbid(unsafe_code)]
#![deny(clippy::iter_over_hash_type)]

pub mod builtins;
pub mod errors;
pub mod exhaust;
pub mod hir;
pub mod lower;
pub mod scc;
pub mod ty;
pub mod typeck;

use mesh_syntax::diagnostic::Diagnostic;

/// A checked program: HIR with types, and the type arena they index.
pub struct Checked {
    pub program: hir::Program,
    pub types: ty::Types,
}

/// Resolves and type-checks all modules. Returns the checked program when there are no
/// errors, plus every diagnostic (warnings included) either way.
pub fn analyze(
    modules: &[lower::ModuleInput],
    entry_module: &str,
) -> (Option<Checked>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut types = ty::Types::new();
    let mut program = lower::lower(modules, entry_module, &mut types, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    typeck::check(&mut program, &mut types, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    exhaust::check(&program, &mut types, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    (Some(Checked { program, types }), diags)
}

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
pub mod print;
pub mod scc;
pub mod ty;
pub mod typeck;

use mesh_syntax::diagnostic::Diagnostic;

/// A checked program: HIR with types, and the type arena they index.
pub struct Checked {
    pub program: hir::Program,
    pub types: ty::Types,
}

/// The result of analysing a program, errors or not: the HIR of everything that could be
/// lowered, with a type per expression, local and function (error types where a mistake was),
/// so an editor still gets types and definitions for the rest of a file with errors.
pub struct Analysis {
    pub program: hir::Program,
    pub types: ty::Types,
    /// The diagnostics of the first stage that reported an error (or of all stages when none
    /// did), exactly what `meshc check` prints: after a resolution error the checker still runs
    /// to type the rest of the program, but its follow-on diagnostics are dropped.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The checked program when there were no errors (MIR only takes error-free programs),
    /// plus the diagnostics either way.
    pub fn into_checked(self) -> (Option<Checked>, Vec<Diagnostic>) {
        if self.has_errors() {
            return (None, self.diagnostics);
        }
        let checked = Checked {
            program: self.program,
            types: self.types,
        };
        (Some(checked), self.diagnostics)
    }
}

/// The two parts of analysis, for callers that time them (`meshc build --timings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Name resolution and AST → HIR.
    Lower,
    /// Type inference and exhaustiveness.
    Check,
}

/// Resolves and type-checks all modules, returning the typed program even when there are
/// errors (see [`Analysis`]). Exhaustiveness is checked only on programs without errors.
/// `done` is called at the end of each phase.
pub fn analyze_partial(
    modules: &[lower::ModuleInput],
    entry_module: &str,
    done: &mut dyn FnMut(Phase),
) -> Analysis {
    let mut diagnostics = Vec::new();
    let mut types = ty::Types::new();
    let mut program = lower::lower(modules, entry_module, &mut types, &mut diagnostics);
    done(Phase::Lower);
    if diagnostics.iter().any(Diagnostic::is_error) {
        // Type what resolved; the checker's reports about error nodes would only be noise.
        let mut follow_on = Vec::new();
        typeck::check(&mut program, &mut types, &mut follow_on);
        done(Phase::Check);
        return Analysis {
            program,
            types,
            diagnostics,
        };
    }
    typeck::check(&mut program, &mut types, &mut diagnostics);
    if !diagnostics.iter().any(Diagnostic::is_error) {
        exhaust::check(&program, &mut types, &mut diagnostics);
    }
    done(Phase::Check);
    Analysis {
        program,
        types,
        diagnostics,
    }
}

/// Resolves and type-checks all modules. Returns the checked program when there are no
/// errors, plus every diagnostic (warnings included) either way.
pub fn analyze(
    modules: &[lower::ModuleInput],
    entry_module: &str,
) -> (Option<Checked>, Vec<Diagnostic>) {
    analyze_partial(modules, entry_module, &mut |_| {}).into_checked()
}

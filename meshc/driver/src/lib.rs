//! mesh_driver: the Mesh front end as a library. A [`Session`] holds a program's sources (found
//! by project discovery, or given in memory) and runs the stages on them: `parse` → `analyze`
//! (resolution, lowering, type checking) → `lower_mir`. Each stage returns what it could
//! build even when there are errors (recovered ASTs, the typed HIR with error nodes), so the
//! command line, the test runner, the formatter and the language server share one front end.
//! Code generation and linking stay with the caller (mesh_codegen links LLVM; tools that only
//! read programs do not need it). No output is written here: diagnostics are data.
#![forbid(unsafe_code)]

pub mod migration;
pub mod project;
mod session;
mod timings;

pub use migration::{MigrationEntry, MigrationRun};
pub use session::{Analysis, Parsed, ParsedModule, Session};
pub use timings::{Stage, Timings};

/// A failure of the command as a whole rather than a diagnostic of the program (a missing
/// project, an unreadable file, a bad manifest): the CLI prints it as its single `error: …`
/// line (spec tooling §0.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverError {
    pub message: String,
}

impl DriverError {
    pub fn new(message: impl Into<String>) -> DriverError {
        DriverError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for DriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DriverError {}

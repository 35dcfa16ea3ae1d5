//! mesh_codegen: MIR → LLVM IR through inkwell, then an object file, then an executable linked
//! by the system C compiler driver against the runtime archive (`libmesh_rt.a`).
//!
//! Every MIR local becomes an `alloca` in the function's entry block (mem2reg turns them into
//! registers when optimising). Values: Int `i64`, Float `double`, Bool and Unit `i8`, heap
//! objects `ptr`. String literals become constant string objects with the static flag set.

mod emit;
mod link;

pub use link::{link, LinkError, LinkMode};

/// Code generation settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// LLVM optimisation level 0–3.
    pub opt_level: u8,
    /// Also return the textual IR.
    pub want_llvm_ir: bool,
}

/// The products of code generation.
pub struct Output {
    pub object: Vec<u8>,
    pub llvm_ir: Option<String>,
}

/// Generates an object file for `program`. An `Err` is a compiler bug (LLVM rejected the IR)
/// or a missing target, described for the user.
pub fn generate(program: &mesh_mir::Program, options: &Options) -> Result<Output, String> {
    emit::generate(program, options)
}

//! Registration of clustered declarations (runtime-cluster §4.1): at the start of the
//! generated entry, before the program's `main` runs, `mesh_rt_cluster_test_build()` in a
//! `meshc test` executable, then one `mesh_rt_cluster_declare(name, entry, count, kind)` per
//! row of `Program::clustered` (entries are the thunks of `mesh_mir` `lower/cluster.rs`).

use super::{llvm_err, Emitter, Result};
use mesh_mir::Program;
use mesh_rt_abi::names as rt;

impl<'ctx> Emitter<'ctx> {
    /// Emits the registrations at the builder's position.
    pub(super) fn emit_cluster_registrations(&mut self, program: &Program) -> Result<()> {
        if program.test_build {
            let f = self.runtime_fn(rt::mesh_rt_cluster_test_build)?;
            self.builder.build_call(f, &[], "").map_err(llvm_err)?;
        }
        if program.clustered.is_empty() {
            return Ok(());
        }
        let declare = self.runtime_fn(rt::mesh_rt_cluster_declare)?;
        let i64t = self.context.i64_type();
        for c in &program.clustered {
            let name = self.string_constant(&c.name).as_pointer_value();
            let entry = self.fns[c.entry.0 as usize]
                .as_global_value()
                .as_pointer_value();
            let count = i64t.const_int(c.count as u64, true);
            let kind = i64t.const_int(c.kind as u64, false);
            self.builder
                .build_call(
                    declare,
                    &[name.into(), entry.into(), count.into(), kind.into()],
                    "",
                )
                .map_err(llvm_err)?;
        }
        Ok(())
    }
}

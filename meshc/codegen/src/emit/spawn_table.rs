//! The function table of `Node.spawn` (`mesh_mir::Program::spawn_table`): constant rows
//! `{ name: StrRef, code: ptr, args: ptr to TypeDesc, count: i64 }` (the runtime's
//! `dist::spawn::SpawnEntry`), handed to `mesh_rt_spawn_table` by the C `main` before the
//! program starts.

use super::{llvm_err, Emitter, Result};
use inkwell::AddressSpace;
use mesh_mir::SpawnEntry;
use mesh_rt_abi::names as rt;

impl Emitter<'_> {
    /// In the C `main` (the builder is positioned there): installs the table, when the
    /// program spawns on other nodes at all.
    pub(super) fn install_spawn_table(&mut self, table: &[SpawnEntry]) -> Result<()> {
        if table.is_empty() {
            return Ok(());
        }
        let ptr = self.context.ptr_type(AddressSpace::default());
        let i64t = self.context.i64_type();
        let strref = self.context.struct_type(&[ptr.into(), i64t.into()], false);
        let row_ty = self
            .context
            .struct_type(&[strref.into(), ptr.into(), ptr.into(), i64t.into()], false);
        let rows: Vec<_> = table
            .iter()
            .map(|e| {
                let name = self.str_ref(&e.name, strref);
                let code = self.fns[e.code.0 as usize]
                    .as_global_value()
                    .as_pointer_value();
                let args = self.descs[e.args.0 as usize].as_pointer_value();
                row_ty.const_named_struct(&[
                    name.into(),
                    code.into(),
                    args.into(),
                    i64t.const_int(u64::from(e.count), false).into(),
                ])
            })
            .collect();
        let array = row_ty.const_array(&rows);
        let global = self.private_global(array.get_type().into(), array.into(), "spawn.table");
        let install = self.runtime_fn(rt::mesh_rt_spawn_table)?;
        self.builder
            .build_call(
                install,
                &[
                    global.into(),
                    i64t.const_int(table.len() as u64, false).into(),
                ],
                "",
            )
            .map_err(llvm_err)?;
        Ok(())
    }
}

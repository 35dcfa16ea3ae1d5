//! `Node.spawn(node, f, args…)` / `Node.spawn_link` (stdlib §17.1): the function crosses by
//! name. The arguments are evaluated here into one tuple (the runtime encodes it by its
//! descriptor); the target's spawn code gets a row in the program's function table
//! (`Program::spawn_table`, emitted by codegen), shared by every call site of one target
//! instance; the runtime call sends the request and returns the remote pid
//! (`mesh_rt_node_spawn`, runtime `dist/spawn.rs`).

use super::data::str_const;
use super::{instance_name, FnBuilder};
use crate::{AllocKind, Const, Operand, Rvalue, SpawnEntry, Ty};
use mesh_rt_abi::names as rt;
use mesh_sema::hir::{ExprId, ExprKind};

impl FnBuilder<'_, '_> {
    pub(super) fn node_spawn(
        &mut self,
        node: ExprId,
        target: ExprId,
        args: &[ExprId],
        link: bool,
    ) -> Operand {
        let node = self.expr(node);
        let parts = self.spawn_parts(target, args);
        let key = match self.ctx.program.expr(target).kind {
            ExprKind::Fn(def) => {
                let use_ty = self.concrete(self.ctx.program.expr_ty(target));
                let (_, subst) = self.ctx.instance_at(def, use_ty);
                let decl = self.ctx.program.func(def).clone();
                Some(instance_name(self.ctx, &decl, &subst))
            }
            _ => None,
        };
        let known = key.as_ref().and_then(|k| {
            self.ctx
                .spawn_table
                .iter()
                .find(|e| &e.name == k && e.args == parts.env)
                .map(|e| e.name.clone())
        });
        let name = match known {
            Some(name) => name,
            None => {
                let code = self.spawn_code(parts.direct, &parts.mir_tys, parts.ret);
                let name = key.unwrap_or_else(|| {
                    let code_fn = self.ctx.done.iter().rev().find(|(id, _)| *id == code);
                    code_fn.map_or_else(String::new, |(_, f)| f.name.clone())
                });
                self.ctx.spawn_table.push(SpawnEntry {
                    name: name.clone(),
                    code,
                    args: parts.env,
                    count: parts.ops.len() as u32,
                });
                name
            }
        };
        let tuple = self.temp(
            Ty::Ptr,
            Rvalue::Alloc {
                kind: AllocKind::Tuple,
                desc: parts.env,
                fields: parts.ops,
            },
        );
        self.temp(
            Ty::Int,
            Rvalue::Runtime(
                rt::mesh_rt_node_spawn,
                vec![
                    node,
                    tuple,
                    str_const(&name),
                    Operand::Const(Const::Bool(link)),
                ],
            ),
        )
    }
}

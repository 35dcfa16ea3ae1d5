//! Clustered declarations (runtime-cluster §4.1, §7): the entry thunk of every row of
//! `hir::Program::clustered`, and the rows of `Program::clustered` that codegen turns into
//! `mesh_rt_cluster_declare` calls at the start of `main`.
//!
//! Entry conventions (the runtime's `cluster::declared::Kind`), all C (`is_closure_code`):
//! - kind 0, startup work: `cluster.startup.<Name>() -> ()` calls the function and discards
//!   its result;
//! - kind 1, route handler: `cluster.route.<Name>(closure: Ptr, request: Int) -> Int`, the
//!   code of a capture-free Mesh closure `fn(Request) -> Response`, exactly what the HTTP
//!   runtime calls for a route handler (`call1(handler, request)`: code(closure, request word)
//!   returning the Response as a word);
//! - kind 2, other declared work: `cluster.work.<Name>(closure, arg words…) -> Int`, the same
//!   convention over the function's parameters (type variables instantiated at `()`).

use super::{Ctx, FnBuilder};
use crate::{ClusterEntry, FnId, Operand, Rvalue, Ty};
use mesh_sema::hir::{self, ClusterKind, DefId, ExprId, ExprKind};
use mesh_sema::ty::{BuiltinTy, TyId, TyKind};

/// The arguments of a call that are passed at run time: all but a builtin's type-only ones
/// (`__http_clustered`'s handler).
pub(super) fn passed_args<'a>(
    program: &hir::Program,
    callee: ExprId,
    args: &'a [ExprId],
) -> &'a [ExprId] {
    match program.expr(callee).kind {
        ExprKind::Builtin(b) => {
            let n = mesh_sema::builtins::type_only_args(b.def().symbol).min(args.len());
            &args[..args.len() - n]
        }
        _ => args,
    }
}

/// Instances and entry thunks of every clustered declaration, in declaration order.
pub(super) fn declare(ctx: &mut Ctx<'_>) -> Vec<ClusterEntry> {
    let decls = ctx.program.clustered.clone();
    decls
        .iter()
        .map(|d| {
            let (entry, kind) = match d.kind {
                ClusterKind::Startup => (startup_thunk(ctx, d), 0),
                ClusterKind::Route => {
                    let request = ctx.types.builtin(BuiltinTy::Request, vec![]);
                    let response = ctx.types.builtin(BuiltinTy::Response, vec![]);
                    let fun = ctx.types.intern(TyKind::Fun(vec![request], response));
                    (closure_thunk(ctx, d, fun, "route"), 1)
                }
                ClusterKind::Other => {
                    let fun = unit_instance_ty(ctx, d.def);
                    (closure_thunk(ctx, d, fun, "work"), 2)
                }
            };
            ClusterEntry {
                name: d.runtime_name.clone(),
                entry,
                count: d.count,
                kind,
            }
        })
        .collect()
}

/// The type of `def` with every type parameter `()`.
fn unit_instance_ty(ctx: &mut Ctx<'_>, def: DefId) -> TyId {
    let (scheme, n) = ctx.program.fn_types[def.0 as usize];
    let unit = ctx.types.unit();
    ctx.types.instantiate(scheme, &vec![unit; n as usize])
}

/// `cluster.startup.<Name>() -> ()`: calls the function, discards the result.
fn startup_thunk(ctx: &mut Ctx<'_>, d: &hir::ClusterDecl) -> FnId {
    let fun = unit_instance_ty(ctx, d.def);
    let (target, _) = ctx.instance_at(d.def, fun);
    let ret = match ctx.types.kind(ctx.types.shallow(fun)).clone() {
        TyKind::Fun(_, ret) => ctx.mir_ty(ret),
        _ => Ty::Unit,
    };
    let id = ctx.new_fn_id();
    let func = {
        let mut b = FnBuilder::new(
            ctx,
            format!("cluster.startup.{}", d.runtime_name),
            vec![],
            id,
        );
        b.func.is_closure_code = true;
        b.func.ret = Ty::Unit;
        b.temp(ret, Rvalue::Call(target, vec![]));
        b.ret(Operand::Const(crate::Const::Unit));
        b.func
    };
    ctx.done.push((id, func));
    id
}

/// The code of a capture-free closure over the function at type `fun`:
/// `cluster.<what>.<Name>(closure, arg words…) -> word`.
fn closure_thunk(ctx: &mut Ctx<'_>, d: &hir::ClusterDecl, fun: TyId, what: &str) -> FnId {
    let (target, _) = ctx.instance_at(d.def, fun);
    let TyKind::Fun(params, ret) = ctx.types.kind(ctx.types.shallow(fun)).clone() else {
        panic!("compiler bug: a clustered function without a function type");
    };
    let id = ctx.new_fn_id();
    let func = {
        let name = format!("cluster.{what}.{}", d.runtime_name);
        let mut b = FnBuilder::new(ctx, name, vec![], id);
        b.word_return = true;
        b.func.is_closure_code = true;
        b.func.ret = Ty::Int;
        let closure = b.new_local(Ty::Ptr);
        b.func.params.push(closure);
        let mut args = Vec::new();
        for &p in &params {
            let w = b.new_local(Ty::Int);
            b.func.params.push(w);
            let ty = b.ctx.mir_ty(p);
            args.push(b.temp(ty, Rvalue::FromWord(Operand::Local(w))));
        }
        let rty = b.ctx.mir_ty(ret);
        let result = b.temp(rty, Rvalue::Call(target, args));
        b.ret(result);
        b.func
    };
    ctx.done.push((id, func));
    id
}

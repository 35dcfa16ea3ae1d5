//! Typed HIR → MIR. Functions are lowered per instance: `(DefId, type arguments)` pairs are
//! discovered from `main` outwards through a worklist, so only reachable code is emitted and
//! every generic function gets one monomorphic copy per distinct instantiation. Data, closures
//! and pattern matching live in `lower/data.rs`, `lower/pattern.rs` and `lower/decision.rs`.

mod actors;
mod cluster;
mod collections;
mod data;
mod decision;
mod derive;
mod iterate;
mod local_schemes;
mod node_spawn;
mod pattern;
mod user_impls;

use crate::{
    BinOp, Block, BlockId, Const, FnId, Function, Local, Operand, Program, Rvalue, Stmt,
    Terminator, Ty,
};
use mesh_rt_abi::names as rt;
use mesh_sema::builtins::Builtin;
use mesh_sema::hir::{self, DefId, ExprId, ExprKind, InterpPart, Lit};
use mesh_sema::ty::{BuiltinTy, TyId, TyKind, Types};
use mesh_sema::Checked;
use mesh_syntax::ast;
use std::collections::{BTreeMap, HashMap};

/// Lowers a checked program with an entry point.
pub fn lower(checked: &mut Checked) -> Program {
    let entry_def = checked
        .program
        .entry
        .expect("sema guarantees an entry function");
    let mut ctx = Ctx {
        program: &checked.program,
        types: &mut checked.types,
        instances: BTreeMap::new(),
        queue: Vec::new(),
        done: Vec::new(),
        next_fn: 0,
        descs: Vec::new(),
        desc_memo: HashMap::new(),
        adapters: HashMap::new(),
        derived: HashMap::new(),
        closure_codes: HashMap::new(),
        spawn_table: Vec::new(),
    };
    // An entry whose result is never constrained (`fn main() do … panic("…") end`) is
    // generalised over it; like any unconstrained type argument, it is `()`.
    let (_, entry_params) = ctx.program.fn_types[entry_def.0 as usize];
    let unit = ctx.types.unit();
    let entry = ctx.instance(entry_def, vec![unit; entry_params as usize]);
    let clustered = cluster::declare(&mut ctx);
    while let Some((id, def, args)) = ctx.queue.pop() {
        let func = FnBuilder::build(&mut ctx, id, def, args);
        ctx.done.push((id, func));
    }
    ctx.done.sort_by_key(|(id, _)| *id);
    let fns = ctx
        .done
        .into_iter()
        .map(|(_, mut f)| {
            crate::passes::remove_unreachable_blocks(&mut f);
            f
        })
        .collect();
    Program {
        fns,
        descs: ctx.descs,
        entry,
        clustered,
        test_build: false,
        spawn_table: ctx.spawn_table,
    }
}

struct Ctx<'a> {
    program: &'a hir::Program,
    types: &'a mut Types,
    instances: BTreeMap<(DefId, Vec<TyId>), FnId>,
    queue: Vec<(FnId, DefId, Vec<TyId>)>,
    done: Vec<(FnId, Function)>,
    next_fn: u32,
    descs: Vec<crate::Desc>,
    desc_memo: HashMap<TyId, crate::DescId>,
    /// Word-ABI adapters of functions used as values, by the function they call.
    adapters: HashMap<FnId, FnId>,
    /// Generated structural operations (equality, ordering, Display) by type.
    derived: HashMap<(derive::Op, TyId), FnId>,
    /// The code of each closure by (closure expression, type substitution): a generalised
    /// `let` builds its closure at every use, and uses at one type share the code.
    closure_codes: HashMap<(ExprId, Vec<TyId>), FnId>,
    /// The function table of `Node.spawn` (one row per target instance).
    spawn_table: Vec<crate::SpawnEntry>,
}

impl Ctx<'_> {
    fn instance(&mut self, def: DefId, args: Vec<TyId>) -> FnId {
        if let Some(&id) = self.instances.get(&(def, args.clone())) {
            return id;
        }
        let id = self.new_fn_id();
        self.instances.insert((def, args.clone()), id);
        self.queue.push((id, def, args));
        id
    }

    /// The instance of `def` used at the concrete function type `use_ty` (its type arguments
    /// read off by matching the generalised type; unconstrained ones are `()`).
    fn instance_at(&mut self, def: DefId, use_ty: TyId) -> (FnId, Vec<TyId>) {
        let (scheme, n) = self.program.fn_types[def.0 as usize];
        let mut found = Vec::new();
        self.types.match_gen(scheme, use_ty, &mut found);
        let unit = self.types.unit();
        let args: Vec<TyId> = (0..n as usize)
            .map(|i| found.get(i).copied().flatten().unwrap_or(unit))
            .collect();
        (self.instance(def, args.clone()), args)
    }

    fn new_fn_id(&mut self) -> FnId {
        self.next_fn += 1;
        FnId(self.next_fn - 1)
    }

    fn mir_ty(&self, ty: TyId) -> Ty {
        match self.types.kind(self.types.shallow(ty)) {
            TyKind::Int => Ty::Int,
            // stdlib spec §13: a DateTime is its Unix milliseconds.
            // stdlib spec §22: a SqliteConn is a handle into the runtime's table.
            TyKind::Builtin(BuiltinTy::DateTime | BuiltinTy::SqliteConn | BuiltinTy::Pid, _) => {
                Ty::Int
            }
            // An actor's function returns nothing (see typeck: `Fun(params) -> Actor<M>`).
            TyKind::Builtin(BuiltinTy::Actor, _) => Ty::Unit,
            TyKind::Float => Ty::Float,
            TyKind::Bool => Ty::Bool,
            TyKind::String
            | TyKind::Adt(..)
            | TyKind::Builtin(..)
            | TyKind::Tuple(_)
            | TyKind::Fun(..) => Ty::Ptr,
            TyKind::Unit | TyKind::Never => Ty::Unit,
            other => panic!("compiler bug: type {other:?} reached MIR lowering"),
        }
    }
}

struct FnBuilder<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    func: Function,
    current: BlockId,
    locals: HashMap<hir::LocalId, Local>,
    subst: Vec<TyId>,
    /// The instance being built, to recognise self tail calls.
    me: FnId,
    /// In the code of a nested `fn`, the local naming that function: calls of it in tail
    /// position are self tail calls too.
    me_local: Option<hir::LocalId>,
    /// Closure code returns its result as a word (the closure calling convention).
    word_return: bool,
    /// The concrete result type of the function being built (for `?`).
    ret_sema: Option<TyId>,
    /// Enclosing loops: (continue target, break target).
    loops: Vec<(BlockId, BlockId)>,
    /// Building an actor's body: its value is discarded (the function returns `()`).
    actor: bool,
}

impl<'c, 'a> FnBuilder<'c, 'a> {
    fn build(ctx: &'c mut Ctx<'a>, id: FnId, def: DefId, subst: Vec<TyId>) -> Function {
        let decl = ctx.program.func(def).clone();
        let name = instance_name(ctx, &decl, &subst);
        let mut b = FnBuilder::new(ctx, name, subst, id);
        b.actor = decl.actor;
        for &p in &decl.params {
            let ty = b.ty_of_local(p);
            let local = b.new_local(ty);
            b.locals.insert(p, local);
            b.func.params.push(local);
            b.note_struct_param(p, local);
        }
        let body_ty = b.concrete(b.ctx.program.expr_ty(decl.body));
        b.func.ret = b.ctx.mir_ty(body_ty);
        let (fn_ty, _) = b.ctx.program.fn_types[def.0 as usize];
        let fn_ty = b.ctx.types.instantiate(fn_ty, &b.subst);
        if let TyKind::Fun(_, ret) = b.ctx.types.kind(fn_ty).clone() {
            b.func.ret = b.ctx.mir_ty(ret);
            b.ret_sema = Some(ret);
        }
        b.tail(decl.body);
        b.func
    }

    fn new(ctx: &'c mut Ctx<'a>, name: String, subst: Vec<TyId>, me: FnId) -> Self {
        let empty = Block {
            stmts: vec![],
            terminator: Terminator::Unreachable,
        };
        let func = Function {
            name,
            params: vec![],
            ret: Ty::Unit,
            locals: vec![],
            blocks: vec![empty],
            is_closure_code: false,
            struct_params: vec![],
        };
        FnBuilder {
            ctx,
            func,
            current: BlockId(0),
            locals: HashMap::new(),
            subst,
            me,
            me_local: None,
            word_return: false,
            ret_sema: None,
            loops: Vec::new(),
            actor: false,
        }
    }

    /// Returns `v` from the function being built.
    fn ret(&mut self, v: Operand) {
        let v = if self.actor {
            Operand::Const(Const::Unit)
        } else if self.word_return {
            self.temp(Ty::Int, Rvalue::ToWord(v))
        } else {
            v
        };
        self.terminate(Terminator::Return(v));
    }

    fn concrete(&mut self, ty: TyId) -> TyId {
        self.ctx.types.instantiate(ty, &self.subst)
    }

    fn ty_of_local(&mut self, l: hir::LocalId) -> Ty {
        let t = self.concrete(self.ctx.program.local_ty(l));
        self.ctx.mir_ty(t)
    }

    fn ty_of_expr(&mut self, e: ExprId) -> Ty {
        let t = self.concrete(self.ctx.program.expr_ty(e));
        self.ctx.mir_ty(t)
    }

    fn new_local(&mut self, ty: Ty) -> Local {
        self.func.locals.push(ty);
        Local(self.func.locals.len() as u32 - 1)
    }

    fn new_block(&mut self) -> BlockId {
        self.func.blocks.push(Block {
            stmts: vec![],
            terminator: Terminator::Unreachable,
        });
        BlockId(self.func.blocks.len() as u32 - 1)
    }

    fn assign(&mut self, dest: Local, rv: Rvalue) {
        self.func.blocks[self.current.0 as usize]
            .stmts
            .push(Stmt::Assign(dest, rv));
    }

    /// Assigns `rv` to a new local of type `ty` and returns it as an operand.
    fn temp(&mut self, ty: Ty, rv: Rvalue) -> Operand {
        let l = self.new_local(ty);
        self.assign(l, rv);
        Operand::Local(l)
    }

    /// Ends the current block; code after it lands in a fresh (unreachable) block.
    fn terminate(&mut self, t: Terminator) {
        self.func.blocks[self.current.0 as usize].terminator = t;
        self.current = self.new_block();
    }

    fn switch_to(&mut self, b: BlockId) {
        self.current = b;
    }

    fn expr(&mut self, e: ExprId) -> Operand {
        match self.ctx.program.expr(e).kind.clone() {
            ExprKind::Lit(lit) => Operand::Const(match lit {
                Lit::Int(n) => Const::Int(n),
                Lit::Float(x) => Const::Float(x),
                Lit::Bool(b) => Const::Bool(b),
                Lit::Str(s) | Lit::Atom(s) | Lit::Regex(s) => Const::Str(s),
                Lit::Unit => Const::Unit,
            }),
            ExprKind::Local(l) if self.ctx.program.local_schemes.contains_key(&l) => {
                self.local_scheme_use(e, l)
            }
            ExprKind::Local(l) => Operand::Local(self.locals[&l]),
            ExprKind::Call { callee, args } => self.call(e, callee, &args),
            ExprKind::Binary { op, lhs, rhs } => self.binary(op, lhs, rhs),
            ExprKind::Unary { op, operand } => {
                let ty = self.ty_of_expr(e);
                let v = self.expr(operand);
                if op == ast::UnOp::Neg && self.ty_of_expr(operand) == Ty::Ptr {
                    // spec §3.6: unary `-` on a user type calls its `Neg` impl.
                    return self.operator_call(operand, "neg", vec![v]);
                }
                let rv = match op {
                    ast::UnOp::Neg => Rvalue::Neg(v),
                    ast::UnOp::Not => Rvalue::Not(v),
                };
                self.temp(ty, rv)
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => self.if_expr(e, cond, then_branch, else_branch),
            ExprKind::Block { stmts, tail } => self.block(&stmts, tail),
            ExprKind::Interp(parts) => self.interp(&parts),
            ExprKind::Return(value) => {
                let v = match value {
                    Some(v) => self.expr(v),
                    None => Operand::Const(Const::Unit),
                };
                self.ret(v);
                Operand::Const(Const::Unit)
            }
            ExprKind::Fn(_) => self.fn_value(e),
            ExprKind::Tuple(elems) => self.tuple(e, &elems),
            ExprKind::Construct { variant, args, .. } => self.construct(e, variant, &args),
            ExprKind::Field { base, .. } => self.field(e, base),
            ExprKind::StructUpdate { base, .. } => self.struct_update(e, base),
            ExprKind::Case {
                scrutinee,
                arms,
                clauses_of,
            } => self.case_in(e, scrutinee, &arms, clauses_of.as_deref(), false),
            ExprKind::Try(inner) => self.try_op(e, inner),
            ExprKind::While { cond, body } => {
                let (header, exit) = (self.new_block(), self.new_block());
                self.terminate(Terminator::Goto(header));
                self.switch_to(header);
                let c = self.expr(cond);
                let body_block = self.new_block();
                self.terminate(Terminator::Branch {
                    cond: c,
                    then_block: body_block,
                    else_block: exit,
                });
                self.switch_to(body_block);
                self.loops.push((header, exit));
                self.expr(body);
                self.loops.pop();
                self.terminate(Terminator::Goto(header));
                self.switch_to(exit);
                Operand::Const(Const::Unit)
            }
            ExprKind::Json(fields) => self.json_literal(&fields),
            ExprKind::Break | ExprKind::Continue => {
                let (header, exit) = *self.loops.last().expect("sema checks loop placement");
                let is_break = matches!(self.ctx.program.expr(e).kind, ExprKind::Break);
                self.terminate(Terminator::Goto(if is_break { exit } else { header }));
                Operand::Const(Const::Unit)
            }
            ExprKind::MethodCall {
                receiver,
                args,
                callee,
                ..
            } => {
                let index = self.ctx.program.field_index[callee.0 as usize];
                if matches!(self.ctx.program.expr(callee).kind, ExprKind::Error)
                    && index != u32::MAX
                {
                    // `s.f(args)` of a struct field holding a function (sema `field_call`).
                    let object = self.expr(receiver);
                    let closure = self.temp(Ty::Ptr, Rvalue::Load { object, index });
                    let ops: Vec<Operand> = args.iter().map(|&a| self.expr(a)).collect();
                    let ret = self.ty_of_expr(e);
                    return self.temp(ret, Rvalue::CallClosure { closure, args: ops });
                }
                let mut all = vec![receiver];
                all.extend(args);
                self.call(e, callee, &all)
            }
            ExprKind::Closure {
                params,
                body,
                captures,
                self_local,
                ..
            } => self.closure(e, &params, body, &captures, self_local),
            ExprKind::List(elems) => self.list_literal(e, &elems),
            ExprKind::Map(entries) => self.map_literal(e, &entries),
            ExprKind::For {
                pats,
                iter,
                filter,
                body,
            } => self.for_loop(e, &pats, iter, filter, body),
            ExprKind::Builtin(b) => self.builtin_value(e, b),
            ExprKind::VariantFn { variant, .. } => self.variant_value(e, variant),
            ExprKind::BoundMethod { .. } => {
                panic!("compiler bug: a bound method used as a value")
            }
            ExprKind::ImplMethod { .. } => {
                panic!("compiler bug: an impl method the checker did not choose")
            }
            ExprKind::Spawn { target, args } => self.spawn(target, &args),
            ExprKind::NodeSpawn {
                node,
                target,
                args,
                link,
            } => self.node_spawn(node, target, &args, link),
            ExprKind::SelfPid => self.temp(Ty::Int, Rvalue::Runtime(rt::mesh_rt_self, vec![])),
            ExprKind::Receive { arms, after } => self.receive(e, &arms, after, false),
            ExprKind::Error => {
                panic!("compiler bug: unsupported expression reached MIR lowering")
            }
        }
    }

    /// Lowers `e` in tail position: its value is returned. A call of this very instance
    /// becomes parameter updates and a jump to the entry block, so self recursion in tail
    /// position runs in constant stack (spec §7); `if` and blocks pass the position on.
    fn tail(&mut self, e: ExprId) {
        match self.ctx.program.expr(e).kind.clone() {
            ExprKind::If {
                cond,
                then_branch,
                else_branch: Some(else_branch),
            } => {
                let c = self.expr(cond);
                let (then_block, else_block) = (self.new_block(), self.new_block());
                self.terminate(Terminator::Branch {
                    cond: c,
                    then_block,
                    else_block,
                });
                self.switch_to(then_block);
                self.tail(then_branch);
                self.switch_to(else_block);
                self.tail(else_branch);
            }
            ExprKind::Block {
                stmts,
                tail: Some(t),
            } => {
                self.block(&stmts, None);
                self.tail(t);
            }
            ExprKind::Return(Some(v)) => self.tail(v),
            ExprKind::Receive { arms, after } => {
                self.receive(e, &arms, after, true);
            }
            ExprKind::Case {
                scrutinee,
                arms,
                clauses_of,
            } => {
                self.case_in(e, scrutinee, &arms, clauses_of.as_deref(), true);
            }
            ExprKind::Call { callee, args } if self.callee_instance(callee) == Some(self.me) => {
                let ops: Vec<Operand> = args.iter().map(|&a| self.expr(a)).collect();
                // Evaluate every argument before overwriting any parameter.
                let temps: Vec<Operand> = ops
                    .into_iter()
                    .zip(self.func.params.clone())
                    .map(|(op, p)| {
                        let ty = self.func.local_ty(p);
                        self.temp(ty, Rvalue::Use(op))
                    })
                    .collect();
                for (t, p) in temps.into_iter().zip(self.func.params.clone()) {
                    self.assign(p, Rvalue::Use(t));
                }
                self.terminate(Terminator::Goto(BlockId(0)));
            }
            ExprKind::Call { callee, args } if self.is_own_closure(callee) => {
                self.closure_self_tail_call(&args);
            }
            _ => {
                let v = self.expr(e);
                self.ret(v);
            }
        }
    }

    /// Whether `callee` names the nested `fn` whose code is being built.
    fn is_own_closure(&self, callee: ExprId) -> bool {
        matches!(self.ctx.program.expr(callee).kind, ExprKind::Local(l) if Some(l) == self.me_local)
    }

    /// A nested `fn` calling itself in tail position: the arguments become the new parameter
    /// words and control jumps to the entry block, which reloads the captures and converts
    /// the words again (spec §7: constant stack, as for top-level functions).
    fn closure_self_tail_call(&mut self, args: &[ExprId]) {
        let ops: Vec<Operand> = args.iter().map(|&a| self.expr(a)).collect();
        // Every argument is evaluated before any parameter is overwritten; parameter 0 is the
        // closure object, which stays.
        let words: Vec<Operand> = ops
            .into_iter()
            .map(|op| self.temp(Ty::Int, Rvalue::ToWord(op)))
            .collect();
        let params: Vec<Local> = self.func.params.iter().skip(1).copied().collect();
        for (w, p) in words.into_iter().zip(params) {
            self.assign(p, Rvalue::Use(w));
        }
        self.terminate(Terminator::Goto(BlockId(0)));
    }

    /// The instance a direct call of `callee` reaches, when it is a Mesh function.
    fn callee_instance(&mut self, callee: ExprId) -> Option<FnId> {
        let ExprKind::Fn(def) = self.ctx.program.expr(callee).kind else {
            return None;
        };
        let use_ty = self.concrete(self.ctx.program.expr_ty(callee));
        Some(self.ctx.instance_at(def, use_ty).0)
    }

    fn call(&mut self, e: ExprId, callee: ExprId, args: &[ExprId]) -> Operand {
        if !matches!(
            self.ctx.program.expr(callee).kind,
            ExprKind::Fn(_) | ExprKind::Builtin(_) | ExprKind::BoundMethod { .. }
        ) {
            let closure = self.expr(callee);
            let ops: Vec<Operand> = args.iter().map(|&a| self.expr(a)).collect();
            let ret = self.ty_of_expr(e);
            return self.temp(ret, Rvalue::CallClosure { closure, args: ops });
        }
        let args = cluster::passed_args(self.ctx.program, callee, args);
        let ops: Vec<Operand> = args.iter().map(|&a| self.expr(a)).collect();
        let ret = self.ty_of_expr(e);
        match self.ctx.program.expr(callee).kind {
            ExprKind::Fn(def) if self.ctx.program.func(def).actor && ret != Ty::Unit => {
                // An actor returns `()`; the call's value (typed freely by sema) is unused.
                let id = self.callee_instance(callee).expect("callee is a function");
                self.temp(Ty::Unit, Rvalue::Call(id, ops));
                match ret {
                    Ty::Int => Operand::Const(Const::Int(0)),
                    Ty::Float => Operand::Const(Const::Float(0.0)),
                    Ty::Bool => Operand::Const(Const::Bool(false)),
                    Ty::Unit | Ty::Ptr => Operand::Const(Const::Str(String::new())),
                }
            }
            ExprKind::Fn(_) => {
                let id = self.callee_instance(callee).expect("callee is a function");
                self.temp(ret, Rvalue::Call(id, ops))
            }
            ExprKind::Builtin(b) => self.builtin_call(e, b, args, ops),
            ExprKind::BoundMethod {
                ref interface,
                ref method,
            } => {
                let (interface, method) = (interface.clone(), method.clone());
                self.bound_method_call(callee, &interface, &method, ret, ops)
            }
            _ => unreachable!("indirect calls are handled above"),
        }
    }

    fn binary(&mut self, op: ast::BinOp, lhs: ExprId, rhs: ExprId) -> Operand {
        use ast::BinOp as A;
        if matches!(op, A::And | A::Or) {
            return self.short_circuit(op == A::And, lhs, rhs);
        }
        let operand_ty = self.ty_of_expr(lhs);
        let a = self.expr(lhs);
        let b = self.expr(rhs);
        let method = match op {
            A::Add => Some("add"),
            A::Sub => Some("sub"),
            A::Mul => Some("mul"),
            A::Div => Some("div"),
            A::Rem => Some("rem"),
            _ => None,
        };
        if let (Ty::Ptr, Some(method)) = (operand_ty, method) {
            return self.operator_call(lhs, method, vec![a, b]);
        }
        if op == A::ListConcat {
            return self.list_concat(lhs, a, b);
        }
        if op == A::Range {
            // stdlib spec §9: `a..b` outside `for` is `Range.new(a, b)`.
            let range = self.ctx.types.builtin(BuiltinTy::Range, vec![]);
            let desc = Operand::Const(Const::Desc(self.ctx.desc_of(range)));
            return self.temp(
                Ty::Ptr,
                Rvalue::Runtime(rt::mesh_rt_range_new, vec![desc, a, b]),
            );
        }
        if op == A::Concat {
            return self.temp(
                Ty::Ptr,
                Rvalue::Runtime(rt::mesh_rt_string_concat, vec![a, b]),
            );
        }
        let mop = match op {
            A::Add => BinOp::Add,
            A::Sub => BinOp::Sub,
            A::Mul => BinOp::Mul,
            A::Div => BinOp::Div,
            A::Rem => BinOp::Rem,
            A::Eq => BinOp::Eq,
            A::Ne => BinOp::Ne,
            A::Lt => BinOp::Lt,
            A::Gt => BinOp::Gt,
            A::Le => BinOp::Le,
            A::Ge => BinOp::Ge,
            A::And | A::Or | A::Concat | A::ListConcat | A::Range => {
                panic!("compiler bug: operator {op:?} reached MIR lowering")
            }
        };
        if matches!(
            mop,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge
        ) {
            let ty = self.concrete(self.ctx.program.expr_ty(lhs));
            return self.comparison(mop, ty, a, b);
        }
        let result_ty = if matches!(
            mop,
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem
        ) {
            operand_ty
        } else {
            Ty::Bool
        };
        self.temp(result_ty, Rvalue::Binary(mop, a, b))
    }

    /// `==`/`!=` through structural equality, ordering through the three-way comparison
    /// (both inline for primitive types).
    fn comparison(&mut self, op: BinOp, ty: TyId, a: Operand, b: Operand) -> Operand {
        let simple = matches!(
            self.ctx.types.kind(self.ctx.types.shallow(ty)),
            TyKind::Int | TyKind::Float | TyKind::Bool
        );
        if simple {
            return self.temp(Ty::Bool, Rvalue::Binary(op, a, b));
        }
        match op {
            BinOp::Eq => self.value_eq(ty, a, b),
            BinOp::Ne => {
                let eq = self.value_eq(ty, a, b);
                self.temp(Ty::Bool, Rvalue::Not(eq))
            }
            _ => {
                let ord = self.value_cmp(ty, a, b);
                self.temp(
                    Ty::Bool,
                    Rvalue::Binary(op, ord, Operand::Const(Const::Int(0))),
                )
            }
        }
    }

    fn short_circuit(&mut self, is_and: bool, lhs: ExprId, rhs: ExprId) -> Operand {
        let result = self.new_local(Ty::Bool);
        let a = self.expr(lhs);
        let (rhs_block, done) = (self.new_block(), self.new_block());
        self.assign(result, Rvalue::Use(a.clone()));
        let (then_block, else_block) = if is_and {
            (rhs_block, done)
        } else {
            (done, rhs_block)
        };
        self.terminate(Terminator::Branch {
            cond: a,
            then_block,
            else_block,
        });
        self.switch_to(rhs_block);
        let b = self.expr(rhs);
        self.assign(result, Rvalue::Use(b));
        self.terminate(Terminator::Goto(done));
        self.switch_to(done);
        Operand::Local(result)
    }

    fn if_expr(
        &mut self,
        e: ExprId,
        cond: ExprId,
        then_branch: ExprId,
        else_branch: Option<ExprId>,
    ) -> Operand {
        let ty = self.ty_of_expr(e);
        let result = self.new_local(ty);
        let c = self.expr(cond);
        let (then_block, else_block, join) = (self.new_block(), self.new_block(), self.new_block());
        self.terminate(Terminator::Branch {
            cond: c,
            then_block,
            else_block,
        });
        self.switch_to(then_block);
        let v = self.expr(then_branch);
        self.assign_result(result, ty, v);
        self.terminate(Terminator::Goto(join));
        self.switch_to(else_block);
        let v = match else_branch {
            Some(x) => self.expr(x),
            None => Operand::Const(Const::Unit),
        };
        self.assign_result(result, ty, v);
        self.terminate(Terminator::Goto(join));
        self.switch_to(join);
        Operand::Local(result)
    }

    /// Stores a branch value into the `if`'s result (a `()` result needs no store).
    fn assign_result(&mut self, result: Local, ty: Ty, v: Operand) {
        if ty != Ty::Unit {
            self.assign(result, Rvalue::Use(v));
        } else {
            self.assign(result, Rvalue::Use(Operand::Const(Const::Unit)));
        }
    }

    fn block(&mut self, stmts: &[hir::Stmt], tail: Option<ExprId>) -> Operand {
        for s in stmts {
            match s {
                // A generalised binding is built at each use instead.
                hir::Stmt::Let { pat, .. } if self.is_generalised(*pat) => {}
                hir::Stmt::Let { pat, value } => {
                    let v = self.expr(*value);
                    self.bind_irrefutable(*pat, v);
                }
                hir::Stmt::Expr(x) => {
                    self.expr(*x);
                }
            }
        }
        match tail {
            Some(t) => self.expr(t),
            None => Operand::Const(Const::Unit),
        }
    }

    /// Interpolation: each piece becomes a string (Display), then they are concatenated.
    fn interp(&mut self, parts: &[InterpPart]) -> Operand {
        let mut acc: Option<Operand> = None;
        for p in parts {
            let piece = match p {
                InterpPart::Text(t) => Operand::Const(Const::Str(t.clone())),
                InterpPart::Expr(x) => {
                    let ty = self.concrete(self.ctx.program.expr_ty(*x));
                    let v = self.expr(*x);
                    self.display(ty, v)
                }
            };
            acc = Some(match acc {
                None => piece,
                Some(prev) => self.temp(
                    Ty::Ptr,
                    Rvalue::Runtime(rt::mesh_rt_string_concat, vec![prev, piece]),
                ),
            });
        }
        acc.unwrap_or(Operand::Const(Const::Str(String::new())))
    }

    /// The Display form of a value of (concrete) type `ty` (spec stdlib §0.5).
    fn display(&mut self, ty: TyId, v: Operand) -> Operand {
        self.value_display(ty, v)
    }
}

fn instance_name(ctx: &Ctx<'_>, decl: &hir::FnDecl, subst: &[TyId]) -> String {
    if subst.is_empty() {
        return decl.qualified_name();
    }
    let args: Vec<String> = subst.iter().map(|&t| ctx.types.display(t)).collect();
    format!("{}<{}>", decl.qualified_name(), args.join(", "))
}

impl FnBuilder<'_, '_> {
    /// `x.m(args)` through a `where` bound (spec §5.4): the impl of `interface` for the
    /// receiver's concrete type in this instance. The checker requires the impl at every call
    /// of the generic function whose type argument it knows; an instance whose type argument
    /// nothing fixed (`show_all([])`) has none, and panics if it ever makes the call.
    fn bound_method_call(
        &mut self,
        callee: ExprId,
        interface: &str,
        method: &str,
        ret: Ty,
        ops: Vec<Operand>,
    ) -> Operand {
        let use_ty = self.concrete(self.ctx.program.expr_ty(callee));
        let receiver = match self.ctx.types.kind(use_ty) {
            TyKind::Fun(params, _) => params[0],
            _ => panic!("compiler bug: a bound method without a function type"),
        };
        let def = hir::Program::type_key(self.ctx.types, receiver).and_then(|key| {
            self.ctx
                .program
                .impls
                .iter()
                .find(|i| i.target == key && i.interface == interface)
                .and_then(|i| i.methods.iter().find(|(m, _)| m == method))
                .map(|(_, d)| *d)
        });
        let Some(def) = def else {
            let shown = self.ctx.types.display(receiver);
            self.panic_here(&format!("{shown} does not implement {interface}"));
            let zero = Operand::Const(Const::Int(0));
            return self.temp(ret, Rvalue::FromWord(zero));
        };
        let (id, _) = self.ctx.instance_at(def, use_ty);
        self.temp(ret, Rvalue::Call(id, ops))
    }

    /// An operator on a user type: a call of its impl method (`add`, `sub`, …).
    fn operator_call(&mut self, lhs: ExprId, method: &str, args: Vec<Operand>) -> Operand {
        let ty = self.concrete(self.ctx.program.expr_ty(lhs));
        let key = hir::Program::type_key(self.ctx.types, ty)
            .expect("operands of user operators have a named type");
        let (_, def) = self.ctx.program.impl_methods(key, method)[0];
        let (scheme, _) = self.ctx.program.fn_types[def.0 as usize];
        let ret = match self.ctx.types.kind(scheme).clone() {
            TyKind::Fun(_, ret) => ret,
            _ => panic!("compiler bug: operator method without a function type"),
        };
        let params: Vec<TyId> = args.iter().map(|_| ty).collect();
        let use_ty = self.ctx.types.intern(TyKind::Fun(params, ret));
        let (id, targs) = self.ctx.instance_at(def, use_ty);
        let ret = self.ctx.types.instantiate(ret, &targs);
        let rty = self.ctx.mir_ty(ret);
        self.temp(rty, Rvalue::Call(id, args))
    }

    /// A stdlib call: the row's type descriptors first, then the arguments, converted to
    /// words where the runtime takes a word for a value of another type (generic elements).
    fn builtin_call(
        &mut self,
        e: ExprId,
        b: Builtin,
        args: &[ExprId],
        ops: Vec<Operand>,
    ) -> Operand {
        let arg_tys: Vec<TyId> = args
            .iter()
            .map(|&a| self.concrete(self.ctx.program.expr_ty(a)))
            .collect();
        let ret_ty = self.concrete(self.ctx.program.expr_ty(e));
        let v = self.builtin_call_typed(b, &arg_tys, ret_ty, ops);
        if mesh_rt_abi::lookup(b.def().symbol).is_some_and(|f| f.ret == mesh_rt_abi::AbiTy::Never) {
            // `panic(msg)`, `Process.exit(n)`: the call never returns, so what follows is dead
            // (like after `return`) and no value of the expected type is needed.
            self.terminate(Terminator::Unreachable);
        }
        v
    }

    /// A stdlib call given the concrete argument and result types.
    pub(super) fn builtin_call_typed(
        &mut self,
        b: Builtin,
        arg_tys: &[TyId],
        ret_ty: TyId,
        ops: Vec<Operand>,
    ) -> Operand {
        let def = b.def();
        if mesh_sema::builtins::is_intrinsic(def.symbol) {
            return self.intrinsic(def.symbol, arg_tys, ops);
        }
        let sig = mesh_rt_abi::lookup(def.symbol).unwrap_or_else(|| {
            panic!(
                "builtin {} names unknown runtime function {}",
                def.name, def.symbol
            )
        });
        let mut call_args = Vec::new();
        for d in def.descs {
            let ty = match d {
                mesh_sema::builtins::DescArg::Ret => ret_ty,
                mesh_sema::builtins::DescArg::Param(i) => arg_tys[*i as usize],
            };
            call_args.push(Operand::Const(Const::Desc(self.ctx.desc_of(ty))));
        }
        for (op, abi) in ops.into_iter().zip(&sig.params[def.descs.len()..]) {
            let is_word = *abi == mesh_rt_abi::AbiTy::I64 && self.func.operand_ty(&op) != Ty::Int;
            call_args.push(if is_word {
                self.temp(Ty::Int, Rvalue::ToWord(op))
            } else {
                op
            });
        }
        let ret = self.ctx.mir_ty(ret_ty);
        if sig.ret == mesh_rt_abi::AbiTy::I64 && ret != Ty::Int {
            let word = self.temp(Ty::Int, Rvalue::Runtime(def.symbol, call_args));
            return self.temp(ret, Rvalue::FromWord(word));
        }
        self.temp(ret, Rvalue::Runtime(def.symbol, call_args))
    }
}

#[cfg(test)]
mod tests {
    use mesh_sema::builtins::BUILTINS;

    /// Every stdlib row names a runtime function of the ABI table whose parameters are the row's
    /// descriptors plus its arguments (so the table and the runtime cannot drift apart).
    #[test]
    fn every_builtin_row_names_an_abi_function_of_the_right_arity() {
        let mut types = mesh_sema::ty::Types::new();
        for (i, def) in BUILTINS.iter().enumerate() {
            if mesh_sema::builtins::is_intrinsic(def.symbol) {
                continue;
            }
            let sig = mesh_rt_abi::lookup(def.symbol)
                .unwrap_or_else(|| panic!("{} is not in the ABI table", def.symbol));
            let ty = mesh_sema::builtins::Builtin(i as u16).scheme(&mut types);
            let mesh_sema::ty::TyKind::Fun(params, _) = types.kind(ty).clone() else {
                panic!("{}", def.sig)
            };
            assert_eq!(
                sig.params.len(),
                def.descs.len() + params.len() - mesh_sema::builtins::type_only_args(def.symbol),
                "{}.{}",
                def.module.unwrap_or(""),
                def.name
            );
        }
    }
}

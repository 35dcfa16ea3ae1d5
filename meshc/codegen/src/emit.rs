//! Emission of one LLVM module for a whole MIR program. Heap objects, descriptors and the
//! word conversions live in `emit/objects.rs`.

mod cluster;
mod objects;
mod spawn_table;

use crate::{Options, Output};
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{
    CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine,
};
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum};
use inkwell::values::{
    BasicMetadataValueEnum, BasicValue, BasicValueEnum, FunctionValue, GlobalValue, IntValue,
    PointerValue,
};
use inkwell::{AddressSpace, FloatPredicate, IntPredicate, OptimizationLevel};
use mesh_mir::{BinOp, Const, Function, Local, Operand, Program, Rvalue, Stmt, Terminator, Ty};
use mesh_rt_abi::{layout, names as rt, AbiTy};
use std::collections::HashMap;

pub(crate) type Result<T> = std::result::Result<T, String>;

/// LLVM's `tailcc` calling convention number.
pub(crate) const TAILCC: u32 = 18;

use mesh_mir::analysis::{stack_checks, tail_call};

/// Sets LLVM's global options once per process. Store-to-load forwarding (GVN) gives up on
/// a load more than 100 instructions below the store by default; a Mesh loop that builds a
/// struct early in an iteration and reads it late (after inlining) needs a longer reach for
/// the struct to stay in registers.
fn llvm_options() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let mut args: Vec<String> = vec!["meshc".into(), "-memdep-block-scan-limit=2000".into()];
        if let Ok(extra) = std::env::var("MESH_LLVM_ARGS") {
            args.extend(extra.split_whitespace().map(String::from));
        }
        let owned: Vec<std::ffi::CString> = args
            .into_iter()
            .filter_map(|a| std::ffi::CString::new(a).ok())
            .collect();
        let ptrs: Vec<*const std::ffi::c_char> = owned.iter().map(|a| a.as_ptr()).collect();
        // SAFETY: `ptrs` points into `owned`, which outlives the call; LLVM copies what it
        // keeps. Called once, before any LLVM pass runs.
        unsafe {
            inkwell::llvm_sys::support::LLVMParseCommandLineOptions(
                ptrs.len() as i32,
                ptrs.as_ptr(),
                std::ptr::null(),
            );
        }
    });
}

pub(crate) fn llvm_err(e: impl std::fmt::Display) -> String {
    format!("internal compiler error: LLVM builder failed: {e}")
}

pub fn generate(program: &Program, options: &Options) -> Result<Output> {
    Target::initialize_native(&InitializationConfig::default())
        .map_err(|e| format!("cannot initialise the native target: {e}"))?;
    llvm_options();
    let context = Context::create();
    let module = context.create_module("mesh");
    let triple = TargetMachine::get_default_triple();
    let target = Target::from_triple(&triple).map_err(|e| format!("unsupported target: {e}"))?;
    let level = match options.opt_level {
        0 => OptimizationLevel::None,
        1 => OptimizationLevel::Less,
        2 => OptimizationLevel::Default,
        _ => OptimizationLevel::Aggressive,
    };
    let machine = target
        .create_target_machine(
            &triple,
            "x86-64",
            "",
            level,
            RelocMode::PIC,
            CodeModel::Default,
        )
        .ok_or("cannot create a target machine for this host")?;
    module.set_triple(&triple);
    module.set_data_layout(&machine.get_target_data().get_data_layout());

    let mut e = Emitter {
        context: &context,
        module,
        builder: context.create_builder(),
        fns: Vec::new(),
        strings: HashMap::new(),
        descs: Vec::new(),
    };
    e.declare_all(program, &mesh_mir::analysis::needs_tail_convention(program));
    e.emit_descs(&program.descs);
    for (i, f) in program.fns.iter().enumerate() {
        e.define(f, e.fns[i])
            .map_err(|err| format!("{err} (in {})", f.name))?;
    }
    e.define_c_main(e.fns[program.entry.0 as usize], program)?;
    e.module
        .verify()
        .map_err(|m| format!("internal compiler error: LLVM verification failed: {m}"))?;
    if options.opt_level > 0 {
        let passes = format!("default<O{}>", options.opt_level.min(3));
        e.module
            .run_passes(&passes, &machine, PassBuilderOptions::create())
            .map_err(|m| format!("LLVM optimisation failed: {m}"))?;
    }
    let llvm_ir = options
        .want_llvm_ir
        .then(|| e.module.print_to_string().to_string());
    let buffer = machine
        .write_to_memory_buffer(&e.module, FileType::Object)
        .map_err(|m| format!("cannot write object file: {m}"))?;
    Ok(Output {
        object: buffer.as_slice().to_vec(),
        llvm_ir,
    })
}

struct Emitter<'ctx> {
    context: &'ctx Context,
    module: Module<'ctx>,
    builder: Builder<'ctx>,
    fns: Vec<FunctionValue<'ctx>>,
    strings: HashMap<String, GlobalValue<'ctx>>,
    /// The type descriptor globals, by `DescId`.
    descs: Vec<GlobalValue<'ctx>>,
}

/// Per-function state: the alloca of each local and the LLVM block of each MIR block.
struct FnState<'ctx> {
    slots: Vec<PointerValue<'ctx>>,
    /// The function's word buffer for `Rvalue::RuntimeWords` (as many words as its longest
    /// use), allocated once in the entry block; `None` when the function makes no such call.
    words: Option<PointerValue<'ctx>>,
    blocks: Vec<inkwell::basic_block::BasicBlock<'ctx>>,
    function: FunctionValue<'ctx>,
}

impl<'ctx> Emitter<'ctx> {
    fn ty(&self, ty: Ty) -> BasicTypeEnum<'ctx> {
        match ty {
            Ty::Int => self.context.i64_type().into(),
            Ty::Float => self.context.f64_type().into(),
            Ty::Bool | Ty::Unit => self.context.i8_type().into(),
            Ty::Ptr => self.context.ptr_type(AddressSpace::default()).into(),
        }
    }

    fn declare_all(&mut self, program: &Program, tail_convention: &[bool]) {
        for (f, &tail) in program.fns.iter().zip(tail_convention) {
            let params: Vec<BasicMetadataTypeEnum> = f
                .params
                .iter()
                .map(|p| self.ty(f.local_ty(*p)).into())
                .collect();
            let fn_ty = self.ty(f.ret).fn_type(&params, false);
            let value = self
                .module
                .add_function(&f.name, fn_ty, Some(Linkage::Internal));
            // Functions in a cycle closed by tail calls use tailcc, so those calls are
            // guaranteed tail calls (mutual recursion runs in constant stack, spec §7).
            if tail {
                value.set_call_conventions(TAILCC);
            }
            self.unwind_table(value);
            self.fns.push(value);
        }
    }

    /// Gives `f` an unwind table: a panic in an actor unwinds through generated frames to the
    /// process's root (ARCHITECTURE.md "Concurrency").
    fn unwind_table(&self, f: FunctionValue<'ctx>) {
        let kind = inkwell::attributes::Attribute::get_named_enum_kind_id("uwtable");
        // 2 = asynchronous unwind tables.
        f.add_attribute(
            inkwell::attributes::AttributeLoc::Function,
            self.context.create_enum_attribute(kind, 2),
        );
    }

    /// Tells LLVM that `mesh_rt_alloc` is an allocation function (fresh, unaliased memory of
    /// the requested size), so an object that does not outlive the code building it (a
    /// struct updated several times in a row once calls are inlined) is never allocated.
    fn allocator_attributes(&self, f: FunctionValue<'ctx>) {
        use inkwell::attributes::{Attribute, AttributeLoc};
        let kind = |name: &str| Attribute::get_named_enum_kind_id(name);
        // allockind("alloc,uninitialized") = Alloc (1) | Uninitialized (8).
        f.add_attribute(
            AttributeLoc::Function,
            self.context.create_enum_attribute(kind("allockind"), 9),
        );
        // allocsize(0): the size is argument 0 (no element-count argument).
        f.add_attribute(
            AttributeLoc::Function,
            self.context
                .create_enum_attribute(kind("allocsize"), 0xFFFF_FFFF),
        );
        f.add_attribute(
            AttributeLoc::Function,
            self.context.create_string_attribute("alloc-family", "mesh"),
        );
        f.add_attribute(
            AttributeLoc::Return,
            self.context.create_enum_attribute(kind("noalias"), 0),
        );
    }

    /// The stack-limit check before a path's first call and on loop back-edges (placed by
    /// `mesh_mir::analysis::stack_checks`): when the stack
    /// pointer is below this thread's `mesh_rt_stack_limit` (the running process's limit),
    /// call `mesh_rt_stack_check`, which crashes the process with "stack overflow" — or, when
    /// the scheduler raised the limit to ask the process to yield, yields (preemption). The limit is
    /// read with one `%fs`-relative load that LLVM cannot hoist or merge (processes move
    /// between threads at calls). Other targets rely on guard pages.
    fn stack_check(&mut self, function: FunctionValue<'ctx>) -> Result<()> {
        if !cfg!(all(target_arch = "x86_64", target_os = "linux")) {
            return Ok(());
        }
        // `asm goto`: compare and jump straight to the slow path (no flag materialised).
        let void_fn = self.context.void_type().fn_type(&[], false);
        let asm = self.context.create_inline_asm(
            void_fn,
            format!(
                "cmpq %fs:{}@tpoff, %rsp\n\tjb ${{0:l}}",
                mesh_rt_abi::STACK_LIMIT_SYMBOL
            ),
            "!i,~{cc}".into(),
            true,
            false,
            None,
            false,
        );
        let slow = self.context.append_basic_block(function, "stack_check");
        let cont = self.context.append_basic_block(function, "body");
        let mut indirect = [slow.as_mut_ptr()];
        // SAFETY: all handles belong to this module's context; the builder is positioned in
        // a block without a terminator; the asm has one label operand (`!i`) and no others.
        unsafe {
            use inkwell::llvm_sys::core::{LLVMAddCallSiteAttribute, LLVMBuildCallBr};
            use inkwell::llvm_sys::LLVMAttributeFunctionIndex;
            let callbr = LLVMBuildCallBr(
                self.builder.as_mut_ptr(),
                inkwell::types::AsTypeRef::as_type_ref(&void_fn),
                inkwell::values::AsValueRef::as_value_ref(&asm),
                cont.as_mut_ptr(),
                indirect.as_mut_ptr(),
                1,
                std::ptr::null_mut(),
                0,
                std::ptr::null_mut(),
                0,
                c"".as_ptr(),
            );
            // The asm reads only thread-local state LLVM does not model: it does not stand
            // between loads and stores of Mesh objects.
            let memory = inkwell::attributes::Attribute::get_named_enum_kind_id("memory");
            let attr = self.context.create_enum_attribute(memory, 12);
            LLVMAddCallSiteAttribute(callbr, LLVMAttributeFunctionIndex, attr.as_mut_ptr());
        }
        self.builder.position_at_end(slow);
        let check = self.runtime_fn(rt::mesh_rt_stack_check)?;
        self.builder.build_call(check, &[], "").map_err(llvm_err)?;
        self.builder
            .build_unconditional_branch(cont)
            .map_err(llvm_err)?;
        self.builder.position_at_end(cont);
        Ok(())
    }

    /// What a call of the runtime function `name` calls: the LLVM intrinsic the ABI table
    /// gives it (behaving exactly like the function, which LLVM knows the cost and semantics
    /// of: `Math.sqrt` becomes one instruction, a negative input gives NaN either way),
    /// overloaded on its result type, or else the function itself.
    fn runtime_callee(&self, name: &str) -> Result<FunctionValue<'ctx>> {
        let intrinsic = mesh_rt_abi::lookup(name).and_then(|f| Some((f.attrs.intrinsic?, f.ret)));
        let Some((intrinsic, ret)) = intrinsic else {
            return self.runtime_fn(name);
        };
        let ty = self
            .abi_ty(ret)
            .ok_or("internal compiler error: an LLVM intrinsic without a result")?;
        inkwell::intrinsics::Intrinsic::find(intrinsic)
            .and_then(|i| i.get_declaration(&self.module, &[ty]))
            .ok_or_else(|| format!("internal compiler error: cannot declare {intrinsic}"))
    }

    /// The runtime function `name`, declared on first use from the ABI table.
    pub(crate) fn runtime_fn(&self, name: &str) -> Result<FunctionValue<'ctx>> {
        if let Some(f) = self.module.get_function(name) {
            return Ok(f);
        }
        let sig = mesh_rt_abi::lookup(name)
            .ok_or_else(|| format!("internal compiler error: unknown runtime function {name}"))?;
        let params: Vec<BasicMetadataTypeEnum> = sig
            .params
            .iter()
            .filter_map(|t| self.abi_ty(*t))
            .map(Into::into)
            .collect();
        let fn_ty = match self.abi_ty(sig.ret) {
            Some(ret) => ret.fn_type(&params, false),
            None => self.context.void_type().fn_type(&params, false),
        };
        let f = self
            .module
            .add_function(name, fn_ty, Some(Linkage::External));
        if sig.attrs.alloc {
            self.allocator_attributes(f);
        }
        if sig.ret == AbiTy::Never {
            let kind = inkwell::attributes::Attribute::get_named_enum_kind_id("noreturn");
            f.add_attribute(
                inkwell::attributes::AttributeLoc::Function,
                self.context.create_enum_attribute(kind, 0),
            );
        }
        Ok(f)
    }

    fn abi_ty(&self, t: AbiTy) -> Option<BasicTypeEnum<'ctx>> {
        Some(match t {
            AbiTy::I32 => self.context.i32_type().into(),
            AbiTy::I64 => self.context.i64_type().into(),
            AbiTy::F64 => self.context.f64_type().into(),
            AbiTy::Bool => self.context.i8_type().into(),
            AbiTy::Ptr => self.context.ptr_type(AddressSpace::default()).into(),
            AbiTy::Void | AbiTy::Never => return None,
        })
    }

    fn define(&mut self, f: &Function, function: FunctionValue<'ctx>) -> Result<()> {
        let entry = self.context.append_basic_block(function, "entry");
        let blocks: Vec<_> = (0..f.blocks.len())
            .map(|i| self.context.append_basic_block(function, &format!("bb{i}")))
            .collect();
        self.builder.position_at_end(entry);
        let mut slots = Vec::new();
        for (i, ty) in f.locals.iter().enumerate() {
            slots.push(
                self.builder
                    .build_alloca(self.ty(*ty), &format!("_{i}"))
                    .map_err(llvm_err)?,
            );
        }
        let most_words = f
            .blocks
            .iter()
            .flat_map(|b| &b.stmts)
            .map(|Stmt::Assign(_, rv)| match rv {
                Rvalue::RuntimeWords { words, .. } => words.len(),
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        let words = if most_words == 0 {
            None
        } else {
            let array = self.context.i64_type().array_type(most_words as u32);
            Some(
                self.builder
                    .build_alloca(array, "words")
                    .map_err(llvm_err)?,
            )
        };
        for (i, p) in f.params.iter().enumerate() {
            let value = function
                .get_nth_param(i as u32)
                .ok_or("internal compiler error: missing parameter")?;
            self.builder
                .build_store(slots[p.0 as usize], value)
                .map_err(llvm_err)?;
        }
        self.builder
            .build_unconditional_branch(blocks[0])
            .map_err(llvm_err)?;
        let state = FnState {
            slots,
            words,
            blocks,
            function,
        };
        let checks = stack_checks(f);
        for (i, block) in f.blocks.iter().enumerate() {
            self.builder.position_at_end(state.blocks[i]);
            let tail = tail_call(block);
            let count = block.stmts.len() - usize::from(tail.is_some());
            for (k, Stmt::Assign(dest, rv)) in block.stmts[..count].iter().enumerate() {
                if checks[i] == Some(k) {
                    self.stack_check(state.function)?;
                }
                self.rvalue(f, &state, *dest, rv)?;
            }
            match tail {
                Some((callee, args)) => {
                    if checks[i] == Some(count) {
                        self.stack_check(state.function)?;
                    }
                    let args = self.args(f, &state, args)?;
                    let call = self
                        .builder
                        .build_call(self.fns[callee.0 as usize], &args, "")
                        .map_err(llvm_err)?;
                    call.set_call_convention(self.fns[callee.0 as usize].get_call_conventions());
                    call.set_tail_call(true);
                    let value = call
                        .try_as_basic_value()
                        .basic()
                        .ok_or("internal compiler error: call without value")?;
                    self.builder.build_return(Some(&value)).map_err(llvm_err)?;
                }
                None => {
                    // A jump backwards closes a loop: check the limit there too, so a loop
                    // without calls can still be preempted (the scheduler raises the limit).
                    if matches!(block.terminator, Terminator::Goto(b) if b.0 as usize <= i) {
                        self.stack_check(state.function)?;
                    }
                    self.terminator(f, &state, &block.terminator)?
                }
            }
        }
        Ok(())
    }

    fn load(&self, f: &Function, state: &FnState<'ctx>, l: Local) -> Result<BasicValueEnum<'ctx>> {
        self.builder
            .build_load(self.ty(f.local_ty(l)), state.slots[l.0 as usize], "")
            .map_err(llvm_err)
    }

    fn operand(
        &mut self,
        f: &Function,
        state: &FnState<'ctx>,
        op: &Operand,
    ) -> Result<BasicValueEnum<'ctx>> {
        Ok(match op {
            Operand::Local(l) => self.load(f, state, *l)?,
            Operand::Const(c) => match c {
                Const::Int(n) => self.context.i64_type().const_int(*n as u64, true).into(),
                Const::Float(x) => self.context.f64_type().const_float(*x).into(),
                Const::Bool(b) => self
                    .context
                    .i8_type()
                    .const_int(u64::from(*b), false)
                    .into(),
                Const::Unit => self.context.i8_type().const_zero().into(),
                Const::Str(s) => self.string_constant(s).as_pointer_value().into(),
                Const::Desc(d) => self.descs[d.0 as usize].as_pointer_value().into(),
            },
        })
    }

    /// A static string object `{ header, len, bytes }` for a literal, shared by equal literals.
    fn string_constant(&mut self, s: &str) -> GlobalValue<'ctx> {
        if let Some(g) = self.strings.get(s) {
            return *g;
        }
        let i64t = self.context.i64_type();
        let bytes = self.context.const_string(s.as_bytes(), false);
        let value = self.context.const_struct(
            &[
                i64t.const_int(layout::static_string_header(), false).into(),
                i64t.const_int(s.len() as u64, false).into(),
                bytes.into(),
            ],
            false,
        );
        let global = self.module.add_global(
            value.get_type(),
            None,
            &format!("str.{}", self.strings.len()),
        );
        global.set_initializer(&value);
        global.set_constant(true);
        global.set_linkage(Linkage::Private);
        global.set_alignment(8);
        self.strings.insert(s.to_string(), global);
        global
    }

    fn store(&self, state: &FnState<'ctx>, dest: Local, value: BasicValueEnum<'ctx>) -> Result<()> {
        self.builder
            .build_store(state.slots[dest.0 as usize], value)
            .map_err(llvm_err)?;
        Ok(())
    }

    fn rvalue(
        &mut self,
        f: &Function,
        state: &FnState<'ctx>,
        dest: Local,
        rv: &Rvalue,
    ) -> Result<()> {
        let value: BasicValueEnum<'ctx> = match rv {
            Rvalue::Use(op) => self.operand(f, state, op)?,
            Rvalue::Binary(op, a, b) => {
                let ty = f.operand_ty(a);
                let (a, b) = (self.operand(f, state, a)?, self.operand(f, state, b)?);
                self.binary(state, *op, ty, a, b)?
            }
            Rvalue::Neg(op) => {
                let v = self.operand(f, state, op)?;
                match v {
                    BasicValueEnum::FloatValue(x) => self
                        .builder
                        .build_float_neg(x, "")
                        .map_err(llvm_err)?
                        .into(),
                    _ => self
                        .builder
                        .build_int_neg(v.into_int_value(), "")
                        .map_err(llvm_err)?
                        .into(),
                }
            }
            Rvalue::Not(op) => {
                let v = self.operand(f, state, op)?.into_int_value();
                let one = self.context.i8_type().const_int(1, false);
                self.builder.build_xor(v, one, "").map_err(llvm_err)?.into()
            }
            Rvalue::Call(callee, args) => {
                let args = self.args(f, state, args)?;
                let call = self
                    .builder
                    .build_call(self.fns[callee.0 as usize], &args, "")
                    .map_err(llvm_err)?;
                call.set_call_convention(self.fns[callee.0 as usize].get_call_conventions());
                call.try_as_basic_value()
                    .basic()
                    .ok_or("internal compiler error: call without value")?
            }
            Rvalue::Runtime(name, args) => {
                let callee = self.runtime_callee(name)?;
                let args = self.args(f, state, args)?;
                self.call_runtime(callee, &args)?
            }
            Rvalue::RuntimeWords { func, args, words } => {
                let callee = self.runtime_callee(func)?;
                let mut args = self.args(f, state, args)?;
                let buffer = state
                    .words
                    .ok_or("internal compiler error: no word buffer")?;
                let i64t = self.context.i64_type();
                for (i, w) in words.iter().enumerate() {
                    let value = self.operand(f, state, w)?;
                    // SAFETY: `i` is below the buffer's length (the longest use in `f`).
                    let at = unsafe {
                        self.builder.build_in_bounds_gep(
                            i64t,
                            buffer,
                            &[i64t.const_int(i as u64, false)],
                            "",
                        )
                    }
                    .map_err(llvm_err)?;
                    self.builder.build_store(at, value).map_err(llvm_err)?;
                }
                args.push(buffer.into());
                args.push(i64t.const_int(words.len() as u64, false).into());
                self.call_runtime(callee, &args)?
            }
            Rvalue::Alloc { kind, desc, fields } => {
                let fields = fields
                    .iter()
                    .map(|o| Ok((self.operand(f, state, o)?, f.operand_ty(o))))
                    .collect::<Result<Vec<_>>>()?;
                self.alloc(*kind, *desc, &fields)?.into()
            }
            Rvalue::Load { object, index } => {
                let object = self.operand(f, state, object)?.into_pointer_value();
                let word = self.load_word(object, *index)?;
                self.word_to_value(word, f.local_ty(dest))?
            }
            Rvalue::CallClosure { closure, args } => {
                let closure = self.operand(f, state, closure)?.into_pointer_value();
                let args = args
                    .iter()
                    .map(|o| Ok((self.operand(f, state, o)?, f.operand_ty(o))))
                    .collect::<Result<Vec<_>>>()?;
                let word = self.call_closure(closure, &args)?;
                self.word_to_value(word, f.local_ty(dest))?
            }
            Rvalue::ToWord(op) => {
                let v = self.operand(f, state, op)?;
                self.value_to_word(v, f.operand_ty(op))?.into()
            }
            Rvalue::FromWord(op) => {
                let w = self.operand(f, state, op)?.into_int_value();
                self.word_to_value(w, f.local_ty(dest))?
            }
        };
        self.store(state, dest, value)
    }

    /// Calls a runtime function: its value, or a unit byte for one that returns nothing.
    fn call_runtime(
        &mut self,
        callee: FunctionValue<'ctx>,
        args: &[BasicMetadataValueEnum<'ctx>],
    ) -> Result<BasicValueEnum<'ctx>> {
        let call = self
            .builder
            .build_call(callee, args, "")
            .map_err(llvm_err)?;
        Ok(match call.try_as_basic_value().basic() {
            Some(v) => v,
            None => self.context.i8_type().const_zero().into(),
        })
    }

    fn args(
        &mut self,
        f: &Function,
        state: &FnState<'ctx>,
        args: &[Operand],
    ) -> Result<Vec<BasicMetadataValueEnum<'ctx>>> {
        args.iter()
            .map(|a| self.operand(f, state, a).map(Into::into))
            .collect()
    }

    fn binary(
        &mut self,
        state: &FnState<'ctx>,
        op: BinOp,
        ty: Ty,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>> {
        let bld = &self.builder;
        if ty == Ty::Float {
            let (x, y) = (a.into_float_value(), b.into_float_value());
            let pred = match op {
                BinOp::Add => return Ok(bld.build_float_add(x, y, "").map_err(llvm_err)?.into()),
                BinOp::Sub => return Ok(bld.build_float_sub(x, y, "").map_err(llvm_err)?.into()),
                BinOp::Mul => return Ok(bld.build_float_mul(x, y, "").map_err(llvm_err)?.into()),
                BinOp::Div => return Ok(bld.build_float_div(x, y, "").map_err(llvm_err)?.into()),
                BinOp::Rem => return Ok(bld.build_float_rem(x, y, "").map_err(llvm_err)?.into()),
                BinOp::Eq => FloatPredicate::OEQ,
                BinOp::Ne => FloatPredicate::UNE,
                BinOp::Lt => FloatPredicate::OLT,
                BinOp::Gt => FloatPredicate::OGT,
                BinOp::Le => FloatPredicate::OLE,
                BinOp::Ge => FloatPredicate::OGE,
            };
            let c = bld.build_float_compare(pred, x, y, "").map_err(llvm_err)?;
            return self.bool_from_i1(c);
        }
        let (x, y) = (a.into_int_value(), b.into_int_value());
        let pred = match op {
            BinOp::Add => return Ok(bld.build_int_add(x, y, "").map_err(llvm_err)?.into()),
            BinOp::Sub => return Ok(bld.build_int_sub(x, y, "").map_err(llvm_err)?.into()),
            BinOp::Mul => return Ok(bld.build_int_mul(x, y, "").map_err(llvm_err)?.into()),
            BinOp::Div | BinOp::Rem => return self.checked_division(state, op == BinOp::Div, x, y),
            BinOp::Eq => IntPredicate::EQ,
            BinOp::Ne => IntPredicate::NE,
            BinOp::Lt => IntPredicate::SLT,
            BinOp::Gt => IntPredicate::SGT,
            BinOp::Le => IntPredicate::SLE,
            BinOp::Ge => IntPredicate::SGE,
        };
        let c = bld.build_int_compare(pred, x, y, "").map_err(llvm_err)?;
        self.bool_from_i1(c)
    }

    fn bool_from_i1(&self, c: IntValue<'ctx>) -> Result<BasicValueEnum<'ctx>> {
        Ok(self
            .builder
            .build_int_z_extend(c, self.context.i8_type(), "")
            .map_err(llvm_err)?
            .into())
    }

    /// Int `/` and `%`: a zero divisor panics; `i64::MIN / -1` wraps to `i64::MIN` (remainder
    /// 0) instead of trapping, by dividing by 1 and fixing the result up (spec §5.3).
    fn checked_division(
        &mut self,
        state: &FnState<'ctx>,
        is_div: bool,
        x: IntValue<'ctx>,
        y: IntValue<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>> {
        let i64t = self.context.i64_type();
        let zero = i64t.const_zero();
        let is_zero = self
            .builder
            .build_int_compare(IntPredicate::EQ, y, zero, "")
            .map_err(llvm_err)?;
        let panic_block = self.context.append_basic_block(state.function, "div.zero");
        let ok_block = self.context.append_basic_block(state.function, "div.ok");
        self.builder
            .build_conditional_branch(is_zero, panic_block, ok_block)
            .map_err(llvm_err)?;
        self.builder.position_at_end(panic_block);
        let message = self
            .string_constant("integer division by zero")
            .as_pointer_value();
        let panic = self.runtime_fn(rt::mesh_rt_panic)?;
        self.builder
            .build_call(panic, &[message.into()], "")
            .map_err(llvm_err)?;
        self.builder.build_unreachable().map_err(llvm_err)?;
        self.builder.position_at_end(ok_block);
        let minus_one = i64t.const_all_ones();
        let is_minus_one = self
            .builder
            .build_int_compare(IntPredicate::EQ, y, minus_one, "")
            .map_err(llvm_err)?;
        let safe = self
            .builder
            .build_select(is_minus_one, i64t.const_int(1, false), y, "")
            .map_err(llvm_err)?
            .into_int_value();
        let (raw, special) = if is_div {
            (
                self.builder
                    .build_int_signed_div(x, safe, "")
                    .map_err(llvm_err)?,
                self.builder.build_int_neg(x, "").map_err(llvm_err)?,
            )
        } else {
            (
                self.builder
                    .build_int_signed_rem(x, safe, "")
                    .map_err(llvm_err)?,
                zero,
            )
        };
        self.builder
            .build_select(is_minus_one, special, raw, "")
            .map_err(llvm_err)
    }

    fn terminator(&mut self, f: &Function, state: &FnState<'ctx>, t: &Terminator) -> Result<()> {
        match t {
            Terminator::Goto(b) => {
                self.builder
                    .build_unconditional_branch(state.blocks[b.0 as usize])
                    .map_err(llvm_err)?;
            }
            Terminator::Branch {
                cond,
                then_block,
                else_block,
            } => {
                let v = self.operand(f, state, cond)?.into_int_value();
                let c = self
                    .builder
                    .build_int_compare(IntPredicate::NE, v, self.context.i8_type().const_zero(), "")
                    .map_err(llvm_err)?;
                self.builder
                    .build_conditional_branch(
                        c,
                        state.blocks[then_block.0 as usize],
                        state.blocks[else_block.0 as usize],
                    )
                    .map_err(llvm_err)?;
            }
            Terminator::Switch {
                value,
                cases,
                default,
            } => {
                let v = self.operand(f, state, value)?.into_int_value();
                let i64_type = self.context.i64_type();
                let cases: Vec<_> = cases
                    .iter()
                    .map(|(c, b)| {
                        (
                            i64_type.const_int(*c as u64, true),
                            state.blocks[b.0 as usize],
                        )
                    })
                    .collect();
                self.builder
                    .build_switch(v, state.blocks[default.0 as usize], &cases)
                    .map_err(llvm_err)?;
            }
            Terminator::Return(op) => {
                let v = self.operand(f, state, op)?;
                self.builder.build_return(Some(&v)).map_err(llvm_err)?;
            }
            Terminator::Unreachable => {
                self.builder.build_unreachable().map_err(llvm_err)?;
            }
        }
        Ok(())
    }

    /// `int main(int argc, char **argv)`: hands the Mesh entry to `mesh_rt_start` (its thunk
    /// registers the clustered declarations first, `emit/cluster.rs`). It also
    /// reads the ABI version symbol so a mismatched runtime fails to link.
    fn define_c_main(&mut self, entry: FunctionValue<'ctx>, program: &Program) -> Result<()> {
        let void_fn = self.context.void_type().fn_type(&[], false);
        let thunk = self
            .module
            .add_function("mesh.entry", void_fn, Some(Linkage::Internal));
        self.unwind_table(thunk);
        self.builder
            .position_at_end(self.context.append_basic_block(thunk, "entry"));
        self.emit_cluster_registrations(program)?;
        let call = self.builder.build_call(entry, &[], "").map_err(llvm_err)?;
        call.set_call_convention(entry.get_call_conventions());
        self.builder.build_return(None).map_err(llvm_err)?;

        let i32t = self.context.i32_type();
        let ptr = self.context.ptr_type(AddressSpace::default());
        let main = self.module.add_function(
            "main",
            i32t.fn_type(&[i32t.into(), ptr.into()], false),
            None,
        );
        self.builder
            .position_at_end(self.context.append_basic_block(main, "entry"));
        let version = self.module.add_global(
            self.context.i8_type(),
            None,
            mesh_rt_abi::ABI_VERSION_SYMBOL,
        );
        version.set_linkage(Linkage::External);
        let v = self
            .builder
            .build_load(self.context.i8_type(), version.as_pointer_value(), "abi")
            .map_err(llvm_err)?;
        if let Some(inst) = v.as_instruction_value() {
            inst.set_volatile(true).map_err(llvm_err)?;
        }
        self.install_spawn_table(&program.spawn_table)?;
        let start = self.runtime_fn(rt::mesh_rt_start)?;
        let argc = main
            .get_nth_param(0)
            .ok_or("internal compiler error: main argc")?;
        let argv = main
            .get_nth_param(1)
            .ok_or("internal compiler error: main argv")?;
        let status = self
            .builder
            .build_call(
                start,
                &[
                    argc.into(),
                    argv.into(),
                    thunk.as_global_value().as_pointer_value().into(),
                ],
                "",
            )
            .map_err(llvm_err)?
            .try_as_basic_value()
            .basic()
            .ok_or("internal compiler error: mesh_rt_start returns a status")?;
        self.builder.build_return(Some(&status)).map_err(llvm_err)?;
        Ok(())
    }
}

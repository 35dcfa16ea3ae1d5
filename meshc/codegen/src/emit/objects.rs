//! Heap objects in generated code: type descriptor constants, allocation and initialisation
//! of tuples, variants and closures, payload loads, closure calls, and the conversions between
//! typed values and the 64-bit words objects store (layouts: `mesh_rt_abi::layout`).

use super::{llvm_err, Emitter, Result};
use inkwell::module::Linkage;
use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::AddressSpace;
use mesh_mir::{AllocKind, Desc, DescId, Ty};
use mesh_rt_abi::{layout, names as rt};

impl<'ctx> Emitter<'ctx> {
    /// Emits every descriptor as a constant `TypeDesc`; globals are created first so
    /// descriptors of recursive types can point at each other.
    pub(super) fn emit_descs(&mut self, descs: &[Desc]) {
        let ptr = self.context.ptr_type(AddressSpace::default());
        let i32t = self.context.i32_type();
        let i64t = self.context.i64_type();
        let strref = self.context.struct_type(&[ptr.into(), i64t.into()], false);
        let desc_ty = self.context.struct_type(
            &[
                i32t.into(),
                i32t.into(),
                strref.into(),
                ptr.into(),
                ptr.into(),
                // `UserFns`: display, eq, compare, hash.
                ptr.into(),
                ptr.into(),
                ptr.into(),
                ptr.into(),
            ],
            false,
        );
        for (i, _) in descs.iter().enumerate() {
            let g = self.module.add_global(desc_ty, None, &format!("desc.{i}"));
            g.set_linkage(Linkage::Private);
            g.set_constant(true);
            g.set_alignment(8);
            self.descs.push(g);
        }
        for (i, d) in descs.iter().enumerate() {
            let name = self.str_ref(&d.name, strref);
            let items = if d.items.is_empty() {
                ptr.const_null()
            } else {
                let values: Vec<_> = d
                    .items
                    .iter()
                    .map(|DescId(j)| self.descs[*j as usize].as_pointer_value())
                    .collect();
                let array = ptr.const_array(&values);
                self.private_global(
                    array.get_type().into(),
                    array.into(),
                    &format!("desc.{i}.items"),
                )
            };
            let names = if d.names.is_empty() {
                ptr.const_null()
            } else {
                let values: Vec<_> = d.names.iter().map(|n| self.str_ref(n, strref)).collect();
                let array = strref.const_array(&values);
                self.private_global(
                    array.get_type().into(),
                    array.into(),
                    &format!("desc.{i}.names"),
                )
            };
            let u = d.user;
            let user = [u.display, u.eq, u.compare, u.hash].map(|f| match f {
                Some(f) => self.fns[f.0 as usize].as_global_value().as_pointer_value(),
                None => ptr.const_null(),
            });
            let value = desc_ty.const_named_struct(&[
                i32t.const_int(u64::from(d.kind), false).into(),
                i32t.const_int(d.items.len() as u64, false).into(),
                name.into(),
                items.into(),
                names.into(),
                user[0].into(),
                user[1].into(),
                user[2].into(),
                user[3].into(),
            ]);
            self.descs[i].set_initializer(&value);
        }
    }

    pub(super) fn private_global(
        &mut self,
        ty: inkwell::types::BasicTypeEnum<'ctx>,
        value: BasicValueEnum<'ctx>,
        name: &str,
    ) -> PointerValue<'ctx> {
        let g = self.module.add_global(ty, None, name);
        g.set_initializer(&value);
        g.set_constant(true);
        g.set_linkage(Linkage::Private);
        g.as_pointer_value()
    }

    pub(super) fn str_ref(
        &mut self,
        s: &str,
        strref: inkwell::types::StructType<'ctx>,
    ) -> inkwell::values::StructValue<'ctx> {
        let ptr = self.context.ptr_type(AddressSpace::default());
        let i64t = self.context.i64_type();
        let data = if s.is_empty() {
            ptr.const_null()
        } else {
            let bytes = self.context.const_string(s.as_bytes(), false);
            self.private_global(bytes.get_type().into(), bytes.into(), "name")
        };
        strref.const_named_struct(&[data.into(), i64t.const_int(s.len() as u64, false).into()])
    }

    /// The 64-bit word representation of a value.
    pub(super) fn value_to_word(&self, v: BasicValueEnum<'ctx>, ty: Ty) -> Result<IntValue<'ctx>> {
        let i64t = self.context.i64_type();
        Ok(match ty {
            Ty::Int => v.into_int_value(),
            Ty::Float => self
                .builder
                .build_bit_cast(v, i64t, "")
                .map_err(llvm_err)?
                .into_int_value(),
            Ty::Bool | Ty::Unit => self
                .builder
                .build_int_z_extend(v.into_int_value(), i64t, "")
                .map_err(llvm_err)?,
            Ty::Ptr => self
                .builder
                .build_ptr_to_int(v.into_pointer_value(), i64t, "")
                .map_err(llvm_err)?,
        })
    }

    /// A value of type `ty` from its word.
    pub(super) fn word_to_value(&self, w: IntValue<'ctx>, ty: Ty) -> Result<BasicValueEnum<'ctx>> {
        Ok(match ty {
            Ty::Int => w.into(),
            Ty::Float => self
                .builder
                .build_bit_cast(w, self.context.f64_type(), "")
                .map_err(llvm_err)?,
            Ty::Bool | Ty::Unit => self
                .builder
                .build_int_truncate(w, self.context.i8_type(), "")
                .map_err(llvm_err)?
                .into(),
            Ty::Ptr => self
                .builder
                .build_int_to_ptr(w, self.context.ptr_type(AddressSpace::default()), "")
                .map_err(llvm_err)?
                .into(),
        })
    }

    fn word_ptr(&self, object: PointerValue<'ctx>, word: u32) -> Result<PointerValue<'ctx>> {
        let i64t = self.context.i64_type();
        // SAFETY: an in-bounds GEP over the object's words; the object has at least `word + 1`
        // words by construction (MIR verifier and type checker).
        unsafe {
            self.builder
                .build_gep(i64t, object, &[i64t.const_int(u64::from(word), false)], "")
        }
        .map_err(llvm_err)
    }

    /// Payload word `index` of an object.
    pub(super) fn load_word(
        &self,
        object: PointerValue<'ctx>,
        index: u32,
    ) -> Result<IntValue<'ctx>> {
        let at = self.word_ptr(object, (layout::PAYLOAD_OFFSET / 8) as u32 + index)?;
        Ok(self
            .builder
            .build_load(self.context.i64_type(), at, "")
            .map_err(llvm_err)?
            .into_int_value())
    }

    /// Allocates and fills a tuple, variant or closure object.
    pub(super) fn alloc(
        &mut self,
        kind: AllocKind,
        desc: DescId,
        fields: &[(BasicValueEnum<'ctx>, Ty)],
    ) -> Result<PointerValue<'ctx>> {
        let i64t = self.context.i64_type();
        let (obj_kind, prefix): (u64, Option<IntValue<'ctx>>) = match kind {
            AllocKind::Tuple => (layout::KIND_TUPLE, None),
            AllocKind::Variant(tag) => (
                layout::KIND_VARIANT,
                Some(i64t.const_int(u64::from(tag), false)),
            ),
            AllocKind::Closure(code) => {
                let f = self.fns[code.0 as usize]
                    .as_global_value()
                    .as_pointer_value();
                (
                    layout::KIND_CLOSURE,
                    Some(
                        self.builder
                            .build_ptr_to_int(f, i64t, "")
                            .map_err(llvm_err)?,
                    ),
                )
            }
        };
        let words = fields.len() + usize::from(prefix.is_some());
        let size = layout::HEADER_SIZE + 8 * words;
        let alloc = self.runtime_fn(rt::mesh_rt_alloc)?;
        let object = self
            .builder
            .build_call(alloc, &[i64t.const_int(size as u64, false).into()], "obj")
            .map_err(llvm_err)?
            .try_as_basic_value()
            .basic()
            .ok_or("internal compiler error: mesh_rt_alloc returns a pointer")?
            .into_pointer_value();
        let meta = layout::meta(obj_kind, fields.len() as u32, 0);
        self.builder
            .build_store(object, i64t.const_int(meta, false))
            .map_err(llvm_err)?;
        let desc_ptr = self.descs[desc.0 as usize].as_pointer_value();
        self.builder
            .build_store(self.word_ptr(object, 1)?, desc_ptr)
            .map_err(llvm_err)?;
        let mut at = (layout::PAYLOAD_OFFSET / 8) as u32;
        if let Some(p) = prefix {
            self.builder
                .build_store(self.word_ptr(object, at)?, p)
                .map_err(llvm_err)?;
            at += 1;
        }
        for (v, ty) in fields {
            let w = self.value_to_word(*v, *ty)?;
            self.builder
                .build_store(self.word_ptr(object, at)?, w)
                .map_err(llvm_err)?;
            at += 1;
        }
        Ok(object)
    }

    /// Calls a closure: `code(closure, words…) -> word` (the closure calling convention).
    pub(super) fn call_closure(
        &mut self,
        closure: PointerValue<'ctx>,
        args: &[(BasicValueEnum<'ctx>, Ty)],
    ) -> Result<IntValue<'ctx>> {
        let i64t = self.context.i64_type();
        let ptr = self.context.ptr_type(AddressSpace::default());
        let code_word = self.load_word(closure, 0)?;
        let code = self
            .builder
            .build_int_to_ptr(code_word, ptr, "code")
            .map_err(llvm_err)?;
        let mut params: Vec<inkwell::types::BasicMetadataTypeEnum> = vec![ptr.into()];
        let mut values: Vec<inkwell::values::BasicMetadataValueEnum> = vec![closure.into()];
        for (v, ty) in args {
            params.push(i64t.into());
            values.push(self.value_to_word(*v, *ty)?.into());
        }
        let fn_ty = i64t.fn_type(&params, false);
        let call = self
            .builder
            .build_indirect_call(fn_ty, code, &values, "")
            .map_err(llvm_err)?;
        Ok(call
            .try_as_basic_value()
            .basic()
            .ok_or("internal compiler error: closure call without value")?
            .into_int_value())
    }
}

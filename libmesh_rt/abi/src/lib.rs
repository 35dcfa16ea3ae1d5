//! mesh_rt_abi: the single source of truth for the boundary between generated code and the
//! runtime. `runtime_functions!` lists every exported runtime function once; the code generator
//! expands it into LLVM declarations (through [`RUNTIME_FNS`]) and the runtime expands it into
//! compile-time checks that each function exists with exactly that signature, so drift fails the
//! build instead of programs. Layout constants for heap objects live here too.
#![forbid(unsafe_code)]

/// Version of the ABI. Generated code references the symbol `mesh_rt_abi_v<N>` so an executable
/// linked against a mismatched runtime fails at link time.
pub const ABI_VERSION: u32 = 1;
/// The symbol named above.
pub const ABI_VERSION_SYMBOL: &str = "mesh_rt_abi_v1";

/// The C-level types that cross the boundary (STYLE §1.3: only C values cross).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbiTy {
    /// `i32` (only `argc` and the process exit status).
    I32,
    /// `i64`: Mesh `Int`, lengths, handles.
    I64,
    /// `f64`: Mesh `Float`.
    F64,
    /// `u8` holding 0 or 1: Mesh `Bool`.
    Bool,
    /// A pointer: heap objects, code pointers, raw bytes.
    Ptr,
    /// No result.
    Void,
    /// Never returns.
    Never,
}

/// One runtime function: its symbol, parameter types and result type.
#[derive(Debug, Clone, Copy)]
pub struct RtFnSig {
    pub name: &'static str,
    pub params: &'static [AbiTy],
    pub ret: AbiTy,
}

/// The runtime function table. Invoke as `runtime_functions!(callback)`; the callback receives
/// rows `fn name(arg: Ty, …) -> Ty;` where `Ty` is an [`AbiTy`] variant name.
///
/// Each row's doc in the runtime (`libmesh_rt/src/abi/`) states ownership, whether the call can
/// suspend the current actor, and what panics it.
#[macro_export]
macro_rules! runtime_functions {
    ($callback:ident) => {
        $callback! {
            // ---- process entry and failure
            fn mesh_rt_start(argc: I32, argv: Ptr, entry: Ptr) -> I32;
            fn mesh_rt_panic(message: Ptr) -> Never;
            // ---- memory
            fn mesh_rt_alloc(size: I64) -> Ptr;
            // ---- strings
            fn mesh_rt_string_concat(a: Ptr, b: Ptr) -> Ptr;
            fn mesh_rt_string_from_int(value: I64) -> Ptr;
            fn mesh_rt_string_from_float(value: F64) -> Ptr;
            fn mesh_rt_string_from_bool(value: Bool) -> Ptr;
            fn mesh_rt_string_eq(a: Ptr, b: Ptr) -> Bool;
            fn mesh_rt_string_compare(a: Ptr, b: Ptr) -> I64;
            // ---- console IO
            fn mesh_rt_io_print(text: Ptr) -> Void;
            fn mesh_rt_io_println(text: Ptr) -> Void;
            fn mesh_rt_io_eprintln(text: Ptr) -> Void;
        }
    };
}

macro_rules! build_table {
    ($(fn $name:ident($($arg:ident: $ty:ident),*) -> $ret:ident;)*) => {
        /// Every runtime function, in table order.
        pub const RUNTIME_FNS: &[RtFnSig] = &[
            $(RtFnSig { name: stringify!($name), params: &[$(AbiTy::$ty),*], ret: AbiTy::$ret },)*
        ];

        /// Symbol names as constants, so the code generator cannot misspell one.
        #[allow(non_upper_case_globals)]
        pub mod names {
            $(pub const $name: &str = stringify!($name);)*
        }
    };
}
runtime_functions!(build_table);

/// Looks a runtime function up by symbol.
pub fn lookup(name: &str) -> Option<&'static RtFnSig> {
    RUNTIME_FNS.iter().find(|f| f.name == name)
}

/// Heap object layout shared by codegen (static string constants) and the runtime.
///
/// Every heap object starts with one 64-bit header word: bits 0..8 the object kind, bits 8..16
/// flags, bits 32..64 kind-specific data. Strings are `{ header, len: u64, bytes[len] }`.
pub mod layout {
    pub const HEADER_SIZE: usize = 8;
    pub const KIND_MASK: u64 = 0xff;
    pub const OBJ_KIND_STRING: u64 = 1;
    /// The object is part of the executable's constant data: never freed, never moved.
    pub const FLAG_STATIC: u64 = 1 << 8;
    /// Offset of a string's byte length.
    pub const STRING_LEN_OFFSET: usize = 8;
    /// Offset of a string's first byte.
    pub const STRING_DATA_OFFSET: usize = 16;

    /// The header word of a string constant emitted by the compiler.
    pub const fn static_string_header() -> u64 {
        OBJ_KIND_STRING | FLAG_STATIC
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_unique_prefixed_names() {
        let mut seen = std::collections::BTreeSet::new();
        for f in RUNTIME_FNS {
            assert!(f.name.starts_with("mesh_rt_"), "{}", f.name);
            assert!(seen.insert(f.name), "duplicate {}", f.name);
        }
        assert_eq!(
            lookup(names::mesh_rt_string_concat).map(|f| f.params.len()),
            Some(2)
        );
    }
}

//! Raw allocation for generated code.

/// Allocates `size` bytes, 8-byte aligned, in the current process's heap, for an object the
/// caller fills in: the first word is zero, and the caller must write the whole header
/// (`mesh_rt_abi::layout`) before anything else allocates. May run a collection first (which
/// finds the caller's values on its stack and in its registers); does not suspend. Panics the
/// program if `size` is negative or absurd; aborts if memory is exhausted.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_alloc(size: i64) -> *mut u8 {
    match usize::try_from(size) {
        Ok(n) => crate::mem::alloc(n),
        Err(_) => super::process::panic_with("allocation of a negative size"),
    }
}

//! Raw allocation for generated code.

/// Allocates `size` bytes, 8-byte aligned, for a heap object the caller fills in. Does not
/// suspend. Panics the program if `size` is negative or memory is exhausted.
#[no_mangle]
pub extern "C" fn mesh_rt_alloc(size: i64) -> *mut u8 {
    match usize::try_from(size) {
        Ok(n) => crate::mem::alloc(n),
        Err(_) => super::process::panic_with("allocation of a negative size"),
    }
}

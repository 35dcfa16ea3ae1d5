//! Generic value operations for generated code: structural equality, ordering, hashing and
//! the Display / Debug strings of any value, driven by its type descriptor (`value/generic.rs`).
//! Used where the compiler does not generate a per-type function (collections' elements, or
//! wherever codegen prefers one call). Descriptors come first; values are 64-bit words and are
//! borrowed. None of these suspend or panic.

use crate::value::generic;
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;
use std::cmp::Ordering;

/// # Safety
/// `d` must be a descriptor pointer from generated code (see `Desc::from_ptr`).
unsafe fn desc_of(d: *mut u8) -> Desc {
    // SAFETY: forwarded contract.
    unsafe { Desc::from_ptr(d as *const TypeDesc) }
}

/// Structural equality (`==`): 1 or 0. Floats compare as IEEE (`NaN != NaN`); maps and sets
/// ignore order.
///
/// # Safety
/// `desc` must be a descriptor; `a` and `b` words of its type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_value_eq(desc: *mut u8, a: i64, b: i64) -> u8 {
    // SAFETY: forwarded contract.
    u8::from(unsafe { generic::eq(a as u64, b as u64, desc_of(desc)) })
}

/// Structural ordering (`compare`): -1, 0 or 1. Floats with NaN ordered by `total_cmp`.
///
/// # Safety
/// As for [`mesh_rt_value_eq`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_value_compare(desc: *mut u8, a: i64, b: i64) -> i64 {
    // SAFETY: forwarded contract.
    match unsafe { generic::compare(a as u64, b as u64, desc_of(desc)) } {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

/// Structural hash: equal values hash equal; stable within a process.
///
/// # Safety
/// `desc` must be a descriptor; `value` a word of its type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_value_hash(desc: *mut u8, value: i64) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { generic::hash(value as u64, desc_of(desc)) as i64 }
}

/// The Display string (stdlib spec §0.5) as a new Mesh string.
///
/// # Safety
/// As for [`mesh_rt_value_hash`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_value_to_string(desc: *mut u8, value: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { generic::to_string(value as u64, desc_of(desc)) }
}

/// The Debug (`inspect`) string as a new Mesh string.
///
/// # Safety
/// As for [`mesh_rt_value_hash`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_value_inspect(desc: *mut u8, value: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { generic::inspect(value as u64, desc_of(desc)) }
}

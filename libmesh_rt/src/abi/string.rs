//! String operations called by generated code: concatenation, Display conversions and
//! comparisons. Arguments are borrowed Mesh strings; results are new strings owned by the
//! current heap. None of these suspend.

use crate::value::{display, string};

/// `a <> b`.
///
/// # Safety
/// Pointer arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_concat(a: *mut u8, b: *mut u8) -> *mut u8 {
    // SAFETY: generated code only passes live Mesh strings.
    let (a, b) = unsafe { (string::bytes(a), string::bytes(b)) };
    string::alloc_concat(&[a, b])
}

/// Display of an Int.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_string_from_int(value: i64) -> *mut u8 {
    string::alloc_str(itoa::Buffer::new().format(value))
}

/// Display of a Float (stdlib spec §0.5).
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_string_from_float(value: f64) -> *mut u8 {
    string::alloc_str(&display::float(value))
}

/// Display of a Bool.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_string_from_bool(value: u8) -> *mut u8 {
    string::alloc_str(if value != 0 { "true" } else { "false" })
}

/// Content equality (1 or 0).
///
/// # Safety
/// Pointer arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_eq(a: *mut u8, b: *mut u8) -> u8 {
    // SAFETY: generated code only passes live Mesh strings.
    let (a, b) = unsafe { (string::bytes(a), string::bytes(b)) };
    u8::from(a == b)
}

/// Byte-wise (equivalently code-point) ordering: -1, 0 or 1.
///
/// # Safety
/// Pointer arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_compare(a: *mut u8, b: *mut u8) -> i64 {
    // SAFETY: generated code only passes live Mesh strings.
    let (a, b) = unsafe { (string::bytes(a), string::bytes(b)) };
    match a.cmp(b) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

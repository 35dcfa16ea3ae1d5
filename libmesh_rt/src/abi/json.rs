//! JSON leaves for compiler-generated encoders, and `Json.get`. None of these suspend.

use crate::value::{json, string};

/// `s` as a JSON string literal (a new string).
///
/// # Safety
/// `text` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_json_string(text: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let s = unsafe { string::as_str(text) };
    string::alloc_str(&json::quote(s))
}

/// A Float as JSON number text (a new string).
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_json_float(value: f64) -> *mut u8 {
    string::alloc_str(&json::float(value))
}

/// `Json.get(text, key)` (a new string; `""` when absent or invalid).
///
/// # Safety
/// Both arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_json_get(text: *mut u8, key: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (text, key) = unsafe { (string::as_str(text), string::as_str(key)) };
    string::alloc_str(&json::get(text, key))
}

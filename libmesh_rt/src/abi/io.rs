//! Console output: `print`, `println`, `IO.eprintln`. None of these suspend.

use crate::value::string;
use std::io::Write;

/// # Safety
/// `text` must be a live Mesh string.
unsafe fn write_out(text: *mut u8, newline: bool) {
    // SAFETY: the caller passes a live Mesh string.
    let bytes = unsafe { string::bytes(text) };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    if newline {
        let _ = out.write_all(b"\n");
    }
    let _ = out.flush();
}

/// Writes a Mesh string (borrowed) to stdout and flushes.
///
/// # Safety
/// Pointer arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_io_print(text: *mut u8) {
    // SAFETY: forwarded contract.
    unsafe { write_out(text, false) };
}

/// Writes a Mesh string (borrowed) and a newline to stdout and flushes.
///
/// # Safety
/// Pointer arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_io_println(text: *mut u8) {
    // SAFETY: forwarded contract.
    unsafe { write_out(text, true) };
}

/// Writes a Mesh string (borrowed) and a newline to stderr.
///
/// # Safety
/// Pointer arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_io_eprintln(text: *mut u8) {
    // SAFETY: generated code only passes live Mesh strings.
    let bytes = unsafe { string::bytes(text) };
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(bytes);
    let _ = err.write_all(b"\n");
}

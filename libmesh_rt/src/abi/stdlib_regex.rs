//! `Regex` (stdlib spec §15): thin wrappers over `stdlib::regex`. A Regex crosses as the Mesh
//! string of its source (see `stdlib::regex`). None of these suspend. A literal whose pattern
//! parses but exceeds the compiled-size limit panics at its first use.

use crate::abi::process::panic_with;
use crate::abi::stdlib_string::string_list;
use crate::stdlib::{option, regex as rx};
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// Runs `f` with the compiled form of the Regex value `source`.
///
/// # Safety
/// `source` must be a live Mesh string.
unsafe fn with<R>(source: *mut u8, f: impl FnOnce(&regex::Regex) -> R) -> R {
    // SAFETY: forwarded contract.
    let source = unsafe { as_str(source) };
    rx::with_regex(source, f).unwrap_or_else(|e| panic_with(&format!("Regex: {e}")))
}

/// `Regex.compile(pattern)`: `Ok(regex)` or `Err(<description of the syntax error>)`.
///
/// # Safety
/// `desc` must be the `Result<Regex, String>` descriptor and `pattern` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_regex_compile(desc: *mut u8, pattern: *mut u8) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    // SAFETY: forwarded contract; the Regex value is the (immutable) pattern string itself.
    unsafe {
        match rx::compile(as_str(pattern)) {
            Ok(()) => option::ok(desc, pattern as u64),
            Err(text) => option::err(desc, alloc_str(&text) as u64),
        }
    }
}

/// `Regex.is_match(rx, s)`: unanchored search.
///
/// # Safety
/// Both arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_regex_is_match(regex: *mut u8, s: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    let s = unsafe { as_str(s) };
    // SAFETY: forwarded contract.
    u8::from(unsafe { with(regex, |r| r.is_match(s)) })
}

/// `Regex.captures(rx, s)`: `Some([whole, group…])` for the first match, else `None`.
///
/// # Safety
/// `desc` must be the `Option<List<String>>` descriptor; `regex` and `s` live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_regex_captures(
    desc: *mut u8,
    regex: *mut u8,
    s: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let s = unsafe { as_str(s) };
    // SAFETY: forwarded contract.
    let found = unsafe { with(regex, |r| rx::captures(r, s)) };
    let option_desc = desc as *const TypeDesc;
    match found {
        // SAFETY: forwarded contract.
        None => unsafe { option::none(option_desc) },
        Some(groups) => {
            // SAFETY: the Option desc's `Some` case holds the `List<String>` desc.
            let list_desc = unsafe { Desc::from_ptr(option_desc) }.item(0).item(0);
            // SAFETY: `list_desc` is the List<String> descriptor.
            let list = unsafe {
                string_list(
                    list_desc.as_ptr() as *mut u8,
                    groups.iter().map(String::as_str),
                )
            };
            // SAFETY: forwarded contract; `list` stays on the stack, seen by the collector.
            unsafe { option::some(option_desc, list as u64) }
        }
    }
}

/// `Regex.replace(rx, s, replacement)`: every match replaced (a new string).
///
/// # Safety
/// All arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_regex_replace(
    regex: *mut u8,
    s: *mut u8,
    replacement: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (s, replacement) = unsafe { (as_str(s), as_str(replacement)) };
    // SAFETY: forwarded contract.
    let out = unsafe { with(regex, |r| rx::replace(r, s, replacement)) };
    alloc_str(&out)
}

/// `Regex.split(rx, s)`: the pieces between matches (a new `List<String>`).
///
/// # Safety
/// `desc` must be the `List<String>` descriptor; `regex` and `s` live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_regex_split(
    desc: *mut u8,
    regex: *mut u8,
    s: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let s = unsafe { as_str(s) };
    // SAFETY: forwarded contract.
    let pieces = unsafe { with(regex, |r| rx::split(r, s)) };
    // SAFETY: forwarded contract.
    unsafe { string_list(desc, pieces.iter().map(String::as_str)) }
}

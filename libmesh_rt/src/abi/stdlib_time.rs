//! `DateTime` (stdlib spec §13): thin wrappers over `stdlib::datetime`. A DateTime crosses as
//! its Unix-millisecond `Int`; unit atoms cross as their name (a Mesh string). None of these
//! suspend; `add` and `diff` panic on an unknown unit, `add` on a result outside years
//! 0000–9999.

use crate::abi::process::panic_with;
use crate::stdlib::{datetime, option};
use crate::value::string::{alloc_str, as_str};
use mesh_rt_abi::TypeDesc;

/// Builds `Ok(ms)` or `Err(text)` of the `DateTime ! String` type `desc`.
///
/// # Safety
/// `desc` must be the `Result<DateTime, String>` descriptor.
unsafe fn datetime_result(desc: *mut u8, result: Result<i64, String>) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    // SAFETY: forwarded contract; a DateTime is an immediate word.
    unsafe {
        match result {
            Ok(ms) => option::ok(desc, ms as u64),
            Err(text) => option::err(desc, alloc_str(&text) as u64),
        }
    }
}

/// `DateTime.utc_now()`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_datetime_utc_now() -> i64 {
    datetime::utc_now()
}

/// `DateTime.to_iso8601(dt)`: `YYYY-MM-DDTHH:MM:SS.mmmZ` (a new string).
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_datetime_to_iso8601(dt: i64) -> *mut u8 {
    alloc_str(&datetime::to_iso8601(dt))
}

/// `DateTime.from_iso8601(s)`: `Err("invalid ISO 8601 datetime")` for bad text.
///
/// # Safety
/// `desc` must be the `Result<DateTime, String>` descriptor and `s` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_datetime_from_iso8601(
    desc: *mut u8,
    s: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { datetime_result(desc, datetime::from_iso8601(as_str(s))) }
}

/// `DateTime.from_unix_ms(ms)`: `Err("unix timestamp out of range")` outside years 0000–9999.
///
/// # Safety
/// `desc` must be the `Result<DateTime, String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_datetime_from_unix_ms(desc: *mut u8, ms: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { datetime_result(desc, datetime::from_unix_ms(ms)) }
}

/// `DateTime.from_unix_secs(s)`: as [`mesh_rt_datetime_from_unix_ms`].
///
/// # Safety
/// `desc` must be the `Result<DateTime, String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_datetime_from_unix_secs(
    desc: *mut u8,
    secs: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { datetime_result(desc, datetime::from_unix_secs(secs)) }
}

/// `DateTime.to_unix_ms(dt)`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_datetime_to_unix_ms(dt: i64) -> i64 {
    dt
}

/// `DateTime.to_unix_secs(dt)`: truncated toward zero.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_datetime_to_unix_secs(dt: i64) -> i64 {
    datetime::to_unix_secs(dt)
}

/// `DateTime.add(dt, n, unit)`.
///
/// # Safety
/// `unit` must be a live Mesh string (an atom's name).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_datetime_add(dt: i64, n: i64, unit: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    match datetime::add(dt, n, unsafe { as_str(unit) }) {
        Ok(ms) => ms,
        Err(message) => panic_with(&message),
    }
}

/// `DateTime.diff(a, b, unit)`: `(a - b)` in the unit.
///
/// # Safety
/// `unit` must be a live Mesh string (an atom's name).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_datetime_diff(a: i64, b: i64, unit: *mut u8) -> f64 {
    // SAFETY: forwarded contract.
    match datetime::diff(a, b, unsafe { as_str(unit) }) {
        Ok(x) => x,
        Err(message) => panic_with(&message),
    }
}

/// `DateTime.is_before(a, b)`: `a < b`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_datetime_is_before(a: i64, b: i64) -> u8 {
    u8::from(a < b)
}

/// `DateTime.is_after(a, b)`: `a > b`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_datetime_is_after(a: i64, b: i64) -> u8 {
    u8::from(a > b)
}

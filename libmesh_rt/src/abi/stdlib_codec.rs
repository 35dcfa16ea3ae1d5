//! `Base64`, `Hex` and `Crypto` (stdlib spec §14): thin wrappers over `stdlib::codec`.
//! Arguments are borrowed Mesh strings; results are new objects owned by the current heap.
//! None of these suspend; only `Crypto.uuid4` can panic (no OS random source).

use crate::abi::process::panic_with;
use crate::abi::stdlib_system::string_result;
use crate::stdlib::codec;
use crate::value::string::{alloc_str, as_str};

/// Defines `extern "C-unwind" fn $name(s) -> String` over `codec::$f(&str) -> String`.
macro_rules! string_to_string {
    ($($(#[$doc:meta])* $name:ident => $f:path;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// `s` must be a live Mesh string.
        #[no_mangle]
        pub unsafe extern "C-unwind" fn $name(s: *mut u8) -> *mut u8 {
            // SAFETY: forwarded contract.
            alloc_str(&$f(unsafe { as_str(s) }))
        }
    )*};
}

/// Defines `extern "C-unwind" fn $name(desc, s) -> String ! String` over `codec::$f`.
macro_rules! string_decoder {
    ($($(#[$doc:meta])* $name:ident => $f:path;)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// `desc` must be the `Result<String, String>` descriptor and `s` a live Mesh string.
        #[no_mangle]
        pub unsafe extern "C-unwind" fn $name(desc: *mut u8, s: *mut u8) -> *mut u8 {
            // SAFETY: forwarded contract.
            unsafe { string_result(desc, $f(as_str(s))) }
        }
    )*};
}

string_to_string! {
    /// `Base64.encode(s)`: standard alphabet, padded.
    mesh_rt_base64_encode => codec::base64_encode;
    /// `Base64.encode_url(s)`: URL-safe alphabet, unpadded.
    mesh_rt_base64_encode_url => codec::base64_encode_url;
    /// `Hex.encode(s)`: two lower-case digits per byte.
    mesh_rt_hex_encode => codec::hex_encode;
    /// `Crypto.sha256(s)`: 64 lower-case hex digits.
    mesh_rt_crypto_sha256 => codec::sha256;
    /// `Crypto.sha512(s)`: 128 lower-case hex digits.
    mesh_rt_crypto_sha512 => codec::sha512;
}

string_decoder! {
    /// `Base64.decode(s)`: `Err("invalid base64")` / `Err("invalid utf-8")`.
    mesh_rt_base64_decode => codec::base64_decode;
    /// `Base64.decode_url(s)`: unpadded URL-safe input; same errors.
    mesh_rt_base64_decode_url => codec::base64_decode_url;
    /// `Hex.decode(s)`: `Err("invalid hex")` / `Err("invalid utf-8")`.
    mesh_rt_hex_decode => codec::hex_decode;
}

/// `Crypto.hmac_sha256(key, msg)` in lower-case hex (a new string).
///
/// # Safety
/// Both arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_crypto_hmac_sha256(key: *mut u8, msg: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    alloc_str(&codec::hmac_sha256(unsafe { as_str(key) }, unsafe {
        as_str(msg)
    }))
}

/// `Crypto.hmac_sha512(key, msg)` in lower-case hex (a new string).
///
/// # Safety
/// Both arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_crypto_hmac_sha512(key: *mut u8, msg: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    alloc_str(&codec::hmac_sha512(unsafe { as_str(key) }, unsafe {
        as_str(msg)
    }))
}

/// `Crypto.secure_compare(a, b)`: constant-time equality for equal lengths.
///
/// # Safety
/// Both arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_crypto_secure_compare(a: *mut u8, b: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    u8::from(codec::secure_compare(unsafe { as_str(a) }, unsafe {
        as_str(b)
    }))
}

/// `Crypto.uuid4()`: a random version-4 UUID (a new string). Panics when the operating system
/// has no random source.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_crypto_uuid4() -> *mut u8 {
    match codec::uuid4() {
        Ok(u) => alloc_str(&u),
        Err(e) => panic_with(&format!("Crypto.uuid4: no random source ({e})")),
    }
}

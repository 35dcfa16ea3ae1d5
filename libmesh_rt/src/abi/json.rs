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
    // Most strings need no escape: then the literal is the text between quotes, built in
    // the heap at once (no Rust string in between).
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return string::alloc_concat(&[b"\"", s.as_bytes(), b"\""]);
    }
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

/// `Json.get_nested(text, k1, k2)` (a new string; `""` when any level is missing).
///
/// # Safety
/// All arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_json_get_nested(
    text: *mut u8,
    k1: *mut u8,
    k2: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (text, k1, k2) = unsafe { (string::as_str(text), string::as_str(k1), string::as_str(k2)) };
    string::alloc_str(&json::get_nested(text, k1, k2))
}

/// `Json.parse(text)`: `Ok(json)` holding the canonical compact text, or `Err(<parser message
/// with position>)`.
///
/// # Safety
/// `desc` must be the `Result<Json, String>` descriptor and `text` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_json_parse(desc: *mut u8, text: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract; a Json value is the string of its encoding.
    unsafe { crate::abi::stdlib_system::string_result(desc, json::parse(string::as_str(text))) }
}

/// `Json.encode_map(m)`: an object of the map's string values, members sorted by key.
///
/// # Safety
/// `desc` must be the `Map<String, String>` descriptor and `map` a live map of it.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_json_encode_map(desc: *mut u8, map: *mut u8) -> *mut u8 {
    use crate::value::map::{Kind, Table};
    use crate::value::typedesc::Desc;
    // SAFETY: forwarded contract.
    let (kind, table) = unsafe {
        (
            Kind::of(Desc::from_ptr(desc as *const mesh_rt_abi::TypeDesc)),
            Table::from_raw(map),
        )
    };
    // SAFETY: keys and values of a Map<String, String> are live strings.
    let entries: Vec<(&str, &str)> = table
        .entries(kind)
        .map(|(k, v)| unsafe {
            (
                string::as_str(k as *const u8),
                string::as_str(v as *const u8),
            )
        })
        .collect();
    // The text is built before the next allocation; `map` keeps the strings alive.
    let text = json::encode_map(entries);
    string::alloc_str(&text)
}

/// `Json.encode_list(xs)`: an array of the list's strings.
///
/// # Safety
/// `list` must be a live `List<String>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_json_encode_list(list: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let list = unsafe { crate::value::list::List::from_raw(list) };
    // SAFETY: elements of a List<String> are live strings.
    let items: Vec<&str> = list
        .iter()
        .map(|w| unsafe { string::as_str(w as *const u8) })
        .collect();
    let text = json::encode_list(items);
    string::alloc_str(&text)
}

/// `T.from_json(text)` (stdlib spec §11.4): `Ok(value)` decoded by the descriptor of `T`, or
/// `Err(<why>)`.
///
/// # Safety
/// `desc` must be the `Result<T, String>` descriptor (its `Ok` case holding `T`'s) and `text`
/// a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_json_decode(desc: *mut u8, text: *mut u8) -> *mut u8 {
    use crate::value::typedesc::Desc;
    let result = desc as *const mesh_rt_abi::TypeDesc;
    // SAFETY: forwarded contract: a compiler-emitted descriptor, live for the program.
    let target = unsafe { Desc::from_ptr(result) }.item(0).item(0);
    // SAFETY: forwarded contract.
    let decoded = json::decode::decode(unsafe { string::as_str(text) }, target);
    // SAFETY: `result` is a Result descriptor; the payload is a value of `T` or a new string.
    unsafe {
        match decoded {
            Ok(word) => crate::stdlib::option::ok(result, word),
            Err(message) => crate::stdlib::option::err(result, string::alloc_str(&message) as u64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_quoted_whether_or_not_they_need_escapes() {
        for (text, quoted) in [
            ("Hello, World!", r#""Hello, World!""#),
            ("", r#""""#),
            ("é/ü", r#""é/ü""#),
            ("a\"b\\c\n\u{1}", r#""a\"b\\c\n\u0001""#),
            ("tab\tend", r#""tab\tend""#),
        ] {
            // SAFETY: a freshly allocated Mesh string in, a Mesh string out.
            let out = unsafe { string::as_str(mesh_rt_json_string(string::alloc_str(text))) };
            assert_eq!(out, quoted, "{text:?}");
        }
    }
}

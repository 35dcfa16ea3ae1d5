//! The `String` module (stdlib spec §3): thin wrappers over `stdlib::string` and `str`.
//! Arguments are borrowed Mesh strings; results are new objects owned by the current heap.
//! None of these suspend or panic. `String.from` is compiled by the compiler (the Display
//! intrinsic) and `String.join` is `mesh_rt_list_join` (abi/list.rs), so neither is here.

use crate::stdlib::{option, string as logic};
use crate::value::list::{Builder, Shape};
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// A new `List<String>` of the type `desc` holding copies of `pieces`.
///
/// # Safety
/// `desc` must be the `List<String>` descriptor.
pub(crate) unsafe fn string_list<'a>(
    desc: *mut u8,
    pieces: impl IntoIterator<Item = &'a str>,
) -> *mut u8 {
    // SAFETY: forwarded contract; descriptors are constant data of the executable.
    let desc = unsafe { Desc::from_ptr(desc as *const TypeDesc) };
    // Each new string goes into the list at once: a Rust vector would hide it from the
    // collector while the next one is allocated.
    let mut list = Builder::new(Shape::list(desc));
    for p in pieces {
        list.push(alloc_str(p) as u64);
    }
    list.finish().as_ptr()
}

/// `String.length(s)`: the number of code points.
///
/// # Safety
/// `s` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_length(s: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    logic::length(unsafe { as_str(s) })
}

/// `String.slice(s, start, end)`: code points `[start, end)`, clamped (a new string).
///
/// # Safety
/// `s` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_slice(s: *mut u8, start: i64, end: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    alloc_str(logic::slice(unsafe { as_str(s) }, start, end))
}

/// `String.contains(s, needle)`: substring test; an empty needle is always contained.
///
/// # Safety
/// Both arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_contains(s: *mut u8, needle: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    let (s, needle) = unsafe { (as_str(s), as_str(needle)) };
    u8::from(s.contains(needle))
}

/// `String.starts_with(s, prefix)`.
///
/// # Safety
/// Both arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_starts_with(s: *mut u8, prefix: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    let (s, prefix) = unsafe { (as_str(s), as_str(prefix)) };
    u8::from(s.starts_with(prefix))
}

/// `String.ends_with(s, suffix)`.
///
/// # Safety
/// Both arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_ends_with(s: *mut u8, suffix: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    let (s, suffix) = unsafe { (as_str(s), as_str(suffix)) };
    u8::from(s.ends_with(suffix))
}

/// `String.trim(s)`: without leading and trailing Unicode white space (a new string).
///
/// # Safety
/// `s` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_trim(s: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    alloc_str(unsafe { as_str(s) }.trim())
}

/// `String.to_upper(s)`: full Unicode upper-casing, `"ß"` → `"SS"` (a new string).
///
/// # Safety
/// `s` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_to_upper(s: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    alloc_str(&unsafe { as_str(s) }.to_uppercase())
}

/// `String.to_lower(s)`: full Unicode lower-casing (a new string).
///
/// # Safety
/// `s` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_to_lower(s: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    alloc_str(&unsafe { as_str(s) }.to_lowercase())
}

/// `String.replace(s, from, to)`: every non-overlapping occurrence, left to right (a new
/// string).
///
/// # Safety
/// All arguments must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_replace(
    s: *mut u8,
    from: *mut u8,
    to: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (s, from, to) = unsafe { (as_str(s), as_str(from), as_str(to)) };
    alloc_str(&logic::replace(s, from, to))
}

/// `String.split(s, sep)`: the pieces between occurrences of `sep`, empty pieces kept
/// (`"a,,b"` → `["a", "", "b"]`, `""` → `[""]`); an empty `sep` splits between code points
/// with an empty first and last piece (a new list of new strings).
///
/// # Safety
/// `desc` must be the `List<String>` descriptor; `s` and `sep` live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_split(
    desc: *mut u8,
    s: *mut u8,
    sep: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        let (s, sep) = (as_str(s), as_str(sep));
        string_list(desc, logic::split(s, sep))
    }
}

/// `String.to_int(s)`: `Some(n)` or `None` (a new `Int?` of type `desc`).
///
/// # Safety
/// `desc` must be the `Option<Int>` descriptor and `s` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_to_int(desc: *mut u8, s: *mut u8) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    // SAFETY: forwarded contract.
    unsafe {
        match logic::to_int(as_str(s)) {
            Some(n) => option::some(desc, n as u64),
            None => option::none(desc),
        }
    }
}

/// `String.to_float(s)`: `Some(x)` or `None` (a new `Float?` of type `desc`).
///
/// # Safety
/// `desc` must be the `Option<Float>` descriptor and `s` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_string_to_float(desc: *mut u8, s: *mut u8) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    // SAFETY: forwarded contract.
    unsafe {
        match logic::to_float(as_str(s)) {
            Some(x) => option::some(desc, x.to_bits()),
            None => option::none(desc),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::stdlib::option::testing::{read, sum_desc, text};
    use crate::value::list::List;

    fn mesh(s: &str) -> *mut u8 {
        alloc_str(s)
    }

    #[test]
    fn wrappers_convert_and_allocate() {
        // SAFETY: every pointer below is a freshly allocated Mesh string.
        unsafe {
            assert_eq!(mesh_rt_string_length(mesh("héllo")), 5);
            assert_eq!(text(mesh_rt_string_slice(mesh("héllo"), 1, 3) as u64), "él");
            assert_eq!(mesh_rt_string_contains(mesh("abc"), mesh("")), 1);
            assert_eq!(mesh_rt_string_starts_with(mesh("abc"), mesh("ab")), 1);
            assert_eq!(mesh_rt_string_ends_with(mesh("abc"), mesh("ab")), 0);
            assert_eq!(text(mesh_rt_string_trim(mesh("\u{3000} x \n")) as u64), "x");
            assert_eq!(
                text(mesh_rt_string_to_upper(mesh("straße")) as u64),
                "STRASSE"
            );
            assert_eq!(text(mesh_rt_string_to_lower(mesh("ΣΑΣ")) as u64), "σας");
            let replaced = mesh_rt_string_replace(mesh("a-b"), mesh("-"), mesh("+"));
            assert_eq!(text(replaced as u64), "a+b");
        }
    }

    /// A leaked `List<String>` descriptor.
    pub(crate) fn string_list_desc() -> *mut u8 {
        use mesh_rt_abi::layout::{TY_LIST, TY_STRING};
        let leak = |kind: u32, items: *const *const TypeDesc, count: u32| {
            Box::into_raw(Box::new(TypeDesc {
                kind,
                count,
                name: mesh_rt_abi::StrRef {
                    ptr: std::ptr::null(),
                    len: 0,
                },
                items,
                names: std::ptr::null(),
                user: mesh_rt_abi::UserFns::NONE,
            })) as *const TypeDesc
        };
        let string = leak(TY_STRING, std::ptr::null(), 0);
        let items = Box::leak(Box::new([string]));
        leak(TY_LIST, items.as_ptr(), 1) as *mut u8
    }

    /// The elements of a `List<String>` as Rust strings.
    pub(crate) fn strings(list: *mut u8) -> Vec<String> {
        // SAFETY: callers pass lists of strings built by this module.
        unsafe { List::from_raw(list) }.iter().map(text).collect()
    }

    #[test]
    fn split_builds_a_list_of_strings() {
        let desc = string_list_desc();
        // SAFETY: `desc` is a List<String> desc and the strings are freshly allocated.
        unsafe {
            let parts = mesh_rt_string_split(desc, mesh("a,,é"), mesh(","));
            assert_eq!(strings(parts), ["a", "", "é"]);
            assert_eq!(
                strings(mesh_rt_string_split(desc, mesh(""), mesh(","))),
                [""]
            );
            let joined = crate::abi::list::mesh_rt_list_join(parts, mesh("+"));
            assert_eq!(text(joined as u64), "a++é");
        }
    }

    #[test]
    fn parsing_returns_options() {
        let desc = sum_desc("Option", &["Some", "None"]) as *mut u8;
        // SAFETY: `desc` is an Option desc and the strings are freshly allocated.
        unsafe {
            assert_eq!(
                read(mesh_rt_string_to_int(desc, mesh(" -12 "))).3,
                Some(-12i64 as u64)
            );
            assert_eq!(read(mesh_rt_string_to_int(desc, mesh("x"))).2, 1);
            let half = read(mesh_rt_string_to_float(desc, mesh(".5"))).3;
            assert_eq!(half, Some(0.5f64.to_bits()));
            assert_eq!(read(mesh_rt_string_to_float(desc, mesh(""))).2, 1);
        }
    }
}

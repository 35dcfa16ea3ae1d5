//! Building `Option` and `Result` values for runtime functions that return them (`Int?`,
//! `String ! String`, …). The caller passes the result type's descriptor (a `TY_SUM` desc,
//! `DescArg::Ret` in the stdlib table); the value is a `KIND_VARIANT` object laid out as the
//! compiler lays out `Some(x)` (ARCHITECTURE.md "Value representation"): header (aux = payload
//! field count), the desc, the tag, then the payload word.

use mesh_rt_abi::layout::{meta, HEADER_SIZE, KIND_VARIANT, PAYLOAD_OFFSET, TY_SUM};
use mesh_rt_abi::TypeDesc;

/// `Some(word)` of the `Option` type described by `desc`.
///
/// # Safety
/// `desc` must be the `TypeDesc` of an `Option<T>` and `word` a value of `T` as a word.
pub unsafe fn some(desc: *const TypeDesc, word: u64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { variant(desc, "Some", 0, Some(word)) }
}

/// `None` of the `Option` type described by `desc`.
///
/// # Safety
/// `desc` must be the `TypeDesc` of an `Option<T>`.
pub unsafe fn none(desc: *const TypeDesc) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { variant(desc, "None", 1, None) }
}

/// `Ok(word)` of the `Result` type described by `desc`.
///
/// # Safety
/// `desc` must be the `TypeDesc` of a `Result<T, E>` and `word` a value of `T` as a word
/// (0 for `()`).
pub unsafe fn ok(desc: *const TypeDesc, word: u64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { variant(desc, "Ok", 0, Some(word)) }
}

/// `Err(word)` of the `Result` type described by `desc`.
///
/// # Safety
/// `desc` must be the `TypeDesc` of a `Result<T, E>` and `word` a value of `E` as a word.
pub unsafe fn err(desc: *const TypeDesc, word: u64) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { variant(desc, "Err", 1, Some(word)) }
}

/// Allocates the variant `case` of the sum `desc` with an optional single payload field.
/// The tag is the index of the CASE named `case` in the desc; `default_tag` (the order the
/// compiler declares Option and Result in) when the desc does not name it.
///
/// # Safety
/// `desc` must be null or point to a live `TypeDesc` whose `items` (when it is a SUM) are
/// `count` valid CASE descs.
unsafe fn variant(
    desc: *const TypeDesc,
    case: &str,
    default_tag: u64,
    field: Option<u64>,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let tag = unsafe { case_index(desc, case) }.unwrap_or(default_tag);
    let fields = usize::from(field.is_some());
    let obj = crate::mem::alloc(HEADER_SIZE + 8 * (1 + fields));
    // SAFETY: `obj` has room for the header and 1 + `fields` payload words, 8-aligned.
    unsafe {
        let words = obj as *mut u64;
        words.write(meta(KIND_VARIANT, fields as u32, 0));
        words.add(1).write(desc as u64);
        let payload = obj.add(PAYLOAD_OFFSET) as *mut u64;
        payload.write(tag);
        if let Some(word) = field {
            payload.add(1).write(word);
        }
    }
    obj
}

/// The index of the CASE named `name` among the items of the SUM desc `desc`.
///
/// # Safety
/// As for [`variant`].
unsafe fn case_index(desc: *const TypeDesc, name: &str) -> Option<u64> {
    if desc.is_null() {
        return None;
    }
    // SAFETY: per the contract `desc` is a live TypeDesc.
    let desc = unsafe { &*desc };
    if desc.kind != TY_SUM || desc.items.is_null() {
        return None;
    }
    (0..desc.count as usize).find_map(|i| {
        // SAFETY: a SUM desc has `count` valid CASE desc pointers in `items`, each with a name
        // of `len` UTF-8 bytes.
        let case_name = unsafe {
            let case = &**desc.items.add(i);
            std::slice::from_raw_parts(case.name.ptr, case.name.len as usize)
        };
        (case_name == name.as_bytes()).then_some(i as u64)
    })
}

/// Test support: descriptors and readers for the variant objects built above.
#[cfg(test)]
pub(crate) mod testing {
    use mesh_rt_abi::layout::{TY_CASE, TY_SUM};
    use mesh_rt_abi::{StrRef, TypeDesc};

    fn name(s: &'static str) -> StrRef {
        StrRef {
            ptr: s.as_ptr(),
            len: s.len() as u64,
        }
    }

    /// A leaked SUM desc with CASEs named `cases` (payload items are not needed here).
    pub(crate) fn sum_desc(type_name: &'static str, cases: &[&'static str]) -> *const TypeDesc {
        let items: Vec<*const TypeDesc> = cases
            .iter()
            .map(|c| {
                Box::into_raw(Box::new(TypeDesc {
                    kind: TY_CASE,
                    count: 0,
                    name: name(c),
                    items: std::ptr::null(),
                    names: std::ptr::null(),
                    user: mesh_rt_abi::UserFns::NONE,
                })) as *const TypeDesc
            })
            .collect();
        let items = Box::leak(items.into_boxed_slice());
        Box::into_raw(Box::new(TypeDesc {
            kind: TY_SUM,
            count: items.len() as u32,
            name: name(type_name),
            items: items.as_ptr(),
            names: std::ptr::null(),
            user: mesh_rt_abi::UserFns::NONE,
        }))
    }

    /// The (aux, desc, tag, payload word) of a one-or-zero-field variant object.
    pub(crate) fn read(obj: *mut u8) -> (u64, u64, u64, Option<u64>) {
        // SAFETY: test objects come from `option::variant`, which writes exactly these words.
        unsafe {
            let words = obj as *const u64;
            let aux = words.read() >> mesh_rt_abi::layout::AUX_SHIFT;
            let payload = if aux == 1 {
                Some(words.add(3).read())
            } else {
                None
            };
            (aux, words.add(1).read(), words.add(2).read(), payload)
        }
    }

    /// The Rust string of a Mesh string word.
    pub(crate) fn text(word: u64) -> String {
        // SAFETY: callers pass words that hold runtime-allocated strings.
        unsafe { crate::value::string::as_str(word as *const u8) }.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{read, sum_desc};
    use super::*;

    #[test]
    fn option_and_result_variants_use_the_desc_case_order() {
        let option = sum_desc("Option", &["Some", "None"]);
        let result = sum_desc("Result", &["Ok", "Err"]);
        // SAFETY: the descs above are live SUM descs.
        let (s, n, o, e) =
            unsafe { (some(option, 7), none(option), ok(result, 9), err(result, 3)) };
        assert_eq!(read(s), (1, option as u64, 0, Some(7)));
        assert_eq!(read(n), (0, option as u64, 1, None));
        assert_eq!(read(o), (1, result as u64, 0, Some(9)));
        assert_eq!(read(e), (1, result as u64, 1, Some(3)));
    }

    #[test]
    fn tags_follow_a_differently_ordered_desc() {
        let odd = sum_desc("Option", &["None", "Some"]);
        // SAFETY: `odd` is a live SUM desc.
        let (s, n) = unsafe { (some(odd, 1), none(odd)) };
        assert_eq!(read(s).2, 1);
        assert_eq!(read(n).2, 0);
    }
}

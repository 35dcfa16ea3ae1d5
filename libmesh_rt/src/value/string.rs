//! Mesh strings: an immutable heap object `{ header, len, bytes }` holding UTF-8
//! (layout constants in `mesh_rt_abi::layout`). Compiler-emitted literals have the same layout
//! with the static flag set.

use mesh_rt_abi::layout::{KIND_STRING, STRING_DATA_OFFSET, STRING_LEN_OFFSET};

/// Borrows the bytes of a Mesh string.
///
/// # Safety
/// `s` must point to a live string object (runtime-allocated or a compiler constant); the
/// returned slice must not outlive it.
pub unsafe fn bytes<'a>(s: *const u8) -> &'a [u8] {
    // SAFETY: per the contract, `s` is a string object: the length word sits at
    // STRING_LEN_OFFSET and `len` bytes follow at STRING_DATA_OFFSET.
    unsafe {
        let len = (s.add(STRING_LEN_OFFSET) as *const u64).read_unaligned() as usize;
        std::slice::from_raw_parts(s.add(STRING_DATA_OFFSET), len)
    }
}

/// Borrows a Mesh string as `&str`. Mesh strings are always valid UTF-8.
///
/// # Safety
/// As for [`bytes`].
pub unsafe fn as_str<'a>(s: *const u8) -> &'a str {
    // SAFETY: forwarded contract.
    let b = unsafe { bytes(s) };
    std::str::from_utf8(b).unwrap_or("\u{fffd}")
}

/// Allocates a string holding the concatenation of `parts`.
pub fn alloc_concat(parts: &[&[u8]]) -> *mut u8 {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let obj = crate::mem::alloc(STRING_DATA_OFFSET + len);
    // SAFETY: `obj` has room for the header, the length and `len` bytes.
    unsafe {
        (obj as *mut u64).write(KIND_STRING);
        (obj.add(STRING_LEN_OFFSET) as *mut u64).write(len as u64);
        let mut at = obj.add(STRING_DATA_OFFSET);
        for p in parts {
            std::ptr::copy_nonoverlapping(p.as_ptr(), at, p.len());
            at = at.add(p.len());
        }
    }
    obj
}

/// Allocates a copy of `s`.
pub fn alloc_str(s: &str) -> *mut u8 {
    alloc_concat(&[s.as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_round_trips_utf8() {
        let s = alloc_concat(&["hé".as_bytes(), b"llo"]);
        // SAFETY: `s` was just allocated as a string.
        assert_eq!(unsafe { as_str(s) }, "héllo");
        // SAFETY: as above.
        assert_eq!(unsafe { bytes(s) }.len(), 6);
    }
}

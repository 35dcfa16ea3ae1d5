//! Reading and building heap objects by their `mesh_rt_abi::layout` header: runtime nodes
//! (`KIND_NODE`, the collections' internals), tuples, variants and closure calls. Every object
//! built here has a header a collector can trace: nodes declare their raw (non-pointer) prefix,
//! and every other payload word is null or a pointer.
//!
//! Objects are written only between their allocation and the moment they are returned to the
//! caller (builders in `list.rs` fill their own fresh nodes in place); published objects are
//! never modified, except the raw (non-pointer) counters of iterator nodes (`value/iter.rs`).

use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::{self, HEADER_SIZE, KIND_NODE, KIND_TUPLE, KIND_VARIANT, PAYLOAD_OFFSET};

/// A pointer to a heap object (never dereferenced without one of the functions below).
pub type Obj = *mut u8;

/// Allocates a `KIND_NODE` of `words` payload words, all zero (null), whose first `raw` words
/// are not pointers; word 1 is `desc` (the collection the node belongs to).
pub fn alloc_node(desc: Desc, raw: usize, words: usize) -> Obj {
    debug_assert!(raw <= words && raw <= u8::MAX as usize);
    let obj = crate::mem::alloc(HEADER_SIZE + 8 * words);
    // SAFETY: `obj` is a fresh 8-aligned allocation of the header plus `words` words.
    unsafe {
        let w = obj as *mut u64;
        w.write(layout::meta(KIND_NODE, words as u32, raw as u8));
        w.add(1).write(desc.as_ptr() as u64);
        std::ptr::write_bytes(w.add(2), 0, words);
    }
    obj
}

/// Allocates a copy of node `src` with `words` payload words (the first `min(words, src
/// words)` copied, the rest zero) and raw prefix `raw`.
///
/// # Safety
/// `src` must be a live node.
pub unsafe fn copy_node(src: Obj, raw: usize, words: usize) -> Obj {
    // SAFETY: `src` is a live object (contract).
    let (old, desc) = unsafe { (aux(src) as usize, (src as *const u64).add(1).read()) };
    let obj = crate::mem::alloc(HEADER_SIZE + 8 * words);
    // SAFETY: `obj` is fresh with room for `words` payload words; `src` has `old` of them.
    unsafe {
        let w = obj as *mut u64;
        w.write(layout::meta(KIND_NODE, words as u32, raw as u8));
        w.add(1).write(desc);
        let n = old.min(words);
        std::ptr::copy_nonoverlapping((src as *const u64).add(2), w.add(2), n);
        std::ptr::write_bytes(w.add(2 + n), 0, words - n);
    }
    obj
}

/// The aux field of an object's header (payload word count for nodes, field count for tuples
/// and variants).
///
/// # Safety
/// `obj` must be a live heap object.
pub unsafe fn aux(obj: Obj) -> u32 {
    // SAFETY: every object starts with the meta word (contract).
    (unsafe { (obj as *const u64).read() } >> layout::AUX_SHIFT) as u32
}

/// The header kind of an object (`layout::KIND_*`).
///
/// # Safety
/// `obj` must be a live heap object.
pub unsafe fn kind(obj: Obj) -> u64 {
    // SAFETY: every object starts with the meta word (contract).
    unsafe { (obj as *const u64).read() & layout::KIND_MASK }
}

/// Payload word `i` of an object.
///
/// # Safety
/// `obj` must be a live object with more than `i` payload words.
pub unsafe fn word(obj: Obj, i: usize) -> u64 {
    // SAFETY: per the contract payload word `i` exists.
    unsafe { (obj.add(PAYLOAD_OFFSET) as *const u64).add(i).read() }
}

/// Writes payload word `i` of an object the caller allocated and has not yet published.
///
/// # Safety
/// As for [`word`], and no other code may have seen `obj` yet (or it never reads word `i`).
pub unsafe fn set_word(obj: Obj, i: usize, value: u64) {
    // SAFETY: per the contract payload word `i` exists and is ours to write.
    unsafe { (obj.add(PAYLOAD_OFFSET) as *mut u64).add(i).write(value) }
}

/// Allocates a tuple (or struct) object of `desc` with `fields`.
pub fn alloc_tuple(desc: Desc, fields: &[u64]) -> Obj {
    let obj = crate::mem::alloc(HEADER_SIZE + 8 * fields.len());
    // SAFETY: fresh allocation with room for the header and the fields.
    unsafe {
        let w = obj as *mut u64;
        w.write(layout::meta(KIND_TUPLE, fields.len() as u32, 0));
        w.add(1).write(desc.as_ptr() as u64);
        std::ptr::copy_nonoverlapping(fields.as_ptr(), w.add(2), fields.len());
    }
    obj
}

/// Allocates a variant of the SUM `desc` with tag `tag` and `fields` (the layout the compiler
/// uses: aux = field count, payload word 0 = tag, then the fields).
pub fn alloc_variant(desc: Desc, tag: u64, fields: &[u64]) -> Obj {
    let obj = crate::mem::alloc(HEADER_SIZE + 8 * (1 + fields.len()));
    // SAFETY: fresh allocation with room for the header, the tag and the fields.
    unsafe {
        let w = obj as *mut u64;
        w.write(layout::meta(KIND_VARIANT, fields.len() as u32, 0));
        w.add(1).write(desc.as_ptr() as u64);
        w.add(2).write(tag);
        std::ptr::copy_nonoverlapping(fields.as_ptr(), w.add(3), fields.len());
    }
    obj
}

/// `Some(word)` of the Option type `desc` (tag from the desc's CASE named `Some`, else 0).
pub fn some(desc: Desc, word: u64) -> Obj {
    // SAFETY: `Desc` guarantees a live descriptor.
    unsafe { crate::stdlib::option::some(desc.as_ptr(), word) }
}

/// `None` of the Option type `desc` (tag from the desc's CASE named `None`, else 1).
pub fn none(desc: Desc) -> Obj {
    // SAFETY: `Desc` guarantees a live descriptor.
    unsafe { crate::stdlib::option::none(desc.as_ptr()) }
}

/// Calls a closure without arguments (actor bodies, jobs, `terminate` clauses).
///
/// # Safety
/// `closure` must be a live `KIND_CLOSURE` object whose code takes no argument words.
pub unsafe fn call0(closure: Obj) -> u64 {
    // SAFETY: payload word 0 of a closure is its code pointer with this signature (contract).
    unsafe {
        let code = word(closure, 0) as usize as *const ();
        let f = std::mem::transmute::<*const (), extern "C-unwind" fn(Obj) -> u64>(code);
        f(closure)
    }
}

/// Calls a closure with one argument (the closure calling convention, ARCHITECTURE.md
/// "Closures": `code(closure, args…) -> word`).
///
/// Generated closure code uses LLVM's `tailcc`; on x86-64 SysV it assigns integer arguments
/// and the result exactly as the C convention does (LLVM's `CC_X86_64` delegates to
/// `CC_X86_64_C`), and differs only for stack-passed arguments, which these arities (at most
/// three words with the closure) never use.
///
/// # Safety
/// `closure` must be a live `KIND_CLOSURE` object whose code takes exactly one argument word.
pub unsafe fn call1(closure: Obj, a: u64) -> u64 {
    // SAFETY: payload word 0 of a closure is its code pointer with this signature (contract).
    unsafe {
        let code = word(closure, 0) as usize as *const ();
        let f = std::mem::transmute::<*const (), extern "C-unwind" fn(Obj, u64) -> u64>(code);
        f(closure, a)
    }
}

/// Calls a closure with two arguments.
///
/// # Safety
/// `closure` must be a live `KIND_CLOSURE` object whose code takes exactly two argument words.
pub unsafe fn call2(closure: Obj, a: u64, b: u64) -> u64 {
    // SAFETY: payload word 0 of a closure is its code pointer with this signature (contract).
    unsafe {
        let code = word(closure, 0) as usize as *const ();
        let f = std::mem::transmute::<*const (), extern "C-unwind" fn(Obj, u64, u64) -> u64>(code);
        f(closure, a, b)
    }
}

/// A Bool result word (0 or 1, zero-extended) as a Rust bool.
pub fn truthy(word: u64) -> bool {
    word as u8 != 0
}

/// Test support: closures over hand-written code pointers.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use mesh_rt_abi::layout::KIND_CLOSURE;

    /// A closure object calling `code` with `captures` (capture desc: `()`).
    pub(crate) fn closure(code: *const (), captures: &[u64]) -> Obj {
        let obj = crate::mem::alloc(HEADER_SIZE + 8 * (1 + captures.len()));
        // SAFETY: fresh allocation with room for the header, the code word and the captures.
        unsafe {
            let w = obj as *mut u64;
            w.write(layout::meta(KIND_CLOSURE, captures.len() as u32, 0));
            w.add(1).write(0);
            w.add(2).write(code as u64);
            std::ptr::copy_nonoverlapping(captures.as_ptr(), w.add(3), captures.len());
        }
        obj
    }

    /// Capture `i` of a closure.
    pub(crate) fn capture(closure: Obj, i: usize) -> u64 {
        // SAFETY: test closures are built by `closure` with their captures after the code word.
        unsafe { word(closure, 1 + i) }
    }
}

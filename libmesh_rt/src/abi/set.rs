//! `Set` operations for generated code (stdlib spec §8; the structure is the ordered table of
//! `value/map.rs`, the operations are in `value/set.rs`).
//!
//! Conventions: type descriptors first, then the arguments; `desc` is the `Set<T>` desc of the
//! set arguments and result; elements are 64-bit words. Sets passed in are borrowed; a returned
//! set is a new object on the current heap or an argument unchanged. None of these suspend or
//! panic except on misuse of iteration slots. `for x in s` iterates slots like maps:
//! `mesh_rt_map_slots` / `mesh_rt_map_slot_live` (shared), then `mesh_rt_set_slot_value`.

use crate::value::list::List;
use crate::value::map::{Kind, Table};
use crate::value::set;
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// # Safety
/// `d` must be a SET descriptor and `s` a live set of it.
unsafe fn set_of(d: *mut u8, s: *mut u8) -> (Kind, Table) {
    // SAFETY: forwarded contract.
    unsafe {
        (
            Kind::of(Desc::from_ptr(d as *const TypeDesc)),
            Table::from_raw(s),
        )
    }
}

/// # Safety
/// `d` must be a SET descriptor.
unsafe fn kind_of(d: *mut u8) -> Kind {
    // SAFETY: forwarded contract.
    Kind::of(unsafe { Desc::from_ptr(d as *const TypeDesc) })
}

/// `Set.new()`.
///
/// # Safety
/// `desc` must be a SET descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_new(desc: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    Table::empty(unsafe { kind_of(desc) }).as_ptr()
}

/// A set of the `len` element words at `words`, in order, duplicates dropped.
///
/// # Safety
/// `desc` must be a SET descriptor; `words` must point to `len` element words (anything when
/// `len` is 0).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_from(
    desc: *mut u8,
    words: *mut u8,
    len: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let kind = unsafe { kind_of(desc) };
    let len = usize::try_from(len).unwrap_or(0);
    if len == 0 || words.is_null() {
        return Table::empty(kind).as_ptr();
    }
    // SAFETY: the caller passes `len` words.
    let words = unsafe { std::slice::from_raw_parts(words as *const u64, len) };
    // SAFETY: forwarded contract.
    unsafe { set::from_words(kind, words.iter().copied()) }.as_ptr()
}

/// `Set.from_list(xs)`: duplicates dropped, first occurrences in order.
///
/// # Safety
/// `desc` must be a SET descriptor; `list` a live list of its element type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_from_list(desc: *mut u8, list: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (kind, list) = unsafe { (kind_of(desc), List::from_raw(list)) };
    // SAFETY: forwarded contract.
    unsafe { set::from_list(kind, list) }.as_ptr()
}

/// `Set.add(s, x)`: the same set when `x` is present.
///
/// # Safety
/// `desc` must be the set's SET descriptor; `set` a live set; `value` an element word.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_add(
    desc: *mut u8,
    set: *mut u8,
    value: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (kind, s) = unsafe { set_of(desc, set) };
    // SAFETY: forwarded contract.
    unsafe { s.put(kind, value as u64, 0) }.as_ptr()
}

/// `Set.remove(s, x)`: the same set when `x` is absent.
///
/// # Safety
/// As for [`mesh_rt_set_add`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_remove(
    desc: *mut u8,
    set: *mut u8,
    value: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (kind, s) = unsafe { set_of(desc, set) };
    // SAFETY: forwarded contract.
    unsafe { s.remove(kind, value as u64) }.as_ptr()
}

/// `Set.contains(s, x)`: structural equality (strings by content).
///
/// # Safety
/// As for [`mesh_rt_set_add`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_contains(
    desc: *mut u8,
    set: *mut u8,
    value: i64,
) -> u8 {
    // SAFETY: forwarded contract.
    let (kind, s) = unsafe { set_of(desc, set) };
    // SAFETY: forwarded contract.
    u8::from(unsafe { s.find(kind, value as u64) }.is_some())
}

/// `Set.size(s)`.
///
/// # Safety
/// `set` must be a live set.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_size(set: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { Table::from_raw(set) }.size() as i64
}

/// `Set.union(a, b)`: `a`'s elements in order, then the new elements of `b`.
///
/// # Safety
/// `desc` must be the SET descriptor of both; `a` and `b` live sets.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_union(
    desc: *mut u8,
    a: *mut u8,
    b: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((kind, a), b) = unsafe { (set_of(desc, a), Table::from_raw(b)) };
    // SAFETY: forwarded contract.
    unsafe { set::union(kind, a, b) }.as_ptr()
}

/// `Set.intersection(a, b)`: elements of `a` also in `b`, in `a`'s order.
///
/// # Safety
/// As for [`mesh_rt_set_union`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_intersection(
    desc: *mut u8,
    a: *mut u8,
    b: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((kind, a), b) = unsafe { (set_of(desc, a), Table::from_raw(b)) };
    // SAFETY: forwarded contract.
    unsafe { set::intersection(kind, a, b) }.as_ptr()
}

/// `Set.difference(a, b)`: elements of `a` not in `b`, in `a`'s order.
///
/// # Safety
/// As for [`mesh_rt_set_union`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_difference(
    desc: *mut u8,
    a: *mut u8,
    b: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((kind, a), b) = unsafe { (set_of(desc, a), Table::from_raw(b)) };
    // SAFETY: forwarded contract.
    unsafe { set::difference(kind, a, b) }.as_ptr()
}

/// `Set.to_list(s)` in insertion order; `list_desc` is the result's `List<T>` descriptor.
///
/// # Safety
/// `desc` must be the set's SET descriptor, `list_desc` a LIST descriptor; `set` a live set.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_to_list(
    desc: *mut u8,
    list_desc: *mut u8,
    set: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((kind, s), ld) = unsafe {
        (
            set_of(desc, set),
            Desc::from_ptr(list_desc as *const TypeDesc),
        )
    };
    s.keys(kind, ld).as_ptr()
}

/// The element in iteration slot `slot` (see `mesh_rt_map_slots`). Panics when the slot holds
/// no element.
///
/// # Safety
/// `desc` must be the set's SET descriptor; `set` a live set.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_set_slot_value(
    desc: *mut u8,
    set: *mut u8,
    slot: i64,
) -> i64 {
    // SAFETY: forwarded contract.
    let (kind, s) = unsafe { set_of(desc, set) };
    super::map::live_slot(kind, s, slot, "Set").0 as i64
}

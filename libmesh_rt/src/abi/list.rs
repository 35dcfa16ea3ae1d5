//! `List` operations for generated code (stdlib spec §6; the structure is in `value/list.rs`).
//!
//! Conventions for every function here: type descriptors come first (as for every stdlib row,
//! `DescArg`), then the arguments. `desc` is the `List<T>` desc of the result (which is also the
//! argument's type unless stated); values are 64-bit words. Lists and closures passed in are
//! borrowed; a returned list is a new object on the current heap or one of the arguments
//! unchanged (lists are immutable, so sharing is invisible). Functions that take a closure call
//! it through the closure calling convention and can suspend the actor exactly when the closure
//! can; the others never suspend. Panics are Mesh panics with the spec's messages.

use crate::abi::process::panic_with;
use crate::value::list::{self, ops, List, Shape};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// # Safety
/// `d` must be a descriptor pointer from generated code (see `Desc::from_ptr`).
unsafe fn desc_of(d: *mut u8) -> Desc {
    // SAFETY: forwarded contract.
    unsafe { Desc::from_ptr(d as *const TypeDesc) }
}

/// # Safety
/// `d` must be a LIST descriptor from generated code.
unsafe fn shape(d: *mut u8) -> Shape {
    // SAFETY: forwarded contract.
    Shape::list(unsafe { desc_of(d) })
}

/// Index arguments are Ints; negative ones count as 0 for clamping operations.
fn clamp(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// The empty list `[]` / `List.new()`.
///
/// # Safety
/// `desc` must be a LIST descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_new(desc: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    List::empty(unsafe { shape(desc) }).as_ptr()
}

/// A list literal `[a, b, c]`: the `len` words at `words` in order (the buffer is only read).
///
/// # Safety
/// `desc` must be a LIST descriptor; `words` must point to `len` element words (or be anything
/// when `len` is 0).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_from(
    desc: *mut u8,
    words: *mut u8,
    len: i64,
) -> *mut u8 {
    let len = clamp(len);
    let words: &[u64] = if len == 0 || words.is_null() {
        &[]
    } else {
        // SAFETY: the caller passes `len` words.
        unsafe { std::slice::from_raw_parts(words as *const u64, len) }
    };
    // SAFETY: forwarded contract.
    List::from_words(unsafe { shape(desc) }, words).as_ptr()
}

/// `Range.to_list(Range.new(start, end))`: `[start, end)`, empty when `end <= start`.
///
/// # Safety
/// `desc` must be the `List<Int>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_range(desc: *mut u8, start: i64, end: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    ops::range(unsafe { shape(desc) }, start, end).as_ptr()
}

/// `List.length`.
///
/// # Safety
/// `list` must be a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_length(list: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { List::from_raw(list) }.len() as i64
}

/// Whether the list is empty (`[]` patterns).
///
/// # Safety
/// `list` must be a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_is_empty(list: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    u8::from(unsafe { List::from_raw(list) }.is_empty())
}

/// `List.get` / `List.nth` and `for` iteration: element `index`. Panics
/// `List.get: index <i> out of bounds (length <n>)` when out of range.
///
/// # Safety
/// `list` must be a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_get(list: *mut u8, index: i64) -> i64 {
    // SAFETY: forwarded contract.
    let list = unsafe { List::from_raw(list) };
    match usize::try_from(index).ok().and_then(|i| list.get(i)) {
        Some(x) => x as i64,
        None => panic_with(&list::index_error("List.get", index, list.len())),
    }
}

/// Element `index` as an `Option` (`Some(x)` / `None` when out of range), built with
/// `option_desc` (`Some` = tag 0, `None` = tag 1 unless the desc orders them otherwise).
///
/// # Safety
/// `option_desc` must be the `Option<T>` descriptor; `list` a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_get_opt(
    option_desc: *mut u8,
    list: *mut u8,
    index: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (od, list) = unsafe { (desc_of(option_desc), List::from_raw(list)) };
    let got = usize::try_from(index).ok().and_then(|i| list.get(i));
    option(od, got)
}

fn option(desc: Desc, value: Option<u64>) -> *mut u8 {
    use crate::value::generic::object::{none, some};
    match value {
        Some(x) => some(desc, x),
        None => none(desc),
    }
}

/// `List.head` (and the head of a `h :: t` pattern). Panics `List.head: empty list`.
///
/// # Safety
/// `list` must be a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_head(list: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    match unsafe { List::from_raw(list) }.first() {
        Some(x) => x as i64,
        None => panic_with(&list::empty_error("List.head")),
    }
}

/// `List.last`. Panics `List.last: empty list`.
///
/// # Safety
/// `list` must be a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_last(list: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    match unsafe { List::from_raw(list) }.last() {
        Some(x) => x as i64,
        None => panic_with(&list::empty_error("List.last")),
    }
}

/// `List.tail` (and the tail of a `h :: t` pattern): all but the first element, O(1).
/// Panics `List.tail: empty list`.
///
/// # Safety
/// `desc` must be the list's LIST descriptor; `list` a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_tail(desc: *mut u8, list: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    if list.is_empty() {
        panic_with(&list::empty_error("List.tail"));
    }
    list.drop_front(shape, 1).as_ptr()
}

/// `List.append(xs, x)`: a new list with `x` at the end (amortised O(1)).
///
/// # Safety
/// `desc` must be the list's LIST descriptor; `list` a live list; `value` an element word.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_append(
    desc: *mut u8,
    list: *mut u8,
    value: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    list.append(shape, value as u64).as_ptr()
}

/// A new list with `value` in front (`[x] ++ xs`, building `h :: t`; amortised O(1)).
///
/// # Safety
/// As for [`mesh_rt_list_append`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_prepend(
    desc: *mut u8,
    list: *mut u8,
    value: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    list.prepend(shape, value as u64).as_ptr()
}

/// `a ++ b` / `List.concat`.
///
/// # Safety
/// `desc` must be the LIST descriptor of both lists; `a` and `b` live lists.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_concat(
    desc: *mut u8,
    a: *mut u8,
    b: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, a, b) = unsafe { (shape(desc), List::from_raw(a), List::from_raw(b)) };
    a.concat(shape, b).as_ptr()
}

/// `List.reverse`.
///
/// # Safety
/// `desc` must be the list's LIST descriptor; `list` a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_reverse(desc: *mut u8, list: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    list.reverse(shape).as_ptr()
}

/// Elements `[start, end)`, both clamped to `[0, length]`; empty when `end <= start`.
///
/// # Safety
/// As for [`mesh_rt_list_reverse`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_slice(
    desc: *mut u8,
    list: *mut u8,
    start: i64,
    end: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    list.slice(shape, clamp(start), clamp(end)).as_ptr()
}

/// `List.take`: the first `n` elements, `n` clamped to `[0, length]`.
///
/// # Safety
/// As for [`mesh_rt_list_reverse`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_take(desc: *mut u8, list: *mut u8, n: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    list.take(shape, clamp(n)).as_ptr()
}

/// `List.drop`: without the first `n` elements, `n` clamped.
///
/// # Safety
/// As for [`mesh_rt_list_reverse`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_drop(desc: *mut u8, list: *mut u8, n: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    list.drop_front(shape, clamp(n)).as_ptr()
}

/// `List.contains`: structural equality (strings by content).
///
/// # Safety
/// `desc` must be the list's LIST descriptor; `list` a live list; `value` an element word.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_contains(
    desc: *mut u8,
    list: *mut u8,
    value: i64,
) -> u8 {
    // SAFETY: forwarded contract.
    let (d, list) = unsafe { (desc_of(desc), List::from_raw(list)) };
    // SAFETY: forwarded contract.
    u8::from(unsafe { ops::contains(list, d.elem(), value as u64) })
}

/// The index of the first element equal to `value`, or -1.
///
/// # Safety
/// As for [`mesh_rt_list_contains`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_index_of(
    desc: *mut u8,
    list: *mut u8,
    value: i64,
) -> i64 {
    // SAFETY: forwarded contract.
    let (d, list) = unsafe { (desc_of(desc), List::from_raw(list)) };
    // SAFETY: forwarded contract.
    unsafe { ops::index_of(list, d.elem(), value as u64) }.map_or(-1, |i| i as i64)
}

/// `List.sort(xs, cmp)`: stable; `cmp(a, b)` < 0 sorts `a` first. Calls `cmp`.
///
/// # Safety
/// `desc` must be the list's LIST descriptor; `list` a live list; `cmp` a closure of two
/// elements returning an Int.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_sort(
    desc: *mut u8,
    list: *mut u8,
    cmp: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    // SAFETY: forwarded contract.
    unsafe { ops::sort_by(shape, list, cmp) }.as_ptr()
}

/// Sorts by the elements' structural order (derived `Ord`), stable. Never suspends.
///
/// # Safety
/// `desc` must be the list's LIST descriptor; `list` a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_sort_natural(desc: *mut u8, list: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (d, list) = unsafe { (desc_of(desc), List::from_raw(list)) };
    // SAFETY: forwarded contract.
    unsafe { ops::sort(Shape::list(d), list, d.elem()) }.as_ptr()
}

/// `List.map(xs, f)`; `desc` is the result's `List<U>` descriptor. Calls `f`.
///
/// # Safety
/// `list` must be a live list; `f` a closure from its element type to `U`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_map(
    desc: *mut u8,
    list: *mut u8,
    f: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    // SAFETY: forwarded contract.
    unsafe { ops::map(shape, list, f) }.as_ptr()
}

/// `List.filter(xs, pred)`, keeping order. Calls `pred`.
///
/// # Safety
/// `desc` must be the list's LIST descriptor; `list` a live list; `pred` a closure from the
/// element type to Bool.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_filter(
    desc: *mut u8,
    list: *mut u8,
    pred: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    // SAFETY: forwarded contract.
    unsafe { ops::filter(shape, list, pred) }.as_ptr()
}

/// `List.reduce(xs, init, f)`: left fold, `f(acc, x)`. Calls `f`.
///
/// # Safety
/// `list` must be a live list; `f` a closure of (accumulator, element).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_reduce(list: *mut u8, init: i64, f: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    let list = unsafe { List::from_raw(list) };
    // SAFETY: forwarded contract.
    unsafe { ops::reduce(list, init as u64, f) as i64 }
}

/// Calls `f` on each element in order. Calls `f`.
///
/// # Safety
/// `list` must be a live list; `f` a closure of one element.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_each(list: *mut u8, f: *mut u8) {
    // SAFETY: forwarded contract.
    let list = unsafe { List::from_raw(list) };
    // SAFETY: forwarded contract.
    unsafe { ops::each(list, f) }
}

/// `List.any`: short-circuits; `false` for `[]`. Calls `pred`.
///
/// # Safety
/// `list` must be a live list; `pred` a closure from the element type to Bool.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_any(list: *mut u8, pred: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    let list = unsafe { List::from_raw(list) };
    // SAFETY: forwarded contract.
    u8::from(unsafe { ops::any(list, pred) })
}

/// `List.all`: short-circuits; `true` for `[]`. Calls `pred`.
///
/// # Safety
/// As for [`mesh_rt_list_any`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_all(list: *mut u8, pred: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    let list = unsafe { List::from_raw(list) };
    // SAFETY: forwarded contract.
    u8::from(unsafe { ops::all(list, pred) })
}

/// `List.find(xs, pred)`: `Some(first match)` or `None`, built with `option_desc`. Calls `pred`.
///
/// # Safety
/// `option_desc` must be the `Option<T>` descriptor; otherwise as for [`mesh_rt_list_any`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_find(
    option_desc: *mut u8,
    list: *mut u8,
    pred: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (od, list) = unsafe { (desc_of(option_desc), List::from_raw(list)) };
    // SAFETY: forwarded contract.
    option(od, unsafe { ops::find(list, pred) })
}

/// `List.flat_map(xs, f)`; `desc` is the result's `List<U>` descriptor. Calls `f`.
///
/// # Safety
/// `list` must be a live list; `f` a closure from its element type to `List<U>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_flat_map(
    desc: *mut u8,
    list: *mut u8,
    f: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, list) = unsafe { (shape(desc), List::from_raw(list)) };
    // SAFETY: forwarded contract.
    unsafe { ops::flat_map(shape, list, f) }.as_ptr()
}

/// `List.flatten(xss)`; `desc` is the result's `List<T>` descriptor.
///
/// # Safety
/// `lists` must be a live list of lists of `T`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_flatten(desc: *mut u8, lists: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (shape, lists) = unsafe { (shape(desc), List::from_raw(lists)) };
    // SAFETY: forwarded contract.
    unsafe { ops::flatten(shape, lists) }.as_ptr()
}

/// `List.zip(a, b)`: tuples up to the shorter length; `desc` is the result's `List<(T, U)>`
/// descriptor (its element desc types the tuples).
///
/// # Safety
/// `a` and `b` must be live lists of `T` and `U`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_zip(desc: *mut u8, a: *mut u8, b: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (d, a, b) = unsafe { (desc_of(desc), List::from_raw(a), List::from_raw(b)) };
    ops::zip(d, a, b).as_ptr()
}

/// `List.enumerate(xs)`: `(index, element)` tuples from 0; `desc` is the result's
/// `List<(Int, T)>` descriptor.
///
/// # Safety
/// `list` must be a live list.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_enumerate(desc: *mut u8, list: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (d, list) = unsafe { (desc_of(desc), List::from_raw(list)) };
    ops::enumerate(d, list).as_ptr()
}

/// `String.join(parts, sep)`: a new string; `[]` gives `""`.
///
/// # Safety
/// `list` must be a live list of strings; `sep` a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_list_join(list: *mut u8, sep: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (list, sep) = unsafe { (List::from_raw(list), crate::value::string::bytes(sep)) };
    // SAFETY: forwarded contract.
    unsafe { ops::join(list, sep) }
}

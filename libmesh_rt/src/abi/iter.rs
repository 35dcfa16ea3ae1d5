//! Lazy iterators and collectors for generated code (stdlib spec §10; the nodes and the
//! pulling are in `value/iter.rs`).
//!
//! Conventions: type descriptors first, then the arguments. `desc` of an adapter is the
//! result's `Iter<T>` descriptor (OPAQUE "Iter", items[0] = the element type), stored in the
//! node; element values are 64-bit words. Adapters only allocate a node: they never call a
//! closure, never suspend and never panic. Terminals and collectors pull the chain and call
//! its closures (and `pred`/`f`), so they can suspend the actor exactly when those closures
//! can, and panic only when one does. Iterators are single-use: a terminal leaves its
//! iterator (and the iterators it wraps) exhausted as far as it pulled them.

use crate::value::generic::object::{none, some};
use crate::value::iter;
use crate::value::list::{List, Shape};
use crate::value::map::Kind;
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// # Safety
/// `d` must be a descriptor pointer from generated code (see `Desc::from_ptr`).
unsafe fn desc_of(d: *mut u8) -> Desc {
    // SAFETY: forwarded contract.
    unsafe { Desc::from_ptr(d as *const TypeDesc) }
}

/// `Iter.from(xs)`: an iterator over the list's elements from the first.
///
/// # Safety
/// `desc` must be the `Iter<T>` descriptor; `list` a live list of `T`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_from(desc: *mut u8, list: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { iter::from_list(desc_of(desc), List::from_raw(list)) }
}

/// `Iter.map(it, f)`: lazy; `f` runs once per pulled element.
///
/// # Safety
/// `desc` must be the result's `Iter<U>` descriptor; `it` a live iterator; `f` a closure from
/// its element type to `U`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_map(
    desc: *mut u8,
    it: *mut u8,
    f: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    iter::map(unsafe { desc_of(desc) }, it, f)
}

/// `Iter.filter(it, pred)`: lazy.
///
/// # Safety
/// `desc` must be the `Iter<T>` descriptor; `it` a live iterator; `pred` a closure from `T`
/// to Bool.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_filter(
    desc: *mut u8,
    it: *mut u8,
    pred: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    iter::filter(unsafe { desc_of(desc) }, it, pred)
}

/// `Iter.take(it, n)`: at most `n` elements; stops pulling from `it` after them; `n <= 0`
/// yields nothing.
///
/// # Safety
/// `desc` must be the `Iter<T>` descriptor; `it` a live iterator.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_take(desc: *mut u8, it: *mut u8, n: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    iter::take(unsafe { desc_of(desc) }, it, n)
}

/// `Iter.skip(it, n)`: discards the first `n` elements on the first pull.
///
/// # Safety
/// As for [`mesh_rt_iter_take`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_skip(desc: *mut u8, it: *mut u8, n: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    iter::skip(unsafe { desc_of(desc) }, it, n)
}

/// `Iter.enumerate(it)`: `(index, x)` tuples, the index from 0.
///
/// # Safety
/// `desc` must be the `Iter<(Int, T)>` descriptor; `it` a live iterator of `T`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_enumerate(desc: *mut u8, it: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    iter::enumerate(unsafe { desc_of(desc) }, it)
}

/// `Iter.zip(a, b)`: `(x, y)` tuples until either side ends.
///
/// # Safety
/// `desc` must be the `Iter<(T, U)>` descriptor; `a` and `b` live iterators of `T` and `U`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_zip(desc: *mut u8, a: *mut u8, b: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    iter::zip(unsafe { desc_of(desc) }, a, b)
}

/// `Iter.count(it)`: the number of remaining elements (pulls them all).
///
/// # Safety
/// `it` must be a live iterator.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_count(it: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { iter::count(it) }
}

/// `Iter.sum(it)`: wrapping 64-bit sum; empty → 0.
///
/// # Safety
/// `it` must be a live iterator of Int.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_sum(it: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { iter::sum(it) }
}

/// `Iter.any(it, pred)`: short-circuits; `false` when empty.
///
/// # Safety
/// `it` must be a live iterator; `pred` a closure from its element type to Bool.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_any(it: *mut u8, pred: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    u8::from(unsafe { iter::any(it, pred) })
}

/// `Iter.all(it, pred)`: short-circuits; `true` when empty.
///
/// # Safety
/// As for [`mesh_rt_iter_any`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_all(it: *mut u8, pred: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    u8::from(unsafe { iter::all(it, pred) })
}

/// `Iter.find(it, pred)`: `Some(first match)` or `None`, built with `option_desc`;
/// short-circuits.
///
/// # Safety
/// `option_desc` must be the `Option<T>` descriptor; otherwise as for [`mesh_rt_iter_any`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_find(
    option_desc: *mut u8,
    it: *mut u8,
    pred: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let od = unsafe { desc_of(option_desc) };
    // SAFETY: forwarded contract.
    match unsafe { iter::find(it, pred) } {
        Some(x) => some(od, x),
        None => none(od),
    }
}

/// `Iter.reduce(it, init, f)`: left fold `f(acc, x)`; empty → `init`.
///
/// # Safety
/// `it` must be a live iterator of `T`; `init` a `T` word; `f` a closure of two `T`s
/// returning a `T`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_reduce(it: *mut u8, init: i64, f: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { iter::reduce(it, init as u64, f) as i64 }
}

/// `List.collect(it)`: the remaining elements as a new list.
///
/// # Safety
/// `desc` must be the result's `List<T>` descriptor; `it` a live iterator of `T`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_collect_list(desc: *mut u8, it: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { iter::collect_list(Shape::list(desc_of(desc)), it) }.as_ptr()
}

/// `Map.collect(it)`: from `(K, V)` pairs; a later duplicate key overwrites the value and keeps
/// the first position; keys compare structurally (strings by content).
///
/// # Safety
/// `desc` must be the result's `Map<K, V>` descriptor; `it` a live iterator of `(K, V)`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_collect_map(desc: *mut u8, it: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { iter::collect_map(Kind::of(desc_of(desc)), it) }.as_ptr()
}

/// `Set.collect(it)`: duplicates dropped, first occurrences in order.
///
/// # Safety
/// `desc` must be the result's `Set<T>` descriptor; `it` a live iterator of `T`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_collect_set(desc: *mut u8, it: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { iter::collect_set(Kind::of(desc_of(desc)), it) }.as_ptr()
}

/// `String.collect(it)`: the concatenation of the remaining strings; empty → `""`.
///
/// # Safety
/// `it` must be a live iterator of String.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_collect_string(it: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { iter::collect_string(it) }
}

/// `for x in it`: pulls the next element and returns its word, or 0 when the iterator is
/// exhausted, which [`mesh_rt_iter_is_done`] then tells. Calls the chain's closures.
///
/// # Safety
/// `it` must be a live iterator whose closures have the types its descriptors say.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_next(it: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { iter::next(it) }.unwrap_or(0) as i64
}

/// Whether the last pull of `it` found no element (and so every later one): `for` stops.
/// Never suspends.
///
/// # Safety
/// `it` must be a live iterator.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_iter_is_done(it: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    u8::from(unsafe { iter::is_done(it) })
}

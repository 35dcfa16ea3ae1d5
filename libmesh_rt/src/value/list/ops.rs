//! List operations that look at elements: equality-based search, sorting, the higher-order
//! functions of stdlib spec §6 (calling Mesh closures through the closure calling convention)
//! and the builders of derived lists (`zip`, `enumerate`, `flatten`, `join`, ranges).
//!
//! Results are built with [`Builder`], which pushes each new element into a Mesh node at once:
//! values a closure returns are never kept only in a Rust collection, where a collector could not
//! see them. Sorting permutes words in a Rust vector, but every one of them stays reachable from
//! the input list.

use super::{Builder, List, Shape};
use crate::value::generic::{self, object};
use crate::value::typedesc::Desc;
use object::{call1, call2, truthy, Obj};
use std::cmp::Ordering;

/// Whether `list` holds an element structurally equal to `x`.
///
/// # Safety
/// `list` must hold values of `elem` and `x` must be one.
pub unsafe fn contains(list: List, elem: Desc, x: u64) -> bool {
    // SAFETY: forwarded contract.
    unsafe { index_of(list, elem, x) }.is_some()
}

/// The index of the first element structurally equal to `x`.
///
/// # Safety
/// As for [`contains`].
pub unsafe fn index_of(list: List, elem: Desc, x: u64) -> Option<usize> {
    // SAFETY: forwarded contract.
    list.iter().position(|y| unsafe { generic::eq(y, x, elem) })
}

/// The elements in ascending structural order (stable).
///
/// # Safety
/// `list` must hold values of `elem`; `shape` describes the result.
pub unsafe fn sort(shape: Shape, list: List, elem: Desc) -> List {
    let mut words: Vec<u64> = list.iter().collect();
    // SAFETY: forwarded contract.
    merge_sort(&mut words, |a, b| unsafe { generic::compare(a, b, elem) });
    let sorted = List::from_words(shape, &words);
    // The words are only in a Rust vector: keep `list` (which holds them) visibly live until
    // the result is built.
    std::hint::black_box(list);
    sorted
}

/// `List.sort(xs, cmp)`: stable; `cmp(a, b) < 0` puts `a` first. An inconsistent `cmp` gives
/// some permutation, never a failure.
///
/// # Safety
/// `cmp` must be a closure of two elements returning an Int.
pub unsafe fn sort_by(shape: Shape, list: List, cmp: Obj) -> List {
    let mut words: Vec<u64> = list.iter().collect();
    merge_sort(&mut words, |a, b| {
        // SAFETY: forwarded contract.
        let order = unsafe { call2(cmp, a, b) } as i64;
        order.cmp(&0)
    });
    let sorted = List::from_words(shape, &words);
    // As in [`sort`].
    std::hint::black_box(list);
    sorted
}

/// Stable bottom-up merge sort that tolerates any comparator.
fn merge_sort(v: &mut [u64], mut cmp: impl FnMut(u64, u64) -> Ordering) {
    let n = v.len();
    let mut buf = v.to_vec();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut buf[start..end] {
                let take_left = j >= end || (i < mid && cmp(v[i], v[j]) != Ordering::Greater);
                if take_left {
                    *slot = v[i];
                    i += 1;
                } else {
                    *slot = v[j];
                    j += 1;
                }
            }
            start = end;
        }
        v.copy_from_slice(&buf);
        width *= 2;
    }
}

/// `List.map`: `f` applied to each element in order.
///
/// # Safety
/// `f` must be a closure of one element returning a value of `shape`'s element type.
pub unsafe fn map(shape: Shape, list: List, f: Obj) -> List {
    let mut b = Builder::new(shape);
    for x in list.iter() {
        // SAFETY: forwarded contract.
        let y = unsafe { call1(f, x) };
        b.push(y);
    }
    b.finish()
}

/// `List.filter`: the elements for which `pred` is true, in order.
///
/// # Safety
/// `pred` must be a closure of one element returning a Bool.
pub unsafe fn filter(shape: Shape, list: List, pred: Obj) -> List {
    let mut b = Builder::new(shape);
    for x in list.iter() {
        // SAFETY: forwarded contract.
        if truthy(unsafe { call1(pred, x) }) {
            b.push(x);
        }
    }
    b.finish()
}

/// `List.reduce`: left fold from `init`.
///
/// # Safety
/// `f` must be a closure of (accumulator, element) returning an accumulator.
pub unsafe fn reduce(list: List, init: u64, f: Obj) -> u64 {
    // SAFETY: forwarded contract.
    list.iter().fold(init, |acc, x| unsafe { call2(f, acc, x) })
}

/// Calls `f` on each element in order (its results are ignored).
///
/// # Safety
/// `f` must be a closure of one element.
pub unsafe fn each(list: List, f: Obj) {
    for x in list.iter() {
        // SAFETY: forwarded contract.
        unsafe { call1(f, x) };
    }
}

/// `List.any`: short-circuits; false for `[]`.
///
/// # Safety
/// As for [`filter`].
pub unsafe fn any(list: List, pred: Obj) -> bool {
    // SAFETY: forwarded contract.
    list.iter().any(|x| truthy(unsafe { call1(pred, x) }))
}

/// `List.all`: short-circuits; true for `[]`.
///
/// # Safety
/// As for [`filter`].
pub unsafe fn all(list: List, pred: Obj) -> bool {
    // SAFETY: forwarded contract.
    list.iter().all(|x| truthy(unsafe { call1(pred, x) }))
}

/// `List.find`: the first element for which `pred` is true.
///
/// # Safety
/// As for [`filter`].
pub unsafe fn find(list: List, pred: Obj) -> Option<u64> {
    // SAFETY: forwarded contract.
    list.iter().find(|&x| truthy(unsafe { call1(pred, x) }))
}

/// `List.flat_map`: the lists `f` returns, concatenated.
///
/// # Safety
/// `f` must be a closure of one element returning a list of `shape`'s element type.
pub unsafe fn flat_map(shape: Shape, list: List, f: Obj) -> List {
    let mut b = Builder::new(shape);
    for x in list.iter() {
        // SAFETY: forwarded contract: the result is a list.
        let ys = unsafe { List::from_word(call1(f, x)) };
        for y in ys.iter() {
            b.push(y);
        }
    }
    b.finish()
}

/// `List.flatten`.
///
/// # Safety
/// `lists` must be a list of lists.
pub unsafe fn flatten(shape: Shape, lists: List) -> List {
    let mut b = Builder::new(shape);
    for xs in lists.iter() {
        // SAFETY: forwarded contract.
        for x in unsafe { List::from_word(xs) }.iter() {
            b.push(x);
        }
    }
    b.finish()
}

/// `List.zip`: pairs up to the shorter length, as tuples of `list_desc`'s element desc.
pub fn zip(list_desc: Desc, a: List, b: List) -> List {
    let tuple = list_desc.elem();
    let mut out = Builder::new(Shape::list(list_desc));
    for (x, y) in a.iter().zip(b.iter()) {
        let t = object::alloc_tuple(tuple, &[x, y]);
        out.push(t as u64);
    }
    out.finish()
}

/// `List.enumerate`: `(index, element)` tuples of `list_desc`'s element desc.
pub fn enumerate(list_desc: Desc, list: List) -> List {
    let tuple = list_desc.elem();
    let mut out = Builder::new(Shape::list(list_desc));
    for (i, x) in list.iter().enumerate() {
        let t = object::alloc_tuple(tuple, &[i as u64, x]);
        out.push(t as u64);
    }
    out.finish()
}

/// `String.join(parts, sep)` as a new string: `[]` gives `""`.
///
/// # Safety
/// `list` must be a list of strings.
pub unsafe fn join(list: List, sep: &[u8]) -> Obj {
    let mut bytes = Vec::new();
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            bytes.extend_from_slice(sep);
        }
        // SAFETY: forwarded contract.
        bytes.extend_from_slice(unsafe { crate::value::string::bytes(s as Obj) });
    }
    crate::value::string::alloc_concat(&[&bytes])
}

/// `Range.to_list`: `[start, end)` ascending, empty when `end <= start`.
pub fn range(shape: Shape, start: i64, end: i64) -> List {
    let mut b = Builder::new(shape);
    for i in start..end {
        b.push(i as u64);
    }
    b.finish()
}

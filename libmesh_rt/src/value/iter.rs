//! Lazy iterators (stdlib spec §10): `Iter.from(list)` and the adapters (`map`, `filter`,
//! `take`, `skip`, `enumerate`, `zip`) build a chain of iterator nodes without running
//! anything; terminals (`count`, `sum`, `any`, `all`, `find`, `reduce`), the collectors
//! (`List/Map/Set/String.collect`) and `for x in it` loops pull elements through the chain one
//! at a time with [`next`], calling the adapters' closures only then.
//!
//! An iterator is one `KIND_NODE` object (so the collector traces it from its header):
//!
//! ```text
//! word 1 (header): the Iter<T> descriptor (OPAQUE "Iter", items[0] = T)
//! payload 0 OP    raw    which node this is (`Op`)
//! payload 1 COUNT raw    list index / items left to take / items left to skip / next index
//! payload 2 DONE  raw    1 once the node has returned "no more elements"
//! payload 3 A     ptr    the source list, or the inner iterator
//! payload 4 B     ptr    the closure (map, filter), the second iterator (zip), or null
//! ```
//!
//! The spec makes iterators single-use (after a terminal an iterator is exhausted), so unlike
//! every other runtime object an iterator node changes after it is published: pulling an
//! element advances COUNT and sets DONE. Only the raw prefix is ever written after
//! allocation, never a pointer word, so the collector's view of the object graph does not
//! change. A node that returned "no more" stays done (fused): a `zip` whose first side ended
//! never pulls from either side again.
//!
//! GC: elements pulled through the chain live in Rust locals (the native stack, scanned
//! conservatively) while closures run and allocate; collectors push each element into a Mesh
//! object at once (list `Builder`, map/set tables), never into a Rust collection.

use crate::value::generic::object::{self, alloc_node, alloc_tuple, call1, call2, truthy, Obj};
use crate::value::list::{Builder, List, Shape};
use crate::value::map::{Kind, Table};
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::PAYLOAD_OFFSET;

const OP: usize = 0;
const COUNT: usize = 1;
const DONE: usize = 2;
const A: usize = 3;
const B: usize = 4;
/// Words OP, COUNT and DONE are not pointers.
const RAW: usize = 3;
const WORDS: usize = 5;

/// What an iterator node does when pulled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
enum Op {
    /// Yields the elements of list A from index COUNT.
    List = 1,
    /// Yields B(x) for each x of A.
    Map = 2,
    /// Yields the x of A for which B(x) is true.
    Filter = 3,
    /// Yields at most COUNT more elements of A, then stops pulling.
    Take = 4,
    /// Discards COUNT elements of A on the first pull, then yields the rest.
    Skip = 5,
    /// Yields (COUNT, x) for each x of A, COUNT counting from 0.
    Enumerate = 6,
    /// Yields (x, y) pairing A and B until either ends.
    Zip = 7,
}

impl Op {
    fn from_word(w: u64) -> Op {
        match w {
            1 => Op::List,
            2 => Op::Map,
            3 => Op::Filter,
            4 => Op::Take,
            5 => Op::Skip,
            6 => Op::Enumerate,
            7 => Op::Zip,
            _ => panic!("corrupt iterator node (op {w})"),
        }
    }
}

/// `Iter.from(list)`; `desc` is the `Iter<T>` descriptor.
pub fn from_list(desc: Desc, list: List) -> Obj {
    node(desc, Op::List, 0, list.as_ptr(), std::ptr::null_mut())
}

/// `Iter.map(it, f)`; `desc` is the result's `Iter<U>` descriptor.
pub fn map(desc: Desc, it: Obj, f: Obj) -> Obj {
    node(desc, Op::Map, 0, it, f)
}

/// `Iter.filter(it, pred)`.
pub fn filter(desc: Desc, it: Obj, pred: Obj) -> Obj {
    node(desc, Op::Filter, 0, it, pred)
}

/// `Iter.take(it, n)`: `n <= 0` yields nothing (and never pulls from `it`).
pub fn take(desc: Desc, it: Obj, n: i64) -> Obj {
    node(desc, Op::Take, n.max(0) as u64, it, std::ptr::null_mut())
}

/// `Iter.skip(it, n)`: `n <= 0` skips nothing.
pub fn skip(desc: Desc, it: Obj, n: i64) -> Obj {
    node(desc, Op::Skip, n.max(0) as u64, it, std::ptr::null_mut())
}

/// `Iter.enumerate(it)`; `desc` is the `Iter<(Int, T)>` descriptor (its element desc types
/// the tuples).
pub fn enumerate(desc: Desc, it: Obj) -> Obj {
    node(desc, Op::Enumerate, 0, it, std::ptr::null_mut())
}

/// `Iter.zip(a, b)`; `desc` is the `Iter<(T, U)>` descriptor.
pub fn zip(desc: Desc, a: Obj, b: Obj) -> Obj {
    node(desc, Op::Zip, 0, a, b)
}

fn node(desc: Desc, op: Op, count: u64, a: Obj, b: Obj) -> Obj {
    let obj = alloc_node(desc, RAW, WORDS);
    // SAFETY: `obj` is a fresh node of WORDS payload words that nobody has seen yet.
    unsafe {
        object::set_word(obj, OP, op as u64);
        object::set_word(obj, COUNT, count);
        object::set_word(obj, A, a as u64);
        object::set_word(obj, B, b as u64);
    }
    obj
}

/// Raw word `i` of iterator node `it`.
///
/// # Safety
/// `it` must be a live iterator node.
unsafe fn get(it: Obj, i: usize) -> u64 {
    // SAFETY: iterator nodes have WORDS payload words (contract).
    unsafe { object::word(it, i) }
}

/// Updates raw word `i` (< RAW) of a published iterator node: the one mutation the runtime
/// allows on a published object (module docs).
///
/// # Safety
/// `it` must be a live iterator node.
unsafe fn put(it: Obj, i: usize, value: u64) {
    debug_assert!(i < RAW);
    // SAFETY: iterator nodes have WORDS payload words; raw words hold no pointers, so the
    // collector's view of the graph is unchanged, and nothing else caches them.
    unsafe { (it.add(PAYLOAD_OFFSET) as *mut u64).add(i).write(value) }
}

/// The element descriptor of an iterator (`T` of its `Iter<T>` desc).
///
/// # Safety
/// `it` must be a live iterator node.
unsafe fn elem_desc(it: Obj) -> Desc {
    // SAFETY: word 1 of a node is the descriptor it was built with, an `Iter<T>` desc from
    // generated code (contract).
    unsafe { Desc::from_ptr((it as *const u64).add(1).read() as *const _) }.elem()
}

/// Pulls the next element of `it`, running the adapters' closures as needed; `None` when the
/// iterator is exhausted (and from then on).
///
/// # Safety
/// `it` must be a live iterator node whose closures have the types its descriptors say.
pub unsafe fn next(it: Obj) -> Option<u64> {
    // Pulling recurses once per adapter of the chain on the process stack, which has no guard
    // page (sched/stack.rs): a chain too deep for it ends the process with "stack overflow"
    // like deep recursion in generated code, instead of running into another stack.
    crate::sched::stack_check();
    // SAFETY: `it` is a live iterator node (contract); so are the nodes it points to, and its
    // closures take and return what the chain's descriptors say.
    unsafe {
        if get(it, DONE) != 0 {
            return None;
        }
        let got = pull(it);
        if got.is_none() {
            put(it, DONE, 1);
        }
        got
    }
}

/// Whether `it` is exhausted: a pull found no element (`for x in it` pulls with [`next`] and
/// then asks this, so an element needs no `Option` object).
///
/// # Safety
/// `it` must be a live iterator node.
pub unsafe fn is_done(it: Obj) -> bool {
    // SAFETY: forwarded contract.
    unsafe { get(it, DONE) != 0 }
}

/// One step of `next` for a node that is not done yet.
///
/// # Safety
/// As for [`next`].
unsafe fn pull(it: Obj) -> Option<u64> {
    // SAFETY: forwarded contract: A and B hold what the node's op says.
    unsafe {
        let a = get(it, A) as Obj;
        let b = get(it, B) as Obj;
        match Op::from_word(get(it, OP)) {
            Op::List => {
                let i = get(it, COUNT);
                let x = List::from_raw(a).get(i as usize)?;
                put(it, COUNT, i + 1);
                Some(x)
            }
            Op::Map => next(a).map(|x| call1(b, x)),
            Op::Filter => loop {
                let x = next(a)?;
                if truthy(call1(b, x)) {
                    return Some(x);
                }
            },
            Op::Take => {
                let left = get(it, COUNT);
                if left == 0 {
                    return None;
                }
                put(it, COUNT, left - 1);
                next(a)
            }
            Op::Skip => {
                while get(it, COUNT) > 0 {
                    put(it, COUNT, get(it, COUNT) - 1);
                    next(a)?;
                }
                next(a)
            }
            Op::Enumerate => {
                let x = next(a)?;
                let i = get(it, COUNT);
                put(it, COUNT, i + 1);
                Some(alloc_tuple(elem_desc(it), &[i, x]) as u64)
            }
            Op::Zip => {
                let x = next(a)?;
                let y = next(b)?;
                Some(alloc_tuple(elem_desc(it), &[x, y]) as u64)
            }
        }
    }
}

/// `Iter.count`: pulls every element.
///
/// # Safety
/// As for [`next`].
pub unsafe fn count(it: Obj) -> i64 {
    let mut n: i64 = 0;
    // SAFETY: forwarded contract.
    while unsafe { next(it) }.is_some() {
        n = n.wrapping_add(1);
    }
    n
}

/// `Iter.sum` of an `Iter<Int>`: wrapping 64-bit addition; empty → 0.
///
/// # Safety
/// As for [`next`], and the elements must be Ints.
pub unsafe fn sum(it: Obj) -> i64 {
    let mut total: i64 = 0;
    // SAFETY: forwarded contract.
    while let Some(x) = unsafe { next(it) } {
        total = total.wrapping_add(x as i64);
    }
    total
}

/// `Iter.find`: the first element for which `pred` holds; stops pulling there.
///
/// # Safety
/// As for [`next`]; `pred` must be a closure from the element type to Bool.
pub unsafe fn find(it: Obj, pred: Obj) -> Option<u64> {
    // SAFETY: forwarded contract.
    while let Some(x) = unsafe { next(it) } {
        // SAFETY: forwarded contract.
        if truthy(unsafe { call1(pred, x) }) {
            return Some(x);
        }
    }
    None
}

/// `Iter.any`: short-circuits; `false` when empty.
///
/// # Safety
/// As for [`find`].
pub unsafe fn any(it: Obj, pred: Obj) -> bool {
    // SAFETY: forwarded contract.
    unsafe { find(it, pred) }.is_some()
}

/// `Iter.all`: short-circuits at the first failing element; `true` when empty.
///
/// # Safety
/// As for [`find`].
pub unsafe fn all(it: Obj, pred: Obj) -> bool {
    // SAFETY: forwarded contract.
    while let Some(x) = unsafe { next(it) } {
        // SAFETY: forwarded contract.
        if !truthy(unsafe { call1(pred, x) }) {
            return false;
        }
    }
    true
}

/// `Iter.reduce(it, init, f)`: left fold `f(acc, x)`; empty → `init`.
///
/// # Safety
/// As for [`next`]; `f` must be a closure of (accumulator, element).
pub unsafe fn reduce(it: Obj, init: u64, f: Obj) -> u64 {
    let mut acc = init;
    // SAFETY: forwarded contract.
    while let Some(x) = unsafe { next(it) } {
        // SAFETY: forwarded contract.
        acc = unsafe { call2(f, acc, x) };
    }
    acc
}

/// `List.collect`: the remaining elements in order; `shape` is the result's list shape.
///
/// # Safety
/// As for [`next`], and `shape`'s element type must be the iterator's.
pub unsafe fn collect_list(shape: Shape, it: Obj) -> List {
    let mut b = Builder::new(shape);
    // SAFETY: forwarded contract.
    while let Some(x) = unsafe { next(it) } {
        b.push(x);
    }
    b.finish()
}

/// `Map.collect` of an iterator of `(K, V)` tuples: later duplicate keys overwrite earlier
/// ones (keeping the first position), as `Map.from_list`.
///
/// # Safety
/// As for [`next`], and the elements must be `(K, V)` tuples of `kind`'s types.
pub unsafe fn collect_map(kind: Kind, it: Obj) -> Table {
    let mut table = Table::empty(kind);
    // SAFETY: forwarded contract: every element is a live two-field tuple.
    while let Some(pair) = unsafe { next(it) } {
        // SAFETY: as above.
        let (k, v) = unsafe { (object::word(pair as Obj, 0), object::word(pair as Obj, 1)) };
        // SAFETY: `k` and `v` are values of the map's key and value types.
        table = unsafe { table.put(kind, k, v) };
    }
    table
}

/// `Set.collect`: first occurrences in order.
///
/// # Safety
/// As for [`next`], and the elements must be values of `kind`'s element type.
pub unsafe fn collect_set(kind: Kind, it: Obj) -> Table {
    let mut table = Table::empty(kind);
    // SAFETY: forwarded contract.
    while let Some(x) = unsafe { next(it) } {
        // SAFETY: `x` is a value of the set's element type.
        table = unsafe { table.put(kind, x, 0) };
    }
    table
}

/// `String.collect`: the concatenation of every yielded string.
///
/// # Safety
/// As for [`next`], and the elements must be strings.
pub unsafe fn collect_string(it: Obj) -> Obj {
    // Bytes, not Mesh values, so a Rust buffer is fine here.
    let mut out: Vec<u8> = Vec::new();
    // SAFETY: forwarded contract: every element is a live string.
    while let Some(s) = unsafe { next(it) } {
        // SAFETY: as above.
        out.extend_from_slice(unsafe { crate::value::string::bytes(s as *const u8) });
    }
    crate::value::string::alloc_concat(&[&out])
}

#[cfg(test)]
mod tests;

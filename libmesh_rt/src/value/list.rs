//! Mesh lists (stdlib spec §6): an immutable, structure-sharing vector that is cheap at both
//! ends, so `List.append` loops, `[x] ++ xs`, `h :: t` recursion and indexing are all fast.
//!
//! **Structure.** Elements live at consecutive *virtual* indices `[lo, hi)` of a 64-bit space
//! that starts in the middle (`ORIGIN`), cut into aligned blocks of 32. The block holding the
//! last element is the *tail* leaf; the block holding the first element, when it is another
//! block, may be cached as the *front* leaf; every block in between is a full leaf of a
//! 32-way trie (`list/trie.rs`) that can grow a level on either side. Element `i` is at virtual
//! index `lo + i`, slot `(lo + i) % 32` of its leaf. All of this sits in one header node.
//!
//! **Complexity.** `get`: O(log32 n) (the ends O(1)). `append` and prepend: amortised O(1):
//! they copy one leaf (≤ 32 words) and the header, plus an O(log32 n) trie path every 32
//! operations. `tail`/`drop`: O(1) (move `lo`). `take`/`slice`: O(log32 n). `set`: O(log32 n).
//! `concat(a, b)`: O(min(|a|, |b|)) when the shorter side has at most 32 elements, otherwise
//! O(|b|) (no RRB concatenation). `reverse`, `map`, `filter`: O(n).
//!
//! **Memory.** Header, trie nodes and leaves are `KIND_NODE`s whose word 1 is the list's desc.
//! Leaves of immediate elements (Int, Float, Bool) are all raw words; leaves of heap elements
//! have no raw prefix and unused slots are null. A list keeps the leaves of elements dropped by
//! `tail`/`take` alive (like any slice). Published nodes are never modified; [`Builder`] fills
//! nodes it has just allocated in place.

pub mod ops;
mod trie;

#[cfg(test)]
mod tests;

use crate::value::generic::object::{alloc_node, aux, copy_node, set_word, word, Obj};
use crate::value::typedesc::Desc;
use trie::{Trie, MASK, WIDTH};

/// Virtual index of the first element of a fresh list (room to prepend 2^62 elements).
const ORIGIN: u64 = 1 << 62;
/// Header payload: lo, hi, trie base, trie shift (raw), then root, front, tail (pointers).
const HEADER_WORDS: usize = 7;
const HEADER_RAW: usize = 4;

/// The panic message of an out-of-range index (stdlib spec §6, `List.get`).
pub fn index_error(op: &str, index: i64, len: usize) -> String {
    format!("{op}: index {index} out of bounds (length {len})")
}

/// The panic message of `head`/`last`/`tail` on `[]` (stdlib spec §6).
pub fn empty_error(op: &str) -> String {
    format!("{op}: empty list")
}

/// A Mesh list: a pointer to a list header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct List(Obj);

/// What nodes of a list are built with: the desc stored in their headers and whether the
/// elements are heap pointers (which decides the leaves' raw prefix).
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub desc: Desc,
    pub heap: bool,
}

impl Shape {
    /// The shape of lists of the LIST desc `desc`.
    pub fn list(desc: Desc) -> Shape {
        Shape {
            desc,
            heap: desc.elem().is_heap(),
        }
    }

    fn leaf(self, words: usize) -> Obj {
        alloc_node(self.desc, self.raw(words), words)
    }

    fn copy_leaf(self, leaf: Obj, words: usize) -> Obj {
        // SAFETY: callers pass live leaves of this list.
        unsafe { copy_node(leaf, self.raw(words), words) }
    }

    fn raw(self, words: usize) -> usize {
        if self.heap {
            0
        } else {
            words
        }
    }
}

/// The decoded header.
#[derive(Clone, Copy, Debug)]
struct Parts {
    lo: u64,
    hi: u64,
    trie: Trie,
    /// Null, or the leaf of `block(lo)` when that is not the tail's block.
    front: Obj,
    /// Null only when empty: the leaf of `block(hi - 1)`, at least `hi - block(hi - 1)` long.
    tail: Obj,
}

fn block(v: u64) -> u64 {
    v & !MASK
}

/// Word `slot` of a leaf.
fn slot(leaf: Obj, v: u64) -> u64 {
    // SAFETY: leaves are live nodes holding every slot of their block up to the list's end.
    unsafe { word(leaf, (v & MASK) as usize) }
}

/// Writes slot `v % 32` of a leaf the caller has just allocated.
fn put(leaf: Obj, v: u64, x: u64) {
    // SAFETY: callers pass fresh leaves with more than `v % 32` words.
    unsafe { set_word(leaf, (v & MASK) as usize, x) }
}

fn leaf_len(leaf: Obj) -> usize {
    // SAFETY: leaves are live nodes.
    unsafe { aux(leaf) as usize }
}

impl Parts {
    fn empty() -> Parts {
        Parts {
            lo: ORIGIN,
            hi: ORIGIN,
            trie: Trie::EMPTY,
            front: std::ptr::null_mut(),
            tail: std::ptr::null_mut(),
        }
    }

    fn len(&self) -> u64 {
        self.hi - self.lo
    }

    fn store(&self, shape: Shape) -> List {
        if self.lo == self.hi {
            return List::empty(shape);
        }
        let h = alloc_node(shape.desc, HEADER_RAW, HEADER_WORDS);
        let words = [
            self.lo,
            self.hi,
            self.trie.base,
            u64::from(self.trie.shift),
            self.trie.root as u64,
            self.front as u64,
            self.tail as u64,
        ];
        for (i, w) in words.into_iter().enumerate() {
            // SAFETY: `h` is a fresh header of HEADER_WORDS words.
            unsafe { set_word(h, i, w) };
        }
        List(h)
    }

    /// The leaf holding block `b`, which lies within `[block(lo), block(hi - 1)]`.
    fn leaf_for(&self, b: u64) -> Obj {
        if b == block(self.hi - 1) {
            self.tail
        } else if !self.front.is_null() && b == block(self.lo) {
            self.front
        } else {
            self.trie.leaf(b)
        }
    }

    fn at(&self, v: u64) -> u64 {
        slot(self.leaf_for(block(v)), v)
    }

    /// Moves the full tail leaf out of the way before the tail moves to the next block.
    fn push_back_leaf(&mut self, shape: Shape) {
        let t = block(self.hi - 1);
        if block(self.lo) == t {
            self.front = self.tail;
        } else {
            self.trie = self.trie.insert(shape.desc, t, self.tail, false);
        }
    }

    /// Moves the front leaf into the trie before the front moves to the previous block.
    fn push_front_leaf(&mut self, shape: Shape) {
        if !self.front.is_null() {
            self.trie = self
                .trie
                .insert(shape.desc, block(self.lo), self.front, true);
            self.front = std::ptr::null_mut();
        }
    }

    /// A list of the single element `x`.
    fn single(shape: Shape, x: u64) -> Parts {
        let mut p = Parts::empty();
        p.tail = shape.leaf(1);
        put(p.tail, p.hi, x);
        p.hi += 1;
        p
    }
}

impl List {
    /// Views a list pointer.
    ///
    /// # Safety
    /// `ptr` must point to a live list header built by this module.
    pub unsafe fn from_raw(ptr: *mut u8) -> List {
        List(ptr)
    }

    /// Views a value word of a `List<T>` type.
    ///
    /// # Safety
    /// As for [`List::from_raw`].
    pub unsafe fn from_word(w: u64) -> List {
        List(w as Obj)
    }

    pub fn as_ptr(self) -> *mut u8 {
        self.0
    }

    pub fn as_word(self) -> u64 {
        self.0 as u64
    }

    /// The empty list.
    pub fn empty(shape: Shape) -> List {
        let h = alloc_node(shape.desc, HEADER_RAW, HEADER_WORDS);
        // SAFETY: `h` is a fresh header.
        unsafe {
            set_word(h, 0, ORIGIN);
            set_word(h, 1, ORIGIN);
            set_word(h, 3, u64::from(trie::BITS));
        }
        List(h)
    }

    /// A list of `words` in order.
    pub fn from_words(shape: Shape, words: &[u64]) -> List {
        if !words.is_empty() && words.len() <= WIDTH {
            // One leaf of exactly these words (a list literal): later appends copy it.
            let mut p = Parts::empty();
            p.tail = shape.leaf(words.len());
            for &w in words {
                put(p.tail, p.hi, w);
                p.hi += 1;
            }
            return p.store(shape);
        }
        let mut b = Builder::new(shape);
        for &w in words {
            b.push(w);
        }
        b.finish()
    }

    fn parts(self) -> Parts {
        // SAFETY: a `List` points to a live header of HEADER_WORDS words.
        let w = |i| unsafe { word(self.0, i) };
        Parts {
            lo: w(0),
            hi: w(1),
            trie: Trie {
                base: w(2),
                shift: w(3) as u32,
                root: w(4) as Obj,
            },
            front: w(5) as Obj,
            tail: w(6) as Obj,
        }
    }

    pub fn len(self) -> usize {
        self.parts().len() as usize
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Element `i`, or `None` when out of range.
    pub fn get(self, i: usize) -> Option<u64> {
        let p = self.parts();
        (i < p.len() as usize).then(|| p.at(p.lo + i as u64))
    }

    pub fn first(self) -> Option<u64> {
        self.get(0)
    }

    pub fn last(self) -> Option<u64> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The elements in order (or, through `rev`, in reverse).
    pub fn iter(self) -> Iter {
        let p = self.parts();
        Iter {
            parts: p,
            front: p.lo,
            back: p.hi,
            cache: [(u64::MAX, std::ptr::null_mut()); 2],
        }
    }

    /// A new list with `x` at the end.
    pub fn append(self, shape: Shape, x: u64) -> List {
        let mut p = self.parts();
        if p.len() == 0 {
            return Parts::single(shape, x).store(shape);
        }
        if p.hi & MASK != 0 {
            let len = leaf_len(p.tail).max((p.hi & MASK) as usize + 1);
            p.tail = shape.copy_leaf(p.tail, len);
        } else {
            p.push_back_leaf(shape);
            p.tail = shape.leaf(1);
        }
        put(p.tail, p.hi, x);
        p.hi += 1;
        p.store(shape)
    }

    /// A new list with `x` at the front.
    pub fn prepend(self, shape: Shape, x: u64) -> List {
        let mut p = self.parts();
        if p.len() == 0 {
            return Parts::single(shape, x).store(shape);
        }
        let v = p.lo - 1;
        let lb = block(p.lo);
        if p.lo & MASK != 0 {
            if lb == block(p.hi - 1) {
                p.tail = shape.copy_leaf(p.tail, leaf_len(p.tail));
                put(p.tail, v, x);
            } else {
                // A trie leaf copied here shadows the trie's (now stale) copy of this block.
                let leaf = if p.front.is_null() {
                    p.trie.leaf(lb)
                } else {
                    p.front
                };
                p.front = shape.copy_leaf(leaf, WIDTH);
                put(p.front, v, x);
            }
        } else {
            p.push_front_leaf(shape);
            p.front = shape.leaf(WIDTH);
            put(p.front, v, x);
        }
        p.lo = v;
        p.store(shape)
    }

    /// Without the first `n` elements (clamped).
    pub fn drop_front(self, shape: Shape, n: usize) -> List {
        let mut p = self.parts();
        if n as u64 >= p.len() {
            return List::empty(shape);
        }
        if n == 0 {
            return self;
        }
        let lo = p.lo + n as u64;
        if block(lo) != block(p.lo) {
            p.front = std::ptr::null_mut();
        }
        p.lo = lo;
        p.store(shape)
    }

    /// The first `n` elements (clamped).
    pub fn take(self, shape: Shape, n: usize) -> List {
        let mut p = self.parts();
        if n as u64 >= p.len() {
            return self;
        }
        if n == 0 {
            return List::empty(shape);
        }
        let hi = p.lo + n as u64;
        let nt = block(hi - 1);
        if nt != block(p.hi - 1) {
            p.tail = if !p.front.is_null() && nt == block(p.lo) {
                std::mem::replace(&mut p.front, std::ptr::null_mut())
            } else {
                p.trie.leaf(nt)
            };
        }
        p.hi = hi;
        p.store(shape)
    }

    /// Elements `[start, end)`, both clamped to `[0, len]`; empty when `end <= start`.
    pub fn slice(self, shape: Shape, start: usize, end: usize) -> List {
        let end = end.min(self.len());
        if end <= start {
            return List::empty(shape);
        }
        self.take(shape, end).drop_front(shape, start)
    }

    /// A new list with element `i` replaced by `x`; `None` when `i` is out of range.
    pub fn set(self, shape: Shape, i: usize, x: u64) -> Option<List> {
        let mut p = self.parts();
        if i as u64 >= p.len() {
            return None;
        }
        let v = p.lo + i as u64;
        let b = block(v);
        if b == block(p.hi - 1) {
            p.tail = shape.copy_leaf(p.tail, leaf_len(p.tail));
            put(p.tail, v, x);
        } else if !p.front.is_null() && b == block(p.lo) {
            p.front = shape.copy_leaf(p.front, WIDTH);
            put(p.front, v, x);
        } else {
            let leaf = shape.copy_leaf(p.trie.leaf(b), WIDTH);
            put(leaf, v, x);
            p.trie = p.trie.insert(shape.desc, b, leaf, false);
        }
        Some(p.store(shape))
    }

    /// `self ++ other`.
    pub fn concat(self, shape: Shape, other: List) -> List {
        let (n, m) = (self.len(), other.len());
        if n == 0 {
            return other;
        }
        if m == 0 {
            return self;
        }
        if n <= WIDTH && n < m {
            return self
                .iter()
                .rev()
                .fold(other, |acc, x| acc.prepend(shape, x));
        }
        let mut b = Builder::extend(shape, self);
        for x in other.iter() {
            b.push(x);
        }
        b.finish()
    }

    /// The elements in reverse order.
    pub fn reverse(self, shape: Shape) -> List {
        let mut b = Builder::new(shape);
        for x in self.iter().rev() {
            b.push(x);
        }
        b.finish()
    }
}

/// Iterator over a list's elements (double-ended).
pub struct Iter {
    parts: Parts,
    front: u64,
    back: u64,
    /// The last leaf used at each end, with its block.
    cache: [(u64, Obj); 2],
}

impl Iter {
    fn at(&mut self, end: usize, v: u64) -> u64 {
        let b = block(v);
        if self.cache[end].0 != b {
            self.cache[end] = (b, self.parts.leaf_for(b));
        }
        slot(self.cache[end].1, v)
    }
}

impl Iterator for Iter {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.front >= self.back {
            return None;
        }
        let x = self.at(0, self.front);
        self.front += 1;
        Some(x)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = (self.back - self.front) as usize;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter {
    fn next_back(&mut self) -> Option<u64> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        Some(self.at(1, self.back))
    }
}

impl ExactSizeIterator for Iter {}

/// Builds a list by appending in place to nodes it owns: one 32-slot leaf per 32 elements and
/// a trie path per full leaf. The list is published by [`Builder::finish`].
pub struct Builder {
    shape: Shape,
    parts: Parts,
}

impl Builder {
    pub fn new(shape: Shape) -> Builder {
        Builder {
            shape,
            parts: Parts::empty(),
        }
    }

    /// A builder that continues after the elements of `list` (sharing all but its tail leaf).
    pub fn extend(shape: Shape, list: List) -> Builder {
        let mut parts = list.parts();
        if parts.len() == 0 {
            return Builder::new(shape);
        }
        parts.tail = shape.copy_leaf(parts.tail, WIDTH);
        Builder { shape, parts }
    }

    pub fn len(&self) -> usize {
        self.parts.len() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push(&mut self, x: u64) {
        let p = &mut self.parts;
        if p.len() == 0 {
            *p = Parts::empty();
            p.tail = self.shape.leaf(WIDTH);
        } else if p.hi & MASK == 0 {
            p.push_back_leaf(self.shape);
            p.tail = self.shape.leaf(WIDTH);
        }
        // The tail is a fresh leaf of 32 slots owned by this builder.
        put(p.tail, p.hi, x);
        p.hi += 1;
    }

    pub fn finish(self) -> List {
        self.parts.store(self.shape)
    }
}

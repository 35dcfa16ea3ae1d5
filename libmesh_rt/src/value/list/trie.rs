//! The 32-way trie inside a list (see `list.rs` for the whole structure): full 32-element
//! leaves addressed by their virtual block index. The trie covers `[base, base + (32 << shift))`
//! and grows a level at a time on either side, so both ends of a list can push leaves into it.
//! Updates copy the path from the root (at most 13 nodes of 32 words); nothing is mutated.

use crate::value::generic::object::{alloc_node, copy_node, set_word, word, Obj};
use crate::value::typedesc::Desc;

/// Bits of index per level.
pub(super) const BITS: u32 = 5;
/// Elements per leaf and children per internal node.
pub(super) const WIDTH: usize = 1 << BITS;
/// Mask of the index within a leaf.
pub(super) const MASK: u64 = WIDTH as u64 - 1;

/// A trie of leaves (null root when empty). Internal nodes are `KIND_NODE`s of 32 child
/// pointers (null where no leaf was ever stored); leaves are the list's leaf nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Trie {
    pub root: Obj,
    /// Index shift of the root's children: 5 when they are leaves, +5 per level above.
    pub shift: u32,
    /// Virtual index of the first element the root covers (a multiple of 32).
    pub base: u64,
}

impl Trie {
    pub const EMPTY: Trie = Trie {
        root: std::ptr::null_mut(),
        shift: BITS,
        base: 0,
    };

    /// Number of virtual indices the root covers.
    fn span(self) -> u64 {
        if self.shift >= 58 {
            u64::MAX
        } else {
            (WIDTH as u64) << self.shift
        }
    }

    /// The leaf stored for the block starting at virtual index `block`.
    ///
    /// The caller guarantees that a leaf was stored for `block` (the list invariant: every
    /// block strictly between the front block and the tail block is in the trie).
    pub fn leaf(self, block: u64) -> Obj {
        let rel = block.wrapping_sub(self.base);
        let mut node = self.root;
        let mut shift = self.shift;
        while shift > 0 {
            debug_assert!(!node.is_null(), "list trie: missing block {block}");
            // SAFETY: internal nodes have 32 payload words and the index is masked to 0..32.
            node = unsafe { word(node, ((rel >> shift) & MASK) as usize) } as Obj;
            shift -= BITS;
        }
        node
    }

    /// A trie that also (or instead) holds `leaf` for `block`. `from_front` says which side the
    /// list is growing on, so a fresh root leaves room on that side.
    pub fn insert(self, desc: Desc, block: u64, leaf: Obj, from_front: bool) -> Trie {
        let mut t = self;
        if t.root.is_null() {
            t = Trie {
                root: alloc_node(desc, 0, WIDTH),
                shift: BITS,
                base: if from_front {
                    block - (WIDTH as u64 - 1) * WIDTH as u64
                } else {
                    block
                },
            };
        }
        while block < t.base || block - t.base >= t.span() {
            let up = alloc_node(desc, 0, WIDTH);
            let span = t.span();
            if block < t.base {
                // SAFETY: `up` is fresh with 32 payload words.
                unsafe { set_word(up, WIDTH - 1, t.root as u64) };
                t.base -= (WIDTH as u64 - 1) * span;
            } else {
                // SAFETY: as above.
                unsafe { set_word(up, 0, t.root as u64) };
            }
            t.root = up;
            t.shift += BITS;
        }
        t.root = assoc(desc, t.root, t.shift, block - t.base, leaf);
        t
    }
}

/// A copy of `node` (or a fresh node when null) with the path to `rel` leading to `leaf`.
fn assoc(desc: Desc, node: Obj, shift: u32, rel: u64, leaf: Obj) -> Obj {
    let copy = if node.is_null() {
        alloc_node(desc, 0, WIDTH)
    } else {
        // SAFETY: `node` is a live internal node of 32 words.
        unsafe { copy_node(node, 0, WIDTH) }
    };
    let i = ((rel >> shift) & MASK) as usize;
    let child = if shift == BITS {
        leaf
    } else {
        let old = if node.is_null() {
            std::ptr::null_mut()
        } else {
            // SAFETY: `node` has 32 words and `i < 32`.
            unsafe { word(node, i) as Obj }
        };
        assoc(desc, old, shift - BITS, rel, leaf)
    };
    // SAFETY: `copy` is fresh with 32 words.
    unsafe { set_word(copy, i, child as u64) };
    copy
}

//! The set of a heap's block base addresses: the O(1) answer to "is this word a pointer into
//! one of my blocks?" that conservative root scanning and pointer tracing ask for every
//! candidate. Open addressing with linear probing over a power-of-two table kept at most half
//! full; removal rebuilds the table (blocks leave the heap only when a collection sweeps).

use super::block::BLOCK_SHIFT;

#[derive(Default)]
pub(crate) struct BlockSet {
    /// Block bases, or 0 for an empty slot.
    slots: Vec<usize>,
    len: usize,
}

impl BlockSet {
    /// Whether `base` (a block-aligned address) is in the set.
    #[inline]
    pub(crate) fn contains(&self, base: usize) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut i = slot_of(base) & mask;
        loop {
            match self.slots.get(i) {
                Some(&b) if b == base => return true,
                Some(&0) | None => return false,
                Some(_) => i = (i + 1) & mask,
            }
        }
    }

    /// Adds `base` (non-zero, block-aligned, not already present).
    pub(crate) fn insert(&mut self, base: usize) {
        debug_assert!(base != 0 && !self.contains(base));
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.place(base);
        self.len += 1;
    }

    /// Replaces the contents with `bases`.
    pub(crate) fn rebuild(&mut self, bases: impl Iterator<Item = usize> + Clone) {
        let n = bases.clone().count();
        let capacity = (n * 2).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(capacity, 0);
        self.len = n;
        for base in bases {
            self.place(base);
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.slots = vec![0; (old.len() * 2).max(16)];
        for base in old.into_iter().filter(|&b| b != 0) {
            self.place(base);
        }
    }

    fn place(&mut self, base: usize) {
        let mask = self.slots.len() - 1;
        let mut i = slot_of(base) & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = base;
    }
}

/// Fibonacci hashing of the block number.
#[inline]
fn slot_of(base: usize) -> usize {
    (((base >> BLOCK_SHIFT) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize
}

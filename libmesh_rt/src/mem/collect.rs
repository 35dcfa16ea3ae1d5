//! A collection: mark from the roots (the native stack, conservatively, and the explicit root
//! set), then sweep every block and the large object space, then choose the next budget. The
//! collector never moves objects, which is what makes conservative stack roots sound.
//!
//! Sweeping a block turns its mark bitmap into its allocation bitmap; a block left without
//! live cells goes to a cache of empty blocks bounded by the next budget (so the next cycle
//! reuses it) and beyond that back to the system allocator, which keeps the resident size
//! near twice the live size however much a program allocates in total.

use super::block::{Block, BLOCK_SIZE, CLASSES};
use super::heap::{Heap, Stress};
use std::time::Instant;

/// Mark stack entries kept allocated between collections.
const MARK_STACK_KEEP: usize = 1 << 12;

/// Stress mode counts the work of a collection as its live bytes plus this (the fixed cost
/// of scanning the stack and sweeping, in live-byte equivalents)...
const STRESS_FIXED_WORK: u64 = 16 << 10;
/// ... and doubles the budget between collections each time this much work is done: a small
/// program is collected at every one of its first 100,000 allocations, and a soak test with a
/// large live heap still finishes.
const STRESS_LEVEL_WORK: u64 = 100_000 * STRESS_FIXED_WORK;

impl Heap {
    /// Collects now: frees every object not reachable from the roots (the explicit roots,
    /// and the stack when one was recorded). Does nothing on a thread other than the one
    /// whose stack holds the heap's roots: without them, live objects would be freed.
    pub fn collect(&mut self) {
        if self.stack.is_some() && !self.can_collect() {
            return;
        }
        let start = Instant::now();
        for cursor in &mut self.cursors {
            cursor.free = 0;
            cursor.block = std::ptr::null_mut();
        }
        if let Some(stack) = self.stack {
            super::roots::scan_stack(self, stack.base);
        }
        for i in 0..self.roots.len() {
            let root = self.roots[i];
            self.visit(root, false);
        }
        self.drain();
        // A wide structure can grow the mark stack a lot; keep only a modest buffer.
        self.mark_stack.shrink_to(MARK_STACK_KEEP);
        let live = self.sweep();
        self.budget = match self.stress.as_mut() {
            Some(stress) => stress_budget(stress, live),
            None => self.next_budget(live),
        };
        self.trim_cache();
        let pause = start.elapsed();
        let stats = &mut self.stats;
        stats.collections += 1;
        stats.live = live as u64;
        stats.max_pause = stats.max_pause.max(pause);
        stats.total_pause += pause;
    }

    /// Bytes to allocate before the collection after one that left `live` bytes.
    pub(super) fn next_budget(&self, live: usize) -> isize {
        live.max(self.min_budget).min(isize::MAX as usize) as isize
    }

    /// Frees unmarked objects; returns the live bytes.
    fn sweep(&mut self) -> usize {
        let poison = self.stress.is_some();
        let (mut freed, mut live) = (0usize, 0usize);
        let mut released = false;
        let Heap { classes, cache, .. } = self;
        for class in classes.iter_mut() {
            class.avail.clear();
            let avail = &mut class.avail;
            class.blocks.retain(|&block| {
                // SAFETY: the class's blocks are live blocks of this heap.
                let b = unsafe { &mut *block };
                let swept = b.sweep(poison);
                let cell = b.cell_size as usize;
                freed += (swept.before - swept.live) as usize * cell;
                live += swept.live as usize * cell;
                if swept.live == 0 {
                    cache.push(block);
                    released = true;
                    false
                } else {
                    if swept.live < b.cells {
                        avail.push(block);
                    }
                    true
                }
            });
        }
        let (large_freed, large_live) = self.large.sweep();
        freed += large_freed;
        live += large_live;
        if released {
            let bases = self
                .classes
                .iter()
                .flat_map(|c| c.blocks.iter().map(|&b| b as usize));
            self.set.rebuild(bases);
        }
        self.range = (usize::MAX, 0);
        for class in 0..CLASSES {
            for i in 0..self.classes[class].blocks.len() {
                let base = self.classes[class].blocks[i] as usize;
                self.include((base, base + BLOCK_SIZE));
            }
        }
        if let Some(range) = self.large.range() {
            self.include(range);
        }
        self.stats.freed += freed as u64;
        live
    }

    /// Returns cached empty blocks beyond the next budget to the system.
    fn trim_cache(&mut self) {
        let keep = self.budget.max(self.min_budget as isize) as usize / BLOCK_SIZE;
        while self.cache.len() > keep {
            if let Some(block) = self.cache.pop() {
                // SAFETY: cached blocks are empty and no longer in the block set.
                unsafe { Block::destroy(block) };
            }
        }
    }
}

/// The budget after a stress-mode collection that left `live` bytes.
fn stress_budget(stress: &mut Stress, live: usize) -> isize {
    stress.work += live as u64 + STRESS_FIXED_WORK;
    if stress.work >= STRESS_LEVEL_WORK {
        stress.work = 0;
        stress.level = (stress.level + 1).min(40);
    }
    match stress.level {
        0 => 0,
        level => 16 << level,
    }
}

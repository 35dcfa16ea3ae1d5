//! One process's heap: the allocator (a cursor per size class over the free bits of one block,
//! then the next block with free cells, then a cached or new block; large objects apart), the
//! explicit roots and the statistics. Collection lives in `collect.rs`, marking in `mark.rs`.
//!
//! A heap is touched only by the process that owns it, so nothing here locks. The fast path
//! of [`Heap::alloc`] is a budget check, a bit scan and two stores.

use super::block::{class_of, Block, BLOCK_SIZE, CLASSES, CLASS_SIZES, MAX_SMALL};
use super::blockset::BlockSet;
use super::large::LargeSpace;
use super::stats::Stats;
use std::thread::ThreadId;

/// Bytes allocated between collections when little survives (the budget grows with the live
/// size: the heap may reach about twice what survived the last collection).
pub const MIN_BUDGET: usize = 4 << 20;

/// A process heap. See the module docs of `mem` for the design.
pub struct Heap {
    pub(super) name: String,
    /// Per size class: where the next small object comes from.
    pub(super) cursors: [Cursor; CLASSES],
    /// Bytes that may still be allocated before the next collection.
    pub(super) budget: isize,
    /// Per size class: its blocks, and those of them with free cells not under the cursor.
    pub(super) classes: [ClassBlocks; CLASSES],
    /// Base addresses of every block in `classes`.
    pub(super) set: BlockSet,
    pub(super) large: LargeSpace,
    /// Empty blocks kept for reuse (not in `set`), bounded by the budget.
    pub(super) cache: Vec<*mut Block>,
    /// Lowest address and one past the highest of every block and large object.
    pub(super) range: (usize, usize),
    /// Marked objects whose fields are still to be traced: (address, bytes).
    pub(super) mark_stack: Vec<(usize, usize)>,
    /// Explicit roots: value words (free slots hold 0, which points nowhere).
    pub(super) roots: Vec<u64>,
    pub(super) free_roots: Vec<usize>,
    /// The native stack holding this heap's roots, when it is known.
    pub(super) stack: Option<Stack>,
    /// Stress mode (`MESH_GC_STRESS=1`) and its progress, see `collect.rs`.
    pub(super) stress: Option<Stress>,
    pub(super) min_budget: usize,
    pub(super) stats: Stats,
    /// Nesting count of [`Heap::inhibit`]: no automatic collection while non-zero.
    pub(super) inhibited: u32,
}

/// Allocation state of one size class.
#[derive(Clone, Copy)]
pub(super) struct Cursor {
    /// The block being allocated from (null before the first allocation of the class).
    pub(super) block: *mut Block,
    /// The bitmap word being allocated from.
    pub(super) word: usize,
    /// Cells of that word not yet handed out, as bits.
    pub(super) free: u64,
    /// Address of the word's first cell.
    pub(super) base: usize,
    pub(super) cell_size: usize,
}

#[derive(Default)]
pub(super) struct ClassBlocks {
    pub(super) blocks: Vec<*mut Block>,
    pub(super) avail: Vec<*mut Block>,
}

/// The stack scanned for roots: from the current stack pointer up to `base`, only on the
/// thread that recorded it.
#[derive(Clone, Copy)]
pub(super) struct Stack {
    pub(super) base: usize,
    /// The thread whose stack it is; `None` for a process's coroutine stack, which moves
    /// between worker threads but is only ever run by one at a time (the scheduler's rule).
    pub(super) thread: Option<ThreadId>,
}

/// Progress of stress mode: marking work done at the current level, and the level (the
/// budget between collections is 0 at level 0, then `16 << level` bytes).
#[derive(Clone, Copy)]
pub(super) struct Stress {
    pub(super) work: u64,
    pub(super) level: u32,
}

/// A slot in a heap's explicit root set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RootId(usize);

impl Heap {
    /// An empty heap named `name` (for statistics). It collects only when asked until
    /// [`Heap::set_stack_base`] tells it where its roots are.
    pub fn new(name: &str) -> Heap {
        Heap {
            name: name.to_string(),
            cursors: std::array::from_fn(|class| Cursor {
                block: std::ptr::null_mut(),
                word: 0,
                free: 0,
                base: 0,
                cell_size: CLASS_SIZES[class] as usize,
            }),
            budget: isize::MAX,
            classes: std::array::from_fn(|_| ClassBlocks::default()),
            set: BlockSet::default(),
            large: LargeSpace::default(),
            cache: Vec::new(),
            range: (usize::MAX, 0),
            mark_stack: Vec::new(),
            roots: Vec::new(),
            free_roots: Vec::new(),
            stack: None,
            stress: None,
            min_budget: MIN_BUDGET,
            stats: Stats::default(),
            inhibited: 0,
        }
    }

    /// Makes the heap collect automatically, scanning the calling thread's stack from its
    /// current position up to `base` (the address of a local in the outermost frame that can
    /// hold this heap's values). Mesh code must run on this thread below that frame.
    pub fn set_stack_base(&mut self, base: usize) {
        self.stack = Some(Stack {
            base,
            thread: Some(std::thread::current().id()),
        });
        if self.stress.is_none() {
            self.budget = self.next_budget(0);
        }
    }

    /// As [`Heap::set_stack_base`] for a process's coroutine stack: `base` is its top, and
    /// the heap may collect on whichever thread runs the coroutine.
    pub fn set_coroutine_stack(&mut self, base: usize) {
        self.stack = Some(Stack { base, thread: None });
        if self.stress.is_none() {
            self.budget = self.next_budget(0);
        }
    }

    /// Stops (`true`) or resumes automatic collection, nesting: runtime code building a
    /// structure whose parts only it knows about (a message copy) holds collection off.
    /// Collects now if the budget is spent and collection is possible. For callers about to
    /// allocate with collection held off (copying a message in, decoding one): allocations
    /// made so never collect, so without this a process that only receives would never free
    /// what it received. Call it only where no value of this heap is held outside the roots
    /// and the stack (as at any allocation).
    pub fn collect_if_due(&mut self) {
        if self.budget <= 0 && self.can_collect() {
            self.collect();
        }
    }

    pub fn inhibit(&mut self, on: bool) {
        if on {
            self.inhibited += 1;
        } else {
            self.inhibited -= 1;
        }
    }

    /// Whether `addr` is the start of an object allocated in this heap.
    pub fn owns(&self, addr: usize) -> bool {
        if addr < self.range.0 || addr > self.range.1 {
            return false;
        }
        let base = addr & !(BLOCK_SIZE - 1);
        if self.set.contains(base) {
            // SAFETY: `base` is one of this heap's blocks.
            return unsafe { (*(base as *const Block)).is_allocated_start(addr) };
        }
        self.large.is_start(addr)
    }

    /// Stress mode (`MESH_GC_STRESS=1`): collects at every allocation (until the collections
    /// have done a bounded amount of work, then ever more sparsely, see `collect.rs`); dead
    /// cells are poisoned.
    pub fn set_stress(&mut self, stress: bool) {
        self.stress = stress.then_some(Stress { work: 0, level: 0 });
        if stress {
            self.budget = 0;
        }
    }

    /// The heap's name in statistics.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Allocates `size` bytes, 8-aligned. The first word (the object header's meta word) is
    /// zero, so the object traces as nothing until its owner writes the header; the owner
    /// must write the whole header before its next allocation. May collect first.
    #[inline]
    pub fn alloc(&mut self, size: usize) -> *mut u8 {
        if size <= MAX_SMALL && self.budget > 0 {
            let class = class_of(size);
            if self.cursors[class].free != 0 {
                return self.take(class);
            }
        }
        self.alloc_slow(size)
    }

    /// Hands out the next free cell under the cursor of `class` (which has one).
    #[inline(always)]
    fn take(&mut self, class: usize) -> *mut u8 {
        let cursor = &mut self.cursors[class];
        let bit = cursor.free.trailing_zeros() as usize;
        cursor.free &= cursor.free - 1;
        let cell = cursor.base + bit * cursor.cell_size;
        // SAFETY: a cursor with free bits points into a live block of this heap; `cell` is a
        // free cell of that block, at least 16 bytes, 8-aligned.
        unsafe {
            (*cursor.block).alloc[cursor.word] |= 1 << bit;
            (cell as *mut u64).write(0);
        }
        self.budget -= cursor.cell_size as isize;
        self.stats.allocated += cursor.cell_size as u64;
        cell as *mut u8
    }

    #[cold]
    #[inline(never)]
    fn alloc_slow(&mut self, size: usize) -> *mut u8 {
        if self.budget <= 0 {
            if self.can_collect() {
                self.collect();
            } else if self.inhibited == 0 {
                self.budget = isize::MAX;
            }
        }
        if size > MAX_SMALL {
            return self.alloc_large(size);
        }
        let class = class_of(size);
        while self.cursors[class].free == 0 {
            self.refill(class);
        }
        self.take(class)
    }

    fn alloc_large(&mut self, size: usize) -> *mut u8 {
        let Some((obj, size)) = self.large.alloc(size) else {
            crate::fail::fatal("out of memory");
        };
        self.budget = self.budget.saturating_sub(size as isize);
        self.stats.allocated += size as u64;
        self.include((obj as usize, obj as usize + size));
        self.note_footprint();
        obj
    }

    /// Moves the cursor of `class` to the next bitmap word with free cells: later in its
    /// block, else in a block with free cells, else in a fresh block.
    fn refill(&mut self, class: usize) {
        let cursor = self.cursors[class];
        if !cursor.block.is_null() && self.seek(class, cursor.block, cursor.word + 1) {
            return;
        }
        let block = match self.classes[class].avail.pop() {
            Some(block) => block,
            None => self.new_block(class),
        };
        self.seek(class, block, 0);
    }

    /// Points the cursor of `class` at the first word from `from` with free cells in
    /// `block`; false when there is none.
    fn seek(&mut self, class: usize, block: *mut Block, from: usize) -> bool {
        // SAFETY: `block` is a live block of this heap, not otherwise borrowed here.
        let b = unsafe { &mut *block };
        for word in from..b.words as usize {
            let free = b.free_bits(word);
            if free != 0 {
                b.reach(word);
                self.cursors[class] = Cursor {
                    block,
                    word,
                    free,
                    base: b.cell(word * 64),
                    cell_size: b.cell_size as usize,
                };
                return true;
            }
        }
        self.cursors[class].free = 0;
        false
    }

    fn new_block(&mut self, class: usize) -> *mut Block {
        let block = match self.cache.pop() {
            Some(block) => {
                // SAFETY: cached blocks are empty blocks of this heap.
                unsafe { Block::format(block, class) };
                block
            }
            None => Block::create(class),
        };
        if block.is_null() {
            crate::fail::fatal("out of memory");
        }
        self.classes[class].blocks.push(block);
        self.set.insert(block as usize);
        self.include((block as usize, block as usize + BLOCK_SIZE));
        self.note_footprint();
        block
    }

    /// Widens the address range of the heap to cover `(start, end)`.
    pub(super) fn include(&mut self, (start, end): (usize, usize)) {
        self.range = (self.range.0.min(start), self.range.1.max(end));
    }

    pub(super) fn note_footprint(&mut self) {
        let footprint = self.footprint() as u64;
        self.stats.peak_footprint = self.stats.peak_footprint.max(footprint);
    }

    /// Bytes of memory the heap holds: its blocks (used and cached) and large objects.
    pub fn footprint(&self) -> usize {
        let blocks: usize = self.classes.iter().map(|c| c.blocks.len()).sum();
        (blocks + self.cache.len()) * BLOCK_SIZE + self.large.bytes
    }

    /// Whether automatic collection is possible here: the stack holding the roots is known
    /// and is the calling thread's.
    pub(super) fn can_collect(&self) -> bool {
        self.inhibited == 0
            && self
                .stack
                .is_some_and(|s| s.thread.is_none_or(|t| t == std::thread::current().id()))
    }

    /// Adds `word` (any value word; non-pointers are ignored) to the root set: the object it
    /// points into survives collections until the root is removed.
    pub fn add_root(&mut self, word: u64) -> RootId {
        match self.free_roots.pop() {
            Some(i) => {
                self.roots[i] = word;
                RootId(i)
            }
            None => {
                self.roots.push(word);
                RootId(self.roots.len() - 1)
            }
        }
    }

    /// Replaces the value of a root.
    pub fn set_root(&mut self, id: RootId, word: u64) {
        self.roots[id.0] = word;
    }

    /// The value of a root.
    pub fn root(&self, id: RootId) -> u64 {
        self.roots[id.0]
    }

    /// Removes a root; its slot may be reused by the next [`Heap::add_root`].
    pub fn remove_root(&mut self, id: RootId) {
        self.roots[id.0] = 0;
        self.free_roots.push(id.0);
    }

    /// The statistics so far.
    pub fn stats(&self) -> Stats {
        let mut stats = self.stats;
        stats.footprint = self.footprint() as u64;
        stats
    }

    /// Frees every object and block at once (the process exited or crashed). The heap stays
    /// usable, empty.
    pub fn free_all(&mut self) {
        for class in &mut self.classes {
            class.avail.clear();
            for block in class.blocks.drain(..) {
                // SAFETY: the block belongs to this heap, which drops every object now.
                unsafe { Block::destroy(block) };
            }
        }
        for block in self.cache.drain(..) {
            // SAFETY: cached blocks belong to this heap and hold no objects.
            unsafe { Block::destroy(block) };
        }
        self.large.free_all();
        for cursor in &mut self.cursors {
            cursor.block = std::ptr::null_mut();
            cursor.free = 0;
        }
        self.set.rebuild(std::iter::empty());
        self.range = (usize::MAX, 0);
        self.stats.freed = self.stats.allocated;
    }
}

/// Most blocks (in use and cached) a heap may hold to be recycled: a short-lived process's
/// heap uses one block per size class it touched (a handler: a few), a bigger one is freed.
const RECYCLE_MAX_BLOCKS: usize = 8;

impl Heap {
    /// Empties the heap for another process while keeping its blocks, so that the next
    /// owner's first allocations in those size classes take no new block (no header to
    /// format, no block set or range to update, no allocation of the heap itself). Every
    /// object is freed (allocation bits cleared; the marks are clear between collections),
    /// large objects are returned, roots, stack, stress mode, budget and statistics start
    /// over as in [`Heap::new`]. Returns `false` (the heap is left as it was, to be dropped)
    /// when it holds more than [`RECYCLE_MAX_BLOCKS`] blocks.
    pub fn recycle(&mut self) -> bool {
        let blocks: usize = self.classes.iter().map(|c| c.blocks.len()).sum();
        if blocks + self.cache.len() > RECYCLE_MAX_BLOCKS || self.inhibited != 0 {
            return false;
        }
        self.large.free_all();
        self.range = (usize::MAX, 0);
        for class in 0..CLASSES {
            self.cursors[class].block = std::ptr::null_mut();
            self.cursors[class].free = 0;
            let blocks = &mut self.classes[class];
            if blocks.blocks.is_empty() {
                continue;
            }
            blocks.avail.clear();
            // In reverse, so that `refill` (popping) takes them in their first order.
            for &block in blocks.blocks.iter().rev() {
                // SAFETY: the block belongs to this heap, whose objects are all dead now.
                unsafe { (*block).clear_alloc() };
                blocks.avail.push(block);
                let base = block as usize;
                self.range = (self.range.0.min(base), self.range.1.max(base + BLOCK_SIZE));
            }
            // The cursor at the first block's first cell: the next process's first object of
            // this class takes the fast path.
            self.refill(class);
        }
        self.name.clear();
        self.budget = isize::MAX;
        self.mark_stack.clear();
        self.roots.clear();
        self.free_roots.clear();
        self.stack = None;
        self.stress = None;
        self.min_budget = MIN_BUDGET;
        self.stats = Stats::default();
        self.note_footprint();
        true
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        self.free_all();
    }
}

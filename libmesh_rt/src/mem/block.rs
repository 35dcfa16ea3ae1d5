//! Blocks of small objects: 256 KiB regions aligned to their size, each holding cells of one
//! size class. The block header (at the block's base) holds two bitmaps with one bit per cell:
//! `alloc` (the cell holds an object) and `mark` (the cell was reached by the collection in
//! progress). Sweeping a block is bitmap arithmetic: the marked cells become the allocated
//! ones, so dead cells are free again without touching them.
//!
//! Size classes are multiples of 8 bytes spaced at most 25% apart, from 16 bytes (the
//! smallest object: a header) to [`MAX_SMALL`]; bigger objects go to the large object space.

use std::alloc::Layout;

/// log2 of [`BLOCK_SIZE`].
pub(crate) const BLOCK_SHIFT: u32 = 18;
/// Size and alignment of a block. Alignment makes "which block holds this address" a mask.
pub(crate) const BLOCK_SIZE: usize = 1 << BLOCK_SHIFT;
/// The largest object served from blocks (at least 31 cells per block).
pub(crate) const MAX_SMALL: usize = 8192;

/// The cell sizes of the size classes.
pub(crate) const CLASS_SIZES: [u32; CLASSES] = [
    16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768,
    896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192,
];
/// Number of size classes.
pub(crate) const CLASSES: usize = 35;

/// Size class of every object size, indexed by `ceil(size / 8)`.
static CLASS_OF: [u8; MAX_SMALL / 8 + 1] = class_table();

const fn class_table() -> [u8; MAX_SMALL / 8 + 1] {
    let mut table = [0u8; MAX_SMALL / 8 + 1];
    let mut i = 0;
    let mut class = 0;
    while i < table.len() {
        while (CLASS_SIZES[class] as usize) < i * 8 {
            class += 1;
        }
        table[i] = class as u8;
        i += 1;
    }
    table
}

/// The size class of an object of `size` bytes (`size <= MAX_SMALL`).
#[inline]
pub(crate) fn class_of(size: usize) -> usize {
    CLASS_OF[size.div_ceil(8)] as usize
}

/// Bitmap words per block: enough for the smallest cells.
const BITMAP_WORDS: usize = BLOCK_SIZE / 16 / 64;

/// The header at the base of every block.
#[repr(C)]
pub(crate) struct Block {
    /// Bytes per cell (a `CLASS_SIZES` entry).
    pub(crate) cell_size: u32,
    /// Number of cells.
    pub(crate) cells: u32,
    /// Index into `CLASS_SIZES`.
    pub(crate) class: u32,
    /// Bitmap words in use: `ceil(cells / 64)`.
    pub(crate) words: u32,
    /// Bitmap words a cursor has reached since the block was formatted or cleared: only
    /// they can have `alloc` bits, so clearing a recycled heap's block clears only them
    /// (a request's process uses the first few words of a 256-word bitmap).
    pub(crate) used: u32,
    pub(crate) alloc: [u64; BITMAP_WORDS],
    pub(crate) mark: [u64; BITMAP_WORDS],
}

/// Offset of the first cell from the block base (the header, rounded up to 64 bytes).
pub(crate) const CELLS_OFFSET: usize = std::mem::size_of::<Block>().next_multiple_of(64);

const _: () = assert!(CELLS_OFFSET + MAX_SMALL * 31 <= BLOCK_SIZE);
const _: () = assert!((BLOCK_SIZE - CELLS_OFFSET) / 16 <= BITMAP_WORDS * 64);

/// What sweeping one block found.
pub(crate) struct Swept {
    /// Cells that held objects before the collection.
    pub(crate) before: u32,
    /// Cells that survived.
    pub(crate) live: u32,
}

impl Block {
    /// Takes a spare block of this thread (or allocates one from the system) and formats it
    /// for `class`; every cell is free.
    /// Returns null when the system is out of memory. Never inlined (nor is `destroy`): it
    /// reads a thread-local, see `sched::current`.
    #[inline(never)]
    pub(crate) fn create(class: usize) -> *mut Block {
        let spare = SPARE.try_with(|s| s.borrow_mut().0.pop()).ok().flatten();
        // SAFETY: the layout has non-zero size.
        let base =
            spare.unwrap_or_else(|| unsafe { std::alloc::alloc(block_layout()) } as *mut Block);
        if !base.is_null() {
            // SAFETY: `base` is a fresh, aligned block big enough for the header.
            unsafe { Block::format(base, class) };
        }
        base
    }

    /// Rewrites the header of an unused block for `class`.
    ///
    /// # Safety
    /// `block` must be a block from [`Block::create`] that holds no live objects.
    pub(crate) unsafe fn format(block: *mut Block, class: usize) {
        let cell_size = CLASS_SIZES[class];
        let cells = ((BLOCK_SIZE - CELLS_OFFSET) / cell_size as usize) as u32;
        // SAFETY: per the contract the header is ours to write; the bitmaps are plain words,
        // zeroed in place (building the header on the stack and copying it moved 4 KiB twice).
        unsafe {
            (&raw mut (*block).cell_size).write(cell_size);
            (&raw mut (*block).cells).write(cells);
            (&raw mut (*block).class).write(class as u32);
            (&raw mut (*block).words).write(cells.div_ceil(64));
            (&raw mut (*block).used).write(0);
            (&raw mut (*block).alloc).write_bytes(0, 1);
            (&raw mut (*block).mark).write_bytes(0, 1);
        }
    }

    /// Frees every cell at once (its heap is recycled, `Heap::recycle`). The marks are clear
    /// already: they are only set during a collection, whose sweep clears them.
    pub(crate) fn clear_alloc(&mut self) {
        let used = self.used as usize;
        self.alloc[..used].fill(0);
        self.used = 0;
        debug_assert!(self.alloc.iter().all(|&w| w == 0));
        debug_assert!(self.mark.iter().all(|&w| w == 0));
    }

    /// Notes that a cursor reached bitmap word `w` (it may set `alloc` bits there).
    #[inline]
    pub(crate) fn reach(&mut self, w: usize) {
        self.used = self.used.max(w as u32 + 1);
    }

    /// Returns a block to the system.
    ///
    /// # Safety
    /// `block` must come from [`Block::create`] and nothing may use it afterwards.
    #[inline(never)]
    pub(crate) unsafe fn destroy(block: *mut Block) {
        let kept = SPARE
            .try_with(|s| {
                let spare = &mut s.borrow_mut().0;
                let keep = spare.len() < SPARE_MAX;
                if keep {
                    spare.push(block);
                }
                keep
            })
            .unwrap_or(false);
        if !kept {
            // SAFETY: allocated by `create` with this layout (contract).
            unsafe { std::alloc::dealloc(block as *mut u8, block_layout()) }
        }
    }

    /// Address of cell `index`.
    #[inline]
    pub(crate) fn cell(&self, index: usize) -> usize {
        self as *const Block as usize + CELLS_OFFSET + index * self.cell_size as usize
    }

    /// The free cells of bitmap word `w` as bits (cells past the end count as allocated).
    #[inline]
    pub(crate) fn free_bits(&self, w: usize) -> u64 {
        let mut free = !self.alloc[w];
        let past = (w + 1) * 64;
        if past > self.cells as usize {
            free &= (1u64 << (self.cells as usize - w * 64)) - 1;
        }
        free
    }

    /// The cell containing address `addr` (anywhere in this block), if it is allocated and
    /// was not yet marked: marks it and returns its index.
    #[inline]
    pub(crate) fn mark_cell(&mut self, addr: usize) -> Option<usize> {
        let offset = addr.checked_sub(self as *const Block as usize + CELLS_OFFSET)?;
        let index = offset / self.cell_size as usize;
        self.mark_index(index)
    }

    /// Marks cell `index` if it is allocated and not yet marked.
    #[inline]
    pub(crate) fn mark_index(&mut self, index: usize) -> Option<usize> {
        if index >= self.cells as usize {
            return None;
        }
        let (w, bit) = (index / 64, 1u64 << (index % 64));
        if self.alloc[w] & bit == 0 || self.mark[w] & bit != 0 {
            return None;
        }
        self.mark[w] |= bit;
        Some(index)
    }

    /// Whether `addr` is the start of an allocated cell of this block.
    #[inline]
    pub(crate) fn is_allocated_start(&self, addr: usize) -> bool {
        let Some(index) = self.cell_boundary(addr) else {
            return false;
        };
        index < self.cells as usize && self.alloc[index / 64] & (1u64 << (index % 64)) != 0
    }

    /// Whether cell boundaries fall exactly at `addr` (used to treat a pointer just past an
    /// object as pointing into it).
    #[inline]
    pub(crate) fn cell_boundary(&self, addr: usize) -> Option<usize> {
        let offset = addr.checked_sub(self as *const Block as usize + CELLS_OFFSET)?;
        (offset % self.cell_size as usize == 0).then_some(offset / self.cell_size as usize)
    }

    /// Frees every unmarked cell and clears the marks. With `poison`, dead cells are filled
    /// with a recognisable pattern so use after free shows (stress mode).
    pub(crate) fn sweep(&mut self, poison: bool) -> Swept {
        let mut swept = Swept { before: 0, live: 0 };
        for w in 0..self.words as usize {
            let (alloc, mark) = (self.alloc[w], self.mark[w]);
            swept.before += alloc.count_ones();
            swept.live += mark.count_ones();
            if poison {
                self.poison(w, alloc & !mark);
            }
            self.alloc[w] = mark;
            self.mark[w] = 0;
        }
        swept
    }

    fn poison(&self, w: usize, mut dead: u64) {
        while dead != 0 {
            let cell = self.cell(w * 64 + dead.trailing_zeros() as usize);
            // SAFETY: the cell lies inside this block and no live object uses it.
            unsafe { std::ptr::write_bytes(cell as *mut u8, 0xa5, self.cell_size as usize) };
            dead &= dead - 1;
        }
    }
}

/// Most free blocks a thread keeps for reuse (4 MiB of address space; only the pages the
/// previous owner touched are resident). Short-lived processes (one per HTTP request) create
/// a heap of a few blocks and free it at once: without this every request paid an `mmap`,
/// page faults and a `munmap` per block (the HTTP benchmark's top cost, docs/benchmarks.md).
const SPARE_MAX: usize = 16;

/// Blocks freed on a thread, ready to be formatted again; returned to the system when the
/// thread ends.
struct Spare(Vec<*mut Block>);

impl Drop for Spare {
    fn drop(&mut self) {
        for block in self.0.drain(..) {
            // SAFETY: spare blocks come from `create`'s allocation and nothing uses them.
            unsafe { std::alloc::dealloc(block as *mut u8, block_layout()) }
        }
    }
}

thread_local! {
    /// This thread's spare blocks (any thread may reuse a block).
    static SPARE: std::cell::RefCell<Spare> = const { std::cell::RefCell::new(Spare(Vec::new())) };
}

fn block_layout() -> Layout {
    // Compile-time constants: a power-of-two alignment equal to the (non-zero) size.
    match Layout::from_size_align(BLOCK_SIZE, BLOCK_SIZE) {
        Ok(layout) => layout,
        Err(_) => unreachable!("BLOCK_SIZE is a power of two"),
    }
}

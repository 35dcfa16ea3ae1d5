//! Marking: from a candidate word to "this object is live", and from a live object to its
//! children, driven by the object header (`mesh_rt_abi::layout`). Marking never recurses on
//! the Rust stack: marked objects go on the heap's mark stack, so a chain a million objects
//! long costs one mark stack entry at a time.
//!
//! Every candidate word, precise or conservative, goes through [`Heap::visit`], which checks it
//! against the heap's own blocks and large objects before touching memory. Pointers to static
//! constants (`FLAG_STATIC`), type descriptors, code and runtime-owned memory fall outside the
//! heap and are skipped without being read.

use super::block::{Block, BLOCK_SIZE};
use super::heap::Heap;
use mesh_rt_abi::layout::{
    self, AUX_SHIFT, HEADER_SIZE, KIND_ARRAY, KIND_CLOSURE, KIND_MASK, KIND_NODE, KIND_TUPLE,
    KIND_VARIANT, RAW_PREFIX_SHIFT,
};
use mesh_rt_abi::TypeDesc;

impl Heap {
    /// Marks the object `word` points into (anywhere inside it), if it is one of this heap's
    /// allocated objects. `from_stack` also accepts a pointer just past the end of an object
    /// (derived pointers the compiler keeps in a loop), which may then retain the next cell.
    #[inline]
    pub(super) fn visit(&mut self, word: u64, from_stack: bool) {
        let addr = word as usize;
        if addr < self.range.0 || addr > self.range.1 {
            return;
        }
        let base = addr & !(BLOCK_SIZE - 1);
        if self.set.contains(base) {
            // SAFETY: `base` is one of this heap's blocks, so a block header lives there; the
            // heap is the only user of its blocks.
            let block = unsafe { &mut *(base as *mut Block) };
            if let Some(index) = block.mark_cell(addr) {
                self.push(block.cell(index), block.cell_size as usize);
            }
            if from_stack {
                if let Some(index) = block.cell_boundary(addr).and_then(|i| i.checked_sub(1)) {
                    if block.mark_index(index).is_some() {
                        self.push(block.cell(index), block.cell_size as usize);
                    }
                }
            }
        } else if let Some((start, size)) = self.large.mark(addr, from_stack) {
            self.push(start, size);
        }
    }

    /// Queues a newly marked object for tracing (its header is read later, see [`Heap::drain`]).
    #[inline]
    fn push(&mut self, obj: usize, size: usize) {
        self.mark_stack.push((obj, size));
    }

    /// Traces queued objects until none is left. Objects pass through a small FIFO window
    /// whose entries are prefetched as they enter it, so reading an object's header rarely
    /// waits for memory (marking is otherwise one cache miss per live object).
    pub(super) fn drain(&mut self) {
        const AHEAD: usize = 32;
        let mut window = [(0usize, 0usize); AHEAD];
        let (mut first, mut len) = (0, 0);
        loop {
            while len < AHEAD {
                let Some(entry) = self.mark_stack.pop() else {
                    break;
                };
                prefetch(entry.0);
                window[(first + len) % AHEAD] = entry;
                len += 1;
            }
            if len == 0 {
                return;
            }
            let (obj, size) = window[first];
            first = (first + 1) % AHEAD;
            len -= 1;
            // SAFETY: queued objects are marked, allocated objects of `size` bytes.
            unsafe { self.trace(obj, size) };
        }
    }

    /// Visits the pointer fields of `obj` as its header describes them.
    ///
    /// # Safety
    /// `obj` must be an allocated object of this heap spanning `size` bytes.
    unsafe fn trace(&mut self, obj: usize, size: usize) {
        let payload = (obj + HEADER_SIZE) as *const u64;
        // SAFETY: forwarded contract; `pointer_fields` hands out indices of payload words
        // inside the object.
        unsafe { pointer_fields(obj, size, |i| self.visit(payload.add(i).read(), false)) };
    }
}

/// Calls `f` with the index of every payload word of `obj` that may hold a pointer, as its
/// header (and descriptor) describe them. Field counts are clamped to `size`, so a corrupt
/// header cannot make a caller read outside the object. Shared by marking and copying.
///
/// # Safety
/// `obj` must be an initialised object spanning `size` bytes.
pub(super) unsafe fn pointer_fields(obj: usize, size: usize, mut f: impl FnMut(usize)) {
    let words = (size - HEADER_SIZE) / 8;
    let payload = (obj + HEADER_SIZE) as *const u64;
    // SAFETY: the header is initialised (contract); `words` payload words lie within the
    // object.
    let (meta, desc) = unsafe {
        (
            (obj as *const u64).read(),
            (obj as *const u64).add(1).read(),
        )
    };
    let desc = desc as *const TypeDesc;
    let aux = (meta >> AUX_SHIFT) as usize;
    let field = |i: usize| -> u64 {
        // SAFETY: callers pass `i < words`.
        unsafe { payload.add(i).read() }
    };
    match meta & KIND_MASK {
        KIND_TUPLE => {
            for i in 0..aux.min(words) {
                // SAFETY: word 1 of a tuple is its TUPLE/STRUCT descriptor (or null).
                if unsafe { field_is_pointer(desc, i) } {
                    f(i);
                }
            }
        }
        KIND_VARIANT if words > 0 => {
            // SAFETY: word 1 of a variant is its SUM descriptor (or null).
            let case = unsafe { item(desc, field(0) as usize) };
            for i in 0..aux.min(words - 1) {
                // SAFETY: a SUM's items are CASE descriptors (or null).
                if unsafe { field_is_pointer(case, i) } {
                    f(1 + i);
                }
            }
        }
        KIND_CLOSURE if words > 0 => {
            for i in 0..aux.min(words - 1) {
                // SAFETY: word 1 of a closure is the TUPLE descriptor of its captures.
                if unsafe { field_is_pointer(desc, i) } {
                    f(1 + i);
                }
            }
        }
        // SAFETY: word 1 of an array is its element descriptor (or null).
        KIND_ARRAY if desc.is_null() || unsafe { is_heap(desc) } => {
            for i in 0..aux.min(words) {
                f(i);
            }
        }
        KIND_NODE => {
            let raw = ((meta >> RAW_PREFIX_SHIFT) & 0xff) as usize;
            for i in raw..aux.min(words) {
                f(i);
            }
        }
        _ => {}
    }
}

/// Whether field `i` of values described by `desc` may be a pointer. Without a descriptor
/// (null, or fewer items than fields) the field is visited anyway: [`Heap::visit`] ignores
/// words that are not pointers into the heap.
///
/// # Safety
/// `desc` must be null or a live descriptor.
unsafe fn field_is_pointer(desc: *const TypeDesc, i: usize) -> bool {
    // SAFETY: forwarded contract.
    let item = unsafe { item(desc, i) };
    // SAFETY: `item` returns null or a live descriptor.
    item.is_null() || unsafe { is_heap(item) }
}

/// Item `i` of `desc`, or null when there is no such item.
///
/// # Safety
/// `desc` must be null or a live descriptor whose `items` hold `count` descriptors.
unsafe fn item(desc: *const TypeDesc, i: usize) -> *const TypeDesc {
    if desc.is_null() {
        return std::ptr::null();
    }
    // SAFETY: per the contract `desc` is live and `items` has `count` entries.
    unsafe {
        let d = &*desc;
        if d.items.is_null() || i >= d.count as usize {
            return std::ptr::null();
        }
        *d.items.add(i)
    }
}

/// Whether values of `desc` are heap pointers.
///
/// # Safety
/// `desc` must be a live descriptor.
unsafe fn is_heap(desc: *const TypeDesc) -> bool {
    // SAFETY: forwarded contract.
    layout::is_heap_kind(unsafe { (*desc).kind })
}

/// Asks the CPU to start loading the cache line at `addr` (a hint; never faults).
#[inline(always)]
fn prefetch(addr: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint without architectural effect, valid for any address.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(addr as *const i8);
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: a prefetch is a hint without architectural effect, valid for any address.
    unsafe {
        std::arch::asm!("prfm pldl1keep, [{0}]", in(reg) addr, options(nostack, readonly, preserves_flags));
    }
}

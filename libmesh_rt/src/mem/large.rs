//! The large object space: objects bigger than `block::MAX_SMALL`, each its own system
//! allocation, kept in a vector sorted by address so an interior pointer finds its object by
//! binary search. Sweeping frees every unmarked object at once (back to the system allocator).

use std::alloc::Layout;

/// Alignment (and size granularity) of large objects.
const ALIGN: usize = 16;

struct LargeObject {
    start: usize,
    size: usize,
    marked: bool,
}

#[derive(Default)]
pub(crate) struct LargeSpace {
    /// Sorted by `start`.
    objects: Vec<LargeObject>,
    /// Sum of the objects' sizes.
    pub(crate) bytes: usize,
}

impl LargeSpace {
    /// Allocates an object of `size` bytes (rounded up to 16) with a zero meta word. Returns
    /// the object and its size, or `None` when the system is out of memory.
    pub(crate) fn alloc(&mut self, size: usize) -> Option<(*mut u8, usize)> {
        let size = size.next_multiple_of(ALIGN);
        let layout = Layout::from_size_align(size, ALIGN).ok()?;
        // SAFETY: `size` is non-zero (callers ask for more than MAX_SMALL bytes).
        let start = unsafe { std::alloc::alloc(layout) };
        if start.is_null() {
            return None;
        }
        // SAFETY: a fresh allocation of at least 8 bytes.
        unsafe { (start as *mut u64).write(0) };
        let at = self.objects.partition_point(|o| o.start < start as usize);
        let object = LargeObject {
            start: start as usize,
            size,
            marked: false,
        };
        self.objects.insert(at, object);
        self.bytes += size;
        Some((start, size))
    }

    /// The object whose bytes contain `addr` (or which ends exactly at `addr` when
    /// `past_end` is set), if it was not yet marked: marks it and returns its start and size.
    #[inline]
    pub(crate) fn mark(&mut self, addr: usize, past_end: bool) -> Option<(usize, usize)> {
        let first = self.objects.first()?.start;
        if addr < first {
            return None;
        }
        let at = self.objects.partition_point(|o| o.start <= addr) - 1;
        let object = &mut self.objects[at];
        let end = object.start + object.size;
        let inside = addr < end || (past_end && addr == end);
        if !inside || object.marked {
            return None;
        }
        object.marked = true;
        Some((object.start, object.size))
    }

    /// Whether an object starts exactly at `addr`.
    pub(crate) fn is_start(&self, addr: usize) -> bool {
        self.objects
            .binary_search_by(|o| o.start.cmp(&addr))
            .is_ok()
    }

    /// Frees every unmarked object and clears the marks; returns (freed bytes, live bytes).
    pub(crate) fn sweep(&mut self) -> (usize, usize) {
        let mut freed = 0;
        self.objects.retain_mut(|o| {
            let keep = std::mem::replace(&mut o.marked, false);
            if !keep {
                freed += o.size;
                // SAFETY: allocated in `alloc` with this layout and unreachable now.
                unsafe { release(o) };
            }
            keep
        });
        self.bytes -= freed;
        (freed, self.bytes)
    }

    /// Frees every object.
    pub(crate) fn free_all(&mut self) {
        for o in self.objects.drain(..) {
            // SAFETY: allocated in `alloc`; the heap is being torn down.
            unsafe { release(&o) };
        }
        self.bytes = 0;
    }

    /// The lowest and highest addresses of large objects, if any.
    pub(crate) fn range(&self) -> Option<(usize, usize)> {
        let first = self.objects.first()?;
        let last = self.objects.last()?;
        Some((first.start, last.start + last.size))
    }
}

/// # Safety
/// `o` must describe a live allocation made by [`LargeSpace::alloc`].
unsafe fn release(o: &LargeObject) {
    // SAFETY: the size and alignment are those `alloc` used (validated there).
    unsafe {
        let layout = Layout::from_size_align_unchecked(o.size, ALIGN);
        std::alloc::dealloc(o.start as *mut u8, layout);
    }
}

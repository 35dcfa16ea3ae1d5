//! Memory for Mesh values. Today: a bump allocator over large chunks obtained from the system
//! allocator, never freed until exit. Issue 5 replaces this with per-process heaps and a
//! collector (see ARCHITECTURE.md "Memory"); the entry points stay the same.

use std::alloc::Layout;
use std::cell::Cell;

const CHUNK_SIZE: usize = 1 << 20;
const ALIGN: usize = 8;

thread_local! {
    // The skeleton runs Mesh code on one thread. When actors arrive the current heap moves
    // into the actor's context (coroutine-local), per STYLE §1.3.
    static BUMP: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// Prepares the allocator for the calling thread.
pub fn init() {}

/// Allocates `size` bytes aligned to 8. Aborts the program with a clear message when the
/// system is out of memory.
pub fn alloc(size: usize) -> *mut u8 {
    let size = size.max(1).next_multiple_of(ALIGN);
    if size > CHUNK_SIZE / 4 {
        return system_alloc(size);
    }
    BUMP.with(|bump| {
        let (mut next, mut end) = bump.get();
        if next + size > end {
            let chunk = system_alloc(CHUNK_SIZE) as usize;
            next = chunk;
            end = chunk + CHUNK_SIZE;
        }
        bump.set((next + size, end));
        next as *mut u8
    })
}

fn system_alloc(size: usize) -> *mut u8 {
    let Ok(layout) = Layout::from_size_align(size, ALIGN) else {
        crate::abi::process::panic_with("allocation size overflow");
    };
    // SAFETY: layout has non-zero size (callers round up to at least ALIGN).
    let ptr = unsafe { std::alloc::alloc(layout) };
    if ptr.is_null() {
        crate::abi::process::fatal("out of memory");
    }
    ptr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_are_aligned_and_distinct() {
        let a = alloc(3) as usize;
        let b = alloc(17) as usize;
        let big = alloc(CHUNK_SIZE) as usize;
        assert_eq!(a % ALIGN, 0);
        assert_eq!(b % ALIGN, 0);
        assert_eq!(big % ALIGN, 0);
        assert!(b >= a + 8 || a >= b + 24);
    }
}

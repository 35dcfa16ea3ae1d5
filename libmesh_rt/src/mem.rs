//! Memory for Mesh values: one heap per process, collected by a
//! non-moving mark-sweep collector, freed whole when its process ends. ARCHITECTURE.md
//! ("Memory") has the design; in short:
//!
//! - **Allocation** (`heap.rs`): small objects (≤ 8 KiB) come from 256 KiB blocks, one size
//!   class per block, through a per-class cursor over the block's allocation bitmap; large
//!   objects are separate system allocations. No locks: only the owning process touches a
//!   heap.
//! - **Roots** (`roots.rs`): the native stack, scanned conservatively (callee-saved registers
//!   spilled first; interior pointers count), plus an explicit root set ([`Root`]).
//! - **Tracing** (`mark.rs`): precise, from each object's header and `TypeDesc`
//!   (`mesh_rt_abi::layout`), with an explicit mark stack.
//! - **Sweeping** (`collect.rs`): bitmap arithmetic per block; empty blocks are cached up to
//!   the next budget and returned to the system beyond it.
//! - **Trigger**: when the bytes allocated since the last collection exceed
//!   max(4 MiB, live size); `MESH_GC_STRESS=1` collects at every allocation (spacing
//!   collections out once they have done a bounded amount of marking work) and poisons
//!   freed memory.
//! - **Statistics** (`stats.rs`): `MESH_GC_STATS=1` prints one line per heap at exit.
//!
//! Runtime code may hold Mesh values in locals (they live on the stack or in registers) and in
//! objects it has allocated, but never only in Rust collections (a `Vec` on the Rust heap is
//! invisible to the collector): root such values with [`Root`] or keep them reachable from a
//! local. Every allocation may collect.
//!
//! Processes: each owns a [`HeapSlot`] (the heap is created at its first allocation, its roots
//! on the process's coroutine stack), which the scheduler swaps into [`with_current`]'s cell on
//! every switch and frees when the process ends; `copy.rs` moves values between heaps.

mod block;
mod blockset;
mod collect;
mod copy;
mod heap;
mod large;
mod mark;
mod roots;
mod stats;
pub mod system;
#[cfg(test)]
mod tests;

pub use copy::Fragment;
pub use heap::{Heap, RootId, MIN_BUDGET};
pub use stats::{peak_rss, Stats};

use std::cell::Cell;
use std::io::Write;
use std::sync::OnceLock;

thread_local! {
    /// The heap slot of the process running on this thread: the only way to the current heap
    /// (see [`with_current`]). The scheduler swaps it whenever it switches processes, so it
    /// always names the running coroutine's slot; it is a cache valid between yield points,
    /// the truth lives with the process (ARCHITECTURE.md "Concurrency").
    static CURRENT: Cell<*mut HeapSlot> = const { Cell::new(std::ptr::null_mut()) };
}

/// Where a process's heap lives. The heap is created at the process's first allocation, so
/// a process that allocates nothing (an idle actor waiting for Int messages) costs no heap;
/// the slot also keeps the fragments the process uses in place (its start closure).
#[derive(Default)]
pub struct HeapSlot {
    heap: Option<Box<Heap>>,
    /// The top of the process's stack (0: the heap only collects when asked).
    stack_base: usize,
    /// Fragments whose values are used in place, freed with the slot. Their objects count as
    /// the process's own when a value is copied out.
    pinned: Vec<Fragment>,
}

impl HeapSlot {
    /// A slot for a process whose stack ends at `stack_base`.
    pub fn for_process(stack_base: usize) -> HeapSlot {
        HeapSlot {
            stack_base,
            ..HeapSlot::default()
        }
    }

    /// A slot holding an existing heap.
    pub fn with(heap: Heap) -> HeapSlot {
        HeapSlot {
            heap: Some(Box::new(heap)),
            ..HeapSlot::default()
        }
    }

    /// The heap, created on first use (a recycled one of this thread when there is one).
    pub fn heap(&mut self) -> &mut Heap {
        let base = self.stack_base;
        self.heap.get_or_insert_with(|| {
            let mut heap = take_recycled().unwrap_or_else(|| Box::new(Heap::new("")));
            if base != 0 {
                heap.set_coroutine_stack(base);
                heap.set_stress(config().stress);
            }
            heap
        })
    }

    /// Keeps `frag` alive with the slot and returns its value, used in place.
    pub fn pin(&mut self, frag: Fragment) -> u64 {
        let word = frag.word();
        self.pinned.push(frag);
        word
    }

    /// Whether `addr` starts an object of this process (its heap or a pinned fragment).
    pub(crate) fn owns(&self, addr: usize) -> bool {
        self.heap.as_ref().is_some_and(|h| h.owns(addr))
            || self.pinned.iter().any(|f| f.contains(addr))
    }

    /// Prints the heap's statistics (when `MESH_GC_STATS=1` and there is a heap) and frees
    /// everything (the process ended). `label` names the process in that line; it is only
    /// called when the line is printed.
    pub fn finish(&mut self, label: impl FnOnce() -> String) {
        if let Some(heap) = self.heap.take() {
            if config().stats {
                report_heap(&heap, &label());
            }
            recycle(heap);
        }
        self.pinned.clear();
    }
}

/// Most emptied heaps a thread keeps for the next processes it starts.
const RECYCLED_MAX: usize = 4;

thread_local! {
    /// Heaps of processes that ended on this thread, emptied but with their blocks
    /// (`Heap::recycle`): a process per HTTP request creates a heap, allocates in a few size
    /// classes and frees it all within microseconds, so the next one takes this heap as it
    /// is instead of allocating a heap, then a block per size class, then freeing them.
    #[allow(clippy::vec_box)] // handed to a `HeapSlot` as the box it holds: no 3 KiB move
    static RECYCLED: std::cell::RefCell<Vec<Box<Heap>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A heap recycled on this thread, if any. Never inlined (nor is [`recycle`]): a process may
/// move to another thread at every suspension, and a thread-local's address computed before
/// one in the calling function could be reused after it (the same rule as
/// `sched::current`).
#[inline(never)]
fn take_recycled() -> Option<Box<Heap>> {
    RECYCLED.try_with(|r| r.borrow_mut().pop()).ok().flatten()
}

/// Keeps an ended process's heap for reuse on this thread, or frees it (too big, or enough
/// kept already).
#[inline(never)]
fn recycle(mut heap: Box<Heap>) {
    let kept = RECYCLED
        .try_with(|r| {
            let mut r = r.borrow_mut();
            if r.len() < RECYCLED_MAX && heap.recycle() {
                r.push(heap);
                None
            } else {
                Some(heap)
            }
        })
        .ok()
        .flatten();
    drop(kept);
}

/// The largest allocation accepted (1 TiB); bigger requests are a Mesh panic.
const MAX_ALLOC: usize = 1 << 40;

/// Allocates `size` bytes, 8-aligned, from the current heap. The first word is zero; the
/// caller must write the object's header (`mesh_rt_abi::layout`) before its next allocation.
/// May collect. Panics the program when `size` is absurd; aborts when memory is exhausted.
#[inline]
pub fn alloc(size: usize) -> *mut u8 {
    if size > MAX_ALLOC {
        crate::fail::panic_with("allocation size overflow");
    }
    with_current(|heap| heap.alloc(size))
}

/// Runs `f` on the current heap. Code outside a process (Rust unit tests) gets a heap of its
/// own thread, created on first use, which only collects when asked.
///
/// `f` must not call back into the runtime: the heap is borrowed for its duration.
#[inline]
pub fn with_current<R>(f: impl FnOnce(&mut Heap) -> R) -> R {
    with_slot(|slot| f(slot.heap()))
}

/// Runs `f` on the current heap slot (without creating the heap). Same rules as
/// [`with_current`].
pub fn with_slot<R>(f: impl FnOnce(&mut HeapSlot) -> R) -> R {
    let slot = current_slot();
    // SAFETY: the thread's current slot is live and used only by this thread (`set_current`'s
    // contract), and `f` does not re-enter, so this is the only reference to it.
    f(unsafe { &mut *slot })
}

/// This thread's current heap slot (created for code outside a process). Never inlined: a
/// process may resume on another thread after any suspension, and an inlined thread-local
/// access could keep the first thread's address (see `sched::current`).
#[inline(never)]
fn current_slot() -> *mut HeapSlot {
    CURRENT.with(|cell| {
        let mut slot = cell.get();
        if slot.is_null() {
            slot = Box::into_raw(Box::default());
            cell.set(slot);
        }
        slot
    })
}

/// Makes `heap` the current heap of this thread and returns the previous one (null if none).
///
/// # Safety
/// `heap` must be null or stay valid, and be used by no other thread, until it is replaced.
pub unsafe fn set_current(slot: *mut HeapSlot) -> *mut HeapSlot {
    CURRENT.with(|cell| cell.replace(slot))
}

/// Prints `heap`'s statistics line, labelled `label`, when `MESH_GC_STATS=1` (as a process
/// ends).
pub fn report_heap(heap: &Heap, label: &str) {
    if !config().stats {
        return;
    }
    let line = heap.stats().line(label);
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
    let _ = err.flush();
}

/// Prints the current heap's statistics on stderr when `MESH_GC_STATS=1`. Called as the
/// program ends: after `main` returns and on the panic exit.
pub fn report_exit() {
    if !config().stats {
        return;
    }
    let slot = CURRENT.with(Cell::get);
    // SAFETY: the current slot is live and not borrowed (the runtime is not inside an
    // allocation when the program ends).
    let Some(heap) = (unsafe { slot.as_ref() }).and_then(|s| s.heap.as_deref()) else {
        return;
    };
    let line = heap.stats().line(heap.name());
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
    let _ = err.flush();
}

/// An explicit root in the current heap: the value stays alive (and keeps its contents)
/// across collections until the guard is dropped. For runtime code that must hold a value
/// where a stack scan cannot see it. Drop it in the process that created it.
pub struct Root {
    id: RootId,
}

impl Root {
    /// Roots `word` (any value word; words that are not pointers are ignored).
    pub fn new(word: u64) -> Root {
        Root {
            id: with_current(|heap| heap.add_root(word)),
        }
    }

    /// The rooted word.
    pub fn get(&self) -> u64 {
        with_current(|heap| heap.root(self.id))
    }

    /// Roots another word in place of the current one.
    pub fn set(&self, word: u64) {
        with_current(|heap| heap.set_root(self.id, word));
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        with_current(|heap| heap.remove_root(self.id));
    }
}

/// Collector switches read once from the environment.
struct Config {
    /// `MESH_GC_STRESS=1`: collect at every allocation.
    stress: bool,
    /// `MESH_GC_STATS=1`: print statistics at exit.
    stats: bool,
}

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let on = |name: &str| std::env::var_os(name).is_some_and(|v| v == "1");
        Config {
            stress: on("MESH_GC_STRESS"),
            stats: on("MESH_GC_STATS"),
        }
    })
}

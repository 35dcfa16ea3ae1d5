//! Memory for Mesh values: one heap per process (today the main program's), collected by a
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
//! Next (issue 6): a TypeDesc-driven deep copy for `send` into a fragment the receiver adopts,
//! a heap per process created by the scheduler (stack bounds of its coroutine, swapped into
//! [`with_current`]'s cell on every switch), and `free_all` when the process ends.

mod block;
mod blockset;
mod collect;
mod copy;
mod heap;
mod large;
mod mark;
mod roots;
mod stats;
#[cfg(test)]
mod tests;

pub use copy::Fragment;
pub use heap::{Heap, RootId, MIN_BUDGET};
pub use stats::{peak_rss, Stats};

use std::cell::Cell;
use std::io::Write;
use std::sync::OnceLock;

thread_local! {
    /// The heap of the process running on this thread: the only way to the current heap (see
    /// [`with_current`]). The scheduler (issue 6) swaps it whenever it switches processes, so
    /// it always names the running coroutine's heap; it is a cache valid between yield points,
    /// the truth lives with the process (ARCHITECTURE.md "Concurrency").
    static CURRENT: Cell<*mut Heap> = const { Cell::new(std::ptr::null_mut()) };
}

/// The largest allocation accepted (1 TiB); bigger requests are a Mesh panic.
const MAX_ALLOC: usize = 1 << 40;

/// Allocates `size` bytes, 8-aligned, from the current heap. The first word is zero; the
/// caller must write the object's header (`mesh_rt_abi::layout`) before its next allocation.
/// May collect. Panics the program when `size` is absurd; aborts when memory is exhausted.
#[inline]
pub fn alloc(size: usize) -> *mut u8 {
    if size > MAX_ALLOC {
        crate::abi::process::panic_with("allocation size overflow");
    }
    with_current(|heap| heap.alloc(size))
}

/// Runs `f` on the current heap. Code outside a process (Rust unit tests) gets a heap of its
/// own thread, created on first use, which only collects when asked.
///
/// `f` must not call back into the runtime: the heap is borrowed for its duration.
#[inline]
pub fn with_current<R>(f: impl FnOnce(&mut Heap) -> R) -> R {
    CURRENT.with(|cell| {
        let mut heap = cell.get();
        if heap.is_null() {
            heap = Box::into_raw(Box::new(Heap::new("thread")));
            cell.set(heap);
        }
        // SAFETY: the cell holds a live heap used only by this thread (`set_current`'s
        // contract), and `f` does not re-enter, so this is the only reference to it.
        f(unsafe { &mut *heap })
    })
}

/// Makes `heap` the current heap of this thread and returns the previous one (null if none).
///
/// # Safety
/// `heap` must be null or stay valid, and be used by no other thread, until it is replaced.
pub unsafe fn set_current(heap: *mut Heap) -> *mut Heap {
    CURRENT.with(|cell| cell.replace(heap))
}

/// Creates the main program's heap, whose stack roots lie below `stack_base` (the address of
/// a local in `mesh_rt_start`), and makes it current. Reads `MESH_GC_STRESS`.
pub fn init(stack_base: usize) {
    let mut heap = Box::new(Heap::new("main"));
    heap.set_stack_base(stack_base);
    heap.set_stress(config().stress);
    // SAFETY: the main heap lives until the program exits. A heap that was current before
    // (none in a program) is leaked: values in it may still be referenced.
    let _previous = unsafe { set_current(Box::into_raw(heap)) };
}

/// Prepares a new process's heap: its roots lie on the coroutine stack below `stack_base`;
/// `MESH_GC_STRESS` applies.
pub fn configure_process_heap(heap: &mut Heap, stack_base: usize) {
    heap.set_coroutine_stack(stack_base);
    heap.set_stress(config().stress);
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
    let heap = CURRENT.with(Cell::get);
    if heap.is_null() {
        return;
    }
    // SAFETY: the current heap is live and not borrowed (the runtime is not inside an
    // allocation when the program ends).
    let line = unsafe { (*heap).stats().line((*heap).name()) };
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

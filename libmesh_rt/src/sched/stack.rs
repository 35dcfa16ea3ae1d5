//! Process stacks and the stack-limit check of generated code.
//!
//! Every process runs on its own stack. Stacks are carved out of large `MAP_NORESERVE`
//! regions (one mapping holds many stacks), so a program with a million processes uses a
//! handful of kernel mappings rather than two per stack, and a stack only costs the pages it
//! touched. There are no guard pages between them (they would split the mappings); instead
//! generated code compares the stack pointer with the thread-local `mesh_rt_stack_limit` at
//! every function entry and calls `mesh_rt_stack_check` when it is below: a process that
//! recurses too deep crashes cleanly ("stack overflow") instead of running into its neighbour.
//! The limit sits [`RED_ZONE`] above the stack's lowest address, which leaves room for the
//! runtime's own (unchecked) frames and for unwinding.
//!
//! Stacks of finished processes go back to a pool and are reused (a small per-thread cache in
//! front of it keeps the lock off the common path). The ticker calls [`trim`] now and then:
//! free stacks beyond [`WARM_POOL`] have their pages given back to the system and move to a
//! cold list (doing that on every release would cost a TLB shootdown per process).

use std::sync::Mutex;

/// Bytes below the limit kept for runtime frames and unwinding.
pub const RED_ZONE: usize = 64 << 10;
/// Stacks per reserved region.
const PER_REGION: usize = 256;
/// Free stacks kept with their pages.
const WARM_POOL: usize = 1024;

// The thread-local limit, read by generated code with a `%fs`-relative load (local-exec TLS:
// the runtime is linked into the executable). Zero means "no limit": threads that run no
// process never take the slow path.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
std::arch::global_asm!(
    ".pushsection .tbss,\"awT\",@nobits",
    concat!(".globl ", mesh_rt_abi::stack_limit_symbol!()),
    concat!(".type ", mesh_rt_abi::stack_limit_symbol!(), ",@object"),
    concat!(".size ", mesh_rt_abi::stack_limit_symbol!(), ",8"),
    ".p2align 3",
    concat!(mesh_rt_abi::stack_limit_symbol!(), ":"),
    ".zero 8",
    ".popsection",
);

/// Sets this thread's stack limit (the running process's, or 0 for none).
#[inline]
pub fn set_limit(limit: usize) {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    // SAFETY: writes this thread's own TLS slot defined above.
    unsafe {
        std::arch::asm!(
            concat!("movq {0}, %fs:", mesh_rt_abi::stack_limit_symbol!(), "@tpoff"),
            in(reg) limit,
            options(att_syntax, nostack, preserves_flags)
        );
    }
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    let _ = limit;
}

/// The address of this thread's limit slot, so the scheduler's ticker can raise it from
/// another thread to ask the running process to yield.
pub fn limit_addr() -> usize {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    {
        let addr: usize;
        // SAFETY: reads the thread pointer and computes this thread's TLS slot address.
        unsafe {
            std::arch::asm!(
                "movq %fs:0, {0}",
                concat!("leaq ", mesh_rt_abi::stack_limit_symbol!(), "@tpoff({0}), {0}"),
                out(reg) addr,
                options(att_syntax, nostack, readonly, preserves_flags)
            );
        }
        addr
    }
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    0
}

/// The current stack pointer (approximately: the address of a local).
#[inline(always)]
pub fn current_sp() -> usize {
    let marker = 0u8;
    std::ptr::addr_of!(marker) as usize
}

/// One process stack: `[limit, base)`, growing down from `base`.
pub struct ProcStack {
    base: usize,
    low: usize,
}

// SAFETY: a stack is plain memory owned by one process at a time.
unsafe impl Send for ProcStack {}

impl ProcStack {
    /// The address generated code must stay above.
    pub fn limit(&self) -> usize {
        self.low + RED_ZONE
    }

    pub fn base(&self) -> usize {
        self.base
    }
}

// SAFETY: `base` and `low` delimit mapped, writable memory used by one coroutine at a time;
// both are page-aligned.
unsafe impl corosensei::stack::Stack for ProcStack {
    fn base(&self) -> corosensei::stack::StackPointer {
        corosensei::stack::StackPointer::new(self.base).expect("stack base is not null")
    }

    fn limit(&self) -> corosensei::stack::StackPointer {
        corosensei::stack::StackPointer::new(self.low).expect("stack limit is not null")
    }
}

struct Pool {
    size: usize,
    free: Vec<ProcStack>,
    /// Free stacks whose pages were given back.
    cold: Vec<ProcStack>,
    /// Next unused stack of the current region and how many remain.
    next: usize,
    left: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    size: 0,
    free: Vec::new(),
    cold: Vec::new(),
    next: 0,
    left: 0,
});

/// The stack size of ordinary processes: `MESH_STACK_SIZE` (bytes, rounded to pages, at least
/// 4 × the red zone) or 1 MiB. Only touched pages cost memory.
pub fn process_stack_size() -> usize {
    static SIZE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *SIZE.get_or_init(|| {
        std::env::var("MESH_STACK_SIZE")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1 << 20)
            .max(4 * RED_ZONE)
            .next_multiple_of(4096)
    })
}

/// Stacks kept per thread before going back to the shared pool.
const THREAD_CACHE: usize = 64;

thread_local! {
    static CACHE: std::cell::RefCell<Vec<ProcStack>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A stack for a new process.
#[inline(never)] // reads a thread-local: see `sched::current`
pub fn take() -> ProcStack {
    if let Some(s) = CACHE.with(|c| c.borrow_mut().pop()) {
        return s;
    }
    let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = pool.free.pop().or_else(|| pool.cold.pop()) {
        return s;
    }
    if pool.size == 0 {
        pool.size = process_stack_size();
    }
    if pool.left == 0 {
        pool.next = reserve(pool.size * PER_REGION);
        pool.left = PER_REGION;
    }
    let low = pool.next;
    pool.next += pool.size;
    pool.left -= 1;
    ProcStack {
        base: low + pool.size,
        low,
    }
}

/// Returns a finished process's stack to the pool.
#[inline(never)] // reads a thread-local: see `sched::current`
pub fn give_back(stack: ProcStack) {
    let stack = CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < THREAD_CACHE {
            c.push(stack);
            None
        } else {
            Some(stack)
        }
    });
    if let Some(stack) = stack {
        POOL.lock()
            .unwrap_or_else(|e| e.into_inner())
            .free
            .push(stack);
    }
}

/// Gives the pages of free stacks beyond [`WARM_POOL`] back to the system.
pub fn trim() {
    let excess: Vec<ProcStack> = {
        let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
        let keep = pool.free.len().min(WARM_POOL);
        pool.free.split_off(keep)
    };
    if excess.is_empty() {
        return;
    }
    for s in &excess {
        // SAFETY: the range is this free stack's own mapped memory; nothing runs on it.
        unsafe { libc_madvise(s.low, s.base - s.low) };
    }
    POOL.lock()
        .unwrap_or_else(|e| e.into_inner())
        .cold
        .extend(excess);
}

/// A separate stack of `size` bytes (the main process's), with a guard page below it.
pub fn dedicated(size: usize) -> ProcStack {
    let size = size.next_multiple_of(4096);
    let low = reserve(size + 4096);
    // SAFETY: the first page of the fresh mapping becomes the guard.
    unsafe { mprotect_none(low, 4096) };
    ProcStack {
        base: low + 4096 + size,
        low: low + 4096,
    }
}

fn reserve(bytes: usize) -> usize {
    // SAFETY: a fresh anonymous private mapping; no existing memory is affected.
    let p = unsafe {
        mmap(
            std::ptr::null_mut(),
            bytes,
            PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
            -1,
            0,
        )
    };
    if p as isize == -1 {
        crate::fail::fatal("cannot reserve memory for process stacks");
    }
    p as usize
}

/// # Safety
/// `[addr, addr + len)` must be mapped memory nothing needs the contents of.
unsafe fn libc_madvise(addr: usize, len: usize) {
    // SAFETY: forwarded contract.
    unsafe { madvise(addr as *mut u8, len, MADV_DONTNEED) };
}

/// # Safety
/// `[addr, addr + len)` must be mapped memory that nothing uses.
unsafe fn mprotect_none(addr: usize, len: usize) {
    // SAFETY: forwarded contract.
    unsafe { mprotect(addr as *mut u8, len, PROT_NONE) };
}

const PROT_NONE: i32 = 0;
const PROT_READ: i32 = 1;
const PROT_WRITE: i32 = 2;
const MAP_PRIVATE: i32 = 0x02;
const MAP_ANONYMOUS: i32 = 0x20;
const MAP_NORESERVE: i32 = 0x4000;
const MADV_DONTNEED: i32 = 4;

extern "C" {
    fn mmap(addr: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut u8;
    fn madvise(addr: *mut u8, len: usize, advice: i32) -> i32;
    fn mprotect(addr: *mut u8, len: usize, prot: i32) -> i32;
}

//! Conservative root finding on the native stack. Generated code and the runtime keep Mesh
//! values in registers and stack slots without telling anyone, so a collection treats every
//! aligned word between the current stack pointer and the recorded stack base as a possible
//! pointer (interior pointers included, see `mark.rs`).
//!
//! Values may also sit in callee-saved registers, which no stack slot holds yet. Before
//! scanning, [`scan_stack`] (never inlined) stores those registers into an array in its own
//! frame with inline assembly and reads the stack pointer below that frame, so the scanned
//! range covers the spilled registers, the frame's own saved registers and every caller:
//! x86-64 saves rbx, rbp, r12–r15; AArch64 saves x19–x29 and d8–d15. Caller-saved registers
//! hold nothing across the call into the runtime (the caller spilled what it still needs).

use super::heap::Heap;

#[cfg(target_arch = "x86_64")]
const SAVED: usize = 6;
#[cfg(target_arch = "aarch64")]
const SAVED: usize = 19;
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!(
    "mem/roots.rs: spilling callee-saved registers is implemented for x86-64 and AArch64"
);

/// Marks every object of `heap` that a word on the stack, from the current stack pointer to
/// `base`, points into.
#[inline(never)]
pub(super) fn scan_stack(heap: &mut Heap, base: usize) {
    let mut saved = [0usize; SAVED];
    let sp = spill(&mut saved);
    std::hint::black_box(&mut saved);
    if sp >= base {
        return;
    }
    let mut at = sp.next_multiple_of(8);
    while at + 8 <= base {
        // SAFETY: [sp, base) is the live part of this thread's stack (the heap only scans
        // on the thread that recorded `base`, from a frame below it), so every aligned word
        // there is mapped and readable. Volatile: the words belong to other frames.
        let word = unsafe { std::ptr::read_volatile(at as *const u64) };
        heap.visit(word, true);
        at += 8;
    }
}

/// Stores the callee-saved registers into `saved` and returns the stack pointer.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn spill(saved: &mut [usize; SAVED]) -> usize {
    let sp: usize;
    // SAFETY: only stores into `saved` (six words, the operand's pointee) and reads rsp.
    unsafe {
        std::arch::asm!(
            "mov [{r}], rbx",
            "mov [{r} + 8], rbp",
            "mov [{r} + 16], r12",
            "mov [{r} + 24], r13",
            "mov [{r} + 32], r14",
            "mov [{r} + 40], r15",
            "mov {sp}, rsp",
            r = in(reg) saved.as_mut_ptr(),
            sp = out(reg) sp,
            options(nostack, preserves_flags),
        );
    }
    sp
}

/// Stores the callee-saved registers into `saved` and returns the stack pointer.
#[cfg(target_arch = "aarch64")]
#[inline(always)]
fn spill(saved: &mut [usize; SAVED]) -> usize {
    let sp: usize;
    // SAFETY: only stores into `saved` (nineteen words, the operand's pointee) and reads sp.
    unsafe {
        std::arch::asm!(
            "stp x19, x20, [{r}]",
            "stp x21, x22, [{r}, #16]",
            "stp x23, x24, [{r}, #32]",
            "stp x25, x26, [{r}, #48]",
            "stp x27, x28, [{r}, #64]",
            "str x29, [{r}, #80]",
            "stp d8, d9, [{r}, #88]",
            "stp d10, d11, [{r}, #104]",
            "stp d12, d13, [{r}, #120]",
            "stp d14, d15, [{r}, #136]",
            "mov {sp}, sp",
            r = in(reg) saved.as_mut_ptr(),
            sp = out(reg) sp,
            options(nostack, preserves_flags),
        );
    }
    sp
}

//! Settings of the system allocator (glibc's malloc), made once at program start.
//!
//! Large objects, message fragments and I/O buffers of tens of KiB come from malloc and go
//! back to it within microseconds (a 64 KiB message is received, decoded and collected).
//! By default glibc returns the top of an arena to the system as soon as 128 KiB are free
//! there, and serves requests from 128 KiB on with their own `mmap`, so such traffic pays a
//! page fault per 4 KiB page on every message. Raising both thresholds keeps that memory in
//! the process for reuse. The memory kept is bounded by the threshold per arena, and only
//! memory the program already used is kept, so the idle footprint does not change.

/// `mallopt` parameters (glibc's `malloc.h`).
const M_TRIM_THRESHOLD: i32 = -1;
const M_MMAP_THRESHOLD: i32 = -3;

/// Free bytes at the top of an arena kept before it is trimmed; also the size from which
/// requests get their own mapping.
const KEEP: i32 = 16 << 20;

extern "C" {
    fn mallopt(param: i32, value: i32) -> i32;
}

/// Applies the settings above (before any thread starts).
pub fn tune() {
    // SAFETY: `mallopt` only changes allocator parameters; called before other threads run.
    unsafe {
        mallopt(M_TRIM_THRESHOLD, KEEP);
        mallopt(M_MMAP_THRESHOLD, KEEP);
    }
}

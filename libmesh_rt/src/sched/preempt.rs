//! Preemption (language spec §7): a ticker thread advances an epoch every [`TICK`]; a worker
//! whose process has held it for two ticks gets its stack limit raised to the maximum, so
//! the next function entry or loop back-edge of generated code calls `mesh_rt_stack_check`
//! (`worker::stack_check`), which yields. The ticker also trims the stack pool now and then.

use super::stack;
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// What the ticker sees of one worker: where its stack limit lives and since which tick
/// the running process has had the thread (0: none).
pub(super) struct WorkerSlot {
    limit_addr: usize,
    since: AtomicU64,
}

/// The preemption clock: advanced every [`TICK`] by the ticker thread.
static EPOCH: AtomicU64 = AtomicU64::new(1);
/// Ticker period; a process is asked to yield after two to three ticks on a thread.
const TICK: Duration = Duration::from_millis(2);
static SLOTS: Mutex<Vec<&'static WorkerSlot>> = Mutex::new(Vec::new());

thread_local! {
    /// This worker's slot (null on other threads).
    static SLOT: Cell<*const WorkerSlot> = const { Cell::new(std::ptr::null()) };
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The current tick.
pub(super) fn epoch() -> u64 {
    EPOCH.load(Ordering::Relaxed)
}

/// Starts the ticker thread.
pub(super) fn start_ticker() {
    std::thread::Builder::new()
        .name("mesh-ticker".into())
        .spawn(ticker)
        .unwrap_or_else(|_| crate::fail::fatal("cannot start the ticker thread"));
}

fn ticker() {
    loop {
        std::thread::sleep(TICK);
        let now = EPOCH.fetch_add(1, Ordering::Relaxed) + 1;
        if now.is_multiple_of(128) {
            stack::trim();
        }
        for slot in lock(&SLOTS).iter() {
            let since = slot.since.load(Ordering::Relaxed);
            if since != 0 && now.saturating_sub(since) >= 2 && slot.limit_addr != 0 {
                // SAFETY: the slot is the worker's TLS limit, alive as long as the worker
                // thread (which never exits); an aligned word store.
                unsafe { std::sync::atomic::AtomicUsize::from_ptr(slot.limit_addr as *mut usize) }
                    .store(usize::MAX, Ordering::Relaxed);
            }
        }
    }
}

/// Gives the calling worker thread its slot (once, when it starts).
pub(super) fn register_worker() {
    let slot: &'static WorkerSlot = Box::leak(Box::new(WorkerSlot {
        limit_addr: stack::limit_addr(),
        since: AtomicU64::new(0),
    }));
    lock(&SLOTS).push(slot);
    SLOT.with(|s| s.set(slot));
}

/// Marks the start (`true`) or end of a process's run on this worker.
pub(super) fn run_started(running: bool) {
    let slot = SLOT.with(Cell::get);
    // SAFETY: a worker's slot is leaked, so it lives forever.
    if let Some(slot) = unsafe { slot.as_ref() } {
        let since = if running { epoch() } else { 0 };
        slot.since.store(since, Ordering::Relaxed);
    }
}

/// Whether the process running on this worker has used up its time slice (two ticks).
pub(super) fn slice_used() -> bool {
    let slot = SLOT.with(Cell::get);
    // SAFETY: a worker's slot is leaked, so it lives forever.
    unsafe { slot.as_ref() }.is_some_and(|slot| {
        let since = slot.since.load(Ordering::Relaxed);
        since != 0 && epoch().saturating_sub(since) >= 2
    })
}

/// Whether a worker other than the calling one is running a process now.
pub(super) fn others_running() -> bool {
    let me = SLOT.with(Cell::get);
    lock(&SLOTS)
        .iter()
        .any(|slot| !std::ptr::eq(*slot, me) && slot.since.load(Ordering::Relaxed) != 0)
}

//! The scheduler: Mesh processes as stackful coroutines multiplexed over worker threads.
//!
//! ARCHITECTURE.md ("Concurrency") has the design; in short:
//!
//! - **Workers** (`worker.rs`): `MESH_WORKERS` threads (default: one per core), each with a
//!   local run queue (crossbeam-deque) and stealing from a global injector and from each
//!   other. One idle worker sleeps in the poller (`net::poller`), the others on a condition
//!   variable.
//! - **Processes** (`process.rs`): a corosensei coroutine on a stack from `stack.rs`, a heap
//!   of their own, a mailbox. The worker running a process publishes it (and its heap and
//!   stack limit) in thread-locals before every resume; a process only gives up its thread
//!   inside runtime calls (`suspend`), so those thread-locals are valid for all code it runs.
//! - **States**: Runnable (in one queue, or running on one worker) → Waiting / Done. One wake
//!   mechanism for every reason a process waits: whoever satisfies the wait calls `wake`
//!   under the process's lock (or wakes its `std::task::Waker`); the timer thread does so at
//!   a deadline (`timer.rs`).
//! - **Preemption** (`preempt.rs`): a ticker raises the stack limit of a worker whose process
//!   has run for two ticks, so generated code calls `stack_check`, which yields.
//! - **Blocking work** (`blocking.rs`): a thread pool, with per-class concurrency limits.
//! - **Exit**: after `main` returns, the program runs until no process is runnable, running,
//!   waiting with a deadline, or about to get a delayed message (language spec §7): `busy`
//!   counts exactly those.
//!
//! What the processes do (spawn, messages, links, monitors, names) is `actor/`; supervisors,
//! services and jobs are `otp/`.

mod blocking;
mod preempt;
pub mod process;
pub mod stack;
mod timer;
mod worker;

pub use blocking::{blocking, blocking_in, BlockingClass};
pub use process::{
    make_pid, pid_node, pid_serial, pid_text, Envelope, Exit, Pid, Process, State, Suspend,
};
pub use timer::{coarse_now_ns, coarse_unix_secs, instant_at, now_ns, ns_at, COARSE_LAG_NS};
pub use worker::{
    busy_add, busy_sub, current, current_arc, current_waker, install, park, stack_check, start,
    start_process, start_process_here, suspend, wait_exit, wake, wake_process, yield_now,
};

/// Deadline for `receive … after ms`: `ms <= 0` polls.
pub fn deadline_after(ms: i64) -> u64 {
    now_ns() + (ms.max(0) as u64).saturating_mul(1_000_000)
}

/// Runs `f` at `at` (ns since the epoch) on the timer thread. The program counts as busy
/// until it has run.
pub fn run_at(at: u64, f: impl FnOnce() + Send + 'static) {
    busy_add(1);
    timer::add(
        at,
        Box::new(move || {
            f();
            busy_sub(1);
        }),
    );
}

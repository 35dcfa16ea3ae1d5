//! Waiting for a database resource (a pool's connection, a shared connection's turn) without
//! blocking a scheduler worker: a Mesh process parks (the scheduler's one wake mechanism, a
//! `std::task::Waker`), any other thread (the CLI, Rust tests, a blocking-pool job) parks
//! itself. Both are woken through the same `Waker`, so the resources keep one queue of
//! wakers whoever waits.

use crate::sched;
use std::sync::Arc;
use std::task::{Wake, Waker};
use std::thread::Thread;
use std::time::Instant;

/// Wakes a thread parked in [`Waiter::wait`].
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// The caller about to wait: the running process, or else the calling thread.
pub struct Waiter {
    waker: Waker,
    in_process: bool,
}

/// A process's wait without a deadline, counted as busy (like a socket wait), so the program
/// does not end under a process that will be woken; uncounted again on any exit, an exit
/// signal's unwinding included.
struct Busy;

impl Drop for Busy {
    fn drop(&mut self) {
        sched::busy_sub(1);
    }
}

impl Waiter {
    pub fn current() -> Waiter {
        match sched::current_waker() {
            Some(waker) => Waiter {
                waker,
                in_process: true,
            },
            None => Waiter {
                waker: Waker::from(Arc::new(ThreadWaker(std::thread::current()))),
                in_process: false,
            },
        }
    }

    /// What wakes this waiter (store it where the waker-to-be finds it, then [`wait`]).
    ///
    /// [`wait`]: Waiter::wait
    pub fn waker(&self) -> &Waker {
        &self.waker
    }

    /// Waits until woken or until `deadline`. May return early (a stale wake-up): callers
    /// re-check what they wait for in a loop.
    pub fn wait(&self, deadline: Option<Instant>) {
        if self.in_process {
            match deadline {
                Some(d) => sched::park(Some(deadline_ns(d))),
                None => {
                    sched::busy_add(1);
                    let _busy = Busy;
                    sched::park(None);
                }
            }
        } else {
            match deadline {
                Some(d) => std::thread::park_timeout(d.saturating_duration_since(Instant::now())),
                None => std::thread::park(),
            }
        }
    }
}

/// The scheduler's clock value (ns) of `deadline`.
fn deadline_ns(deadline: Instant) -> u64 {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .as_nanos();
    sched::now_ns().saturating_add(u64::try_from(left).unwrap_or(u64::MAX))
}

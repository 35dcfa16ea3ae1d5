//! Blocking work (file and terminal I/O today; database and DNS calls later) must not stall
//! the workers: [`blocking`] runs the call on a pool of plain threads while the calling
//! process is parked, so the worker goes on running other processes.
//!
//! The pool grows on demand (a new thread when none is idle, up to [`MAX_THREADS`]) and its
//! threads wait for jobs on a channel. The offloaded closure must not touch Mesh values:
//! callers convert their arguments to Rust values first and build Mesh results after.
//! While a job is in flight the program counts as busy (it does not exit under it).
//!
//! **Classes.** A [`BlockingClass`] bounds how many jobs of one kind run at once (a database
//! pool's connections, say): [`blocking_in`] first takes a slot of the class, parking the
//! calling process while all are taken (never the worker); a freed slot is handed to the
//! longest-waiting process.

use super::worker::{busy_add, busy_sub, current_waker, park};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

/// Upper bound on pool threads (further jobs queue).
const MAX_THREADS: usize = 64;

type Job = Box<dyn FnOnce() + Send>;

struct Pool {
    jobs: Mutex<Sender<Job>>,
    queue: Arc<Mutex<Receiver<Job>>>,
    threads: AtomicUsize,
    idle: Arc<AtomicUsize>,
    /// Jobs sent and not taken by a thread yet: an idle thread may be about to take an
    /// earlier one (a job that blocks for long, `IO.read_line`, must not hold up the next).
    queued: Arc<AtomicUsize>,
}

fn pool() -> &'static Pool {
    static P: OnceLock<Pool> = OnceLock::new();
    P.get_or_init(|| {
        let (tx, rx) = channel();
        Pool {
            jobs: Mutex::new(tx),
            queue: Arc::new(Mutex::new(rx)),
            threads: AtomicUsize::new(0),
            idle: Arc::new(AtomicUsize::new(0)),
            queued: Arc::new(AtomicUsize::new(0)),
        }
    })
}

fn submit(job: Job) {
    let p = pool();
    let ahead = p.queued.fetch_add(1, Ordering::SeqCst);
    if p.idle.load(Ordering::SeqCst) <= ahead && p.threads.load(Ordering::SeqCst) < MAX_THREADS {
        let n = p.threads.fetch_add(1, Ordering::SeqCst);
        let (queue, idle, queued) = (
            Arc::clone(&p.queue),
            Arc::clone(&p.idle),
            Arc::clone(&p.queued),
        );
        let started = std::thread::Builder::new()
            .name(format!("mesh-blocking-{n}"))
            .spawn(move || loop {
                idle.fetch_add(1, Ordering::SeqCst);
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                idle.fetch_sub(1, Ordering::SeqCst);
                match next {
                    Ok(job) => {
                        queued.fetch_sub(1, Ordering::SeqCst);
                        job()
                    }
                    Err(_) => return,
                }
            });
        if started.is_err() {
            p.threads.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let sent = p.jobs.lock().unwrap_or_else(|e| e.into_inner()).send(job);
    if let Err(e) = sent {
        // The pool cannot be gone; run the job here rather than lose it.
        p.queued.fetch_sub(1, Ordering::SeqCst);
        (e.0)();
    }
}

/// Runs `f` off the scheduler's threads and returns its result; the calling process is
/// parked meanwhile. Outside a process (or in `main` before the scheduler runs) `f` runs
/// inline.
pub fn blocking<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let Some(waker) = current_waker() else {
        return f();
    };
    let slot: Arc<Mutex<Option<R>>> = Arc::new(Mutex::new(None));
    let out = Arc::clone(&slot);
    busy_add(1);
    submit(Box::new(move || {
        let r = f();
        *out.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
        waker.wake();
        busy_sub(1);
    }));
    loop {
        if let Some(r) = slot.lock().unwrap_or_else(|e| e.into_inner()).take() {
            return r;
        }
        park(None);
    }
}

/// A kind of blocking work with a limit on how many of its jobs run at once.
pub struct BlockingClass {
    name: String,
    max: usize,
    state: Mutex<ClassState>,
}

struct ClassState {
    in_use: usize,
    /// Processes waiting for a slot, first come first served.
    waiting: VecDeque<Arc<Ticket>>,
}

/// A process's place in a class's queue.
struct Ticket {
    /// A slot was handed to this waiter.
    granted: AtomicBool,
    waker: std::task::Waker,
}

impl BlockingClass {
    /// A class of at most `max` (at least 1) concurrent jobs; `name` is for diagnostics.
    pub fn new(name: &str, max: usize) -> BlockingClass {
        BlockingClass {
            name: name.to_string(),
            max: max.max(1),
            state: Mutex::new(ClassState {
                in_use: 0,
                waiting: VecDeque::new(),
            }),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The concurrency limit.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Jobs of the class running now.
    pub fn in_use(&self) -> usize {
        self.lock().in_use
    }

    /// Processes waiting for a slot now.
    pub fn queued(&self) -> usize {
        self.lock().waiting.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClassState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes a slot, parking the calling process while none is free.
    fn acquire(self: &Arc<Self>) -> Slot {
        let ticket = {
            let mut g = self.lock();
            if g.in_use < self.max && g.waiting.is_empty() {
                g.in_use += 1;
                return Slot(Arc::clone(self));
            }
            let Some(waker) = current_waker() else {
                // Not in a process: nothing to park; run over the limit rather than block
                // a thread that may be the one to free a slot.
                g.in_use += 1;
                return Slot(Arc::clone(self));
            };
            let ticket = Arc::new(Ticket {
                granted: AtomicBool::new(false),
                waker,
            });
            g.waiting.push_back(Arc::clone(&ticket));
            ticket
        };
        // Leaves the queue (or gives back a slot granted meanwhile) if the wait is cut short
        // by an exit signal unwinding the process.
        let mut guard = Waiting {
            class: self,
            ticket,
            done: false,
        };
        while !guard.ticket.granted.load(Ordering::Acquire) {
            park(None);
        }
        guard.done = true;
        Slot(Arc::clone(self))
    }

    /// Frees a slot: hands it to the first waiting process, if any.
    fn release(&self) {
        let next = {
            let mut g = self.lock();
            match g.waiting.pop_front() {
                Some(t) => {
                    t.granted.store(true, Ordering::Release);
                    Some(t)
                }
                None => {
                    g.in_use = g.in_use.saturating_sub(1);
                    None
                }
            }
        };
        if let Some(t) = next {
            t.waker.wake_by_ref();
        }
    }
}

/// A held slot of a class, freed on drop.
struct Slot(Arc<BlockingClass>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.release();
    }
}

/// A wait for a slot in progress.
struct Waiting<'a> {
    class: &'a BlockingClass,
    ticket: Arc<Ticket>,
    done: bool,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut g = self.class.lock();
        if self.ticket.granted.load(Ordering::Acquire) {
            drop(g);
            self.class.release();
        } else {
            g.waiting.retain(|t| !Arc::ptr_eq(t, &self.ticket));
        }
    }
}

/// [`blocking`] within `class`'s limit: waits (parked) for a slot of the class first, so at
/// most `class.max()` of its jobs run at once; callers beyond the limit queue in order. The
/// slot is freed when the job ends (on the pool thread), even if its caller is gone.
pub fn blocking_in<R: Send + 'static>(
    class: &Arc<BlockingClass>,
    f: impl FnOnce() -> R + Send + 'static,
) -> R {
    let slot = class.acquire();
    blocking(move || {
        let r = f();
        drop(slot);
        r
    })
}

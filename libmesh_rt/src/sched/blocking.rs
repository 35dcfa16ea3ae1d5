//! Blocking work (file and terminal I/O today; database and DNS calls later) must not stall
//! the workers: [`blocking`] runs the call on a pool of plain threads while the calling
//! process is parked, so the worker goes on running other processes.
//!
//! The pool grows on demand (a new thread when none is idle, up to [`MAX_THREADS`]) and its
//! threads wait for jobs on a channel. The offloaded closure must not touch Mesh values:
//! callers convert their arguments to Rust values first and build Mesh results after.
//! While a job is in flight the program counts as busy (it does not exit under it).

use super::{busy_add, busy_sub, current, lookup, suspend, wake, Suspend};
use std::sync::atomic::{AtomicUsize, Ordering};
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
        }
    })
}

fn submit(job: Job) {
    let p = pool();
    if p.idle.load(Ordering::SeqCst) == 0 && p.threads.load(Ordering::SeqCst) < MAX_THREADS {
        let n = p.threads.fetch_add(1, Ordering::SeqCst);
        let (queue, idle) = (Arc::clone(&p.queue), Arc::clone(&p.idle));
        let started = std::thread::Builder::new()
            .name(format!("mesh-blocking-{n}"))
            .spawn(move || loop {
                idle.fetch_add(1, Ordering::SeqCst);
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                idle.fetch_sub(1, Ordering::SeqCst);
                match next {
                    Ok(job) => job(),
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
        (e.0)();
    }
}

/// Runs `f` off the scheduler's threads and returns its result; the calling process is
/// parked meanwhile. Outside a process (or in `main` before the scheduler runs) `f` runs
/// inline.
pub fn blocking<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let Some(me) = current() else {
        return f();
    };
    let pid = me.pid;
    let slot: Arc<Mutex<Option<R>>> = Arc::new(Mutex::new(None));
    let out = Arc::clone(&slot);
    busy_add(1);
    submit(Box::new(move || {
        let r = f();
        *out.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
        if let Some(p) = lookup(pid) {
            let mut g = p.lock();
            g.blocking_done = true;
            wake(&p, &mut g);
        }
        busy_sub(1);
    }));
    loop {
        if let Some(r) = slot.lock().unwrap_or_else(|e| e.into_inner()).take() {
            if let Some(me) = current() {
                me.lock().blocking_done = false;
            }
            return r;
        }
        suspend(Suspend::Park {
            deadline: None,
            on_message: false,
            seen: 0,
        });
    }
}

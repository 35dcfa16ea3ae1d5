//! The poller: one `mio::Poll` (epoll) for the whole program, where every socket is
//! registered (edge-triggered) and where an idle worker sleeps.
//!
//! - **Sleeping in it.** At most one thread at a time sleeps in `epoll_wait` ([`Poller::poll`]
//!   takes the poll with `try_lock`; the other idle workers wait on the scheduler's condition
//!   variable). Before it sleeps it says so (`sleeping`) and then checks for work once more;
//!   whoever queues work afterwards sees the flag and writes the `mio::Waker` ([`notify`]),
//!   so a wake-up cannot fall between the check and the sleep (both sides order their store
//!   and load with SeqCst fences). Busy workers also poll without blocking once per
//!   preemption tick, so readiness is seen even when no worker is idle.
//! - **Readiness.** A registered socket has a [`Readiness`]: a bit per direction set by
//!   events, and the waker of the process waiting for that direction. A process tries its
//!   I/O first; only on `WouldBlock` does it call [`Readiness::take_or_wait`], which either
//!   takes a bit set since its last try (try again) or records its waker, under one lock,
//!   so an event between the failed try and the wait is never missed.
//!
//! This module knows nothing of processes: it wakes `std::task::Waker`s, which the scheduler
//! makes from processes (`sched::current_waker`).
//!
//! [`notify`]: Poller::notify

use mio::event::Source;
use mio::{Events, Interest, Poll, Registry, Token};
use std::collections::HashMap;
use std::io;
use std::sync::atomic::{fence, AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, TryLockError};
use std::task::Waker;
use std::time::Duration;

/// The token of the poller's own waker.
const WAKE_TOKEN: Token = Token(0);
/// Events taken per `epoll_wait`.
const EVENTS: usize = 256;

/// A direction of readiness.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
    Read = 0,
    Write = 1,
}

/// The readiness of one registered source.
pub struct Readiness {
    token: usize,
    state: Mutex<ReadyState>,
    /// An event reported a hang-up or an error: sticky, since no later event will come.
    /// Set under the lock with the readiness bits; read without it (every read of a
    /// connection asks).
    closed: AtomicBool,
}

#[derive(Default)]
struct ReadyState {
    /// Bit `1 << Direction`: an event came since the last [`Readiness::take_or_wait`].
    ready: u8,
    /// The process waiting for each direction.
    waiting: [Option<Waker>; 2],
}

impl Readiness {
    fn lock(&self) -> std::sync::MutexGuard<'_, ReadyState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// After an I/O attempt failed with `WouldBlock`: takes the readiness of `dir` that came
    /// since the last call (returns `true`: try again), or records `waker`, woken by the next
    /// event of `dir` (returns `false`: park). After `true` no waker of `dir` is recorded (the
    /// event that set the bit took the one recorded before it), so the caller need not
    /// [`cancel`](Self::cancel).
    pub fn take_or_wait(&self, dir: Direction, waker: &Waker) -> bool {
        let bit = 1 << dir as u8;
        let mut g = self.lock();
        if g.ready & bit != 0 {
            g.ready &= !bit;
            return true;
        }
        match &mut g.waiting[dir as usize] {
            Some(w) if w.will_wake(waker) => {}
            slot => *slot = Some(waker.clone()),
        }
        false
    }

    /// Forgets the waiter of `dir` (its wait ended otherwise: a deadline, an exit signal).
    pub fn cancel(&self, dir: Direction) {
        let waker = self.lock().waiting[dir as usize].take();
        drop(waker);
    }

    /// Whether an event has reported a hang-up or an error on this socket. A reader that saw
    /// a short read must not wait for another event then: the end of the stream may already
    /// be pending behind the bytes it read, announced by the event it consumed.
    pub fn closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Whether no event of `dir` is pending (none came since the last one
    /// [`take_or_wait`](Self::take_or_wait) took) and none reported a hang-up or an error.
    pub fn quiet(&self, dir: Direction) -> bool {
        let g = self.lock();
        g.ready & (1 << dir as u8) == 0 && !self.closed.load(Ordering::Acquire)
    }

    /// An event: notes it and wakes the waiters of its directions.
    fn fire(&self, read: bool, write: bool, broken: bool) {
        let (r, w) = {
            let mut g = self.lock();
            if broken {
                self.closed.store(true, Ordering::Release);
            }
            let mut take = |dir: Direction, on: bool| {
                if !on {
                    return None;
                }
                g.ready |= 1 << dir as u8;
                g.waiting[dir as usize].take()
            };
            (take(Direction::Read, read), take(Direction::Write, write))
        };
        for waker in [r, w].into_iter().flatten() {
            waker.wake();
        }
    }
}

/// The program's poller.
pub struct Poller {
    poll: Mutex<(Poll, Events)>,
    registry: Registry,
    waker: mio::Waker,
    /// A thread is in (or about to enter) `epoll_wait` and has already checked for work.
    sleeping: AtomicBool,
    sources: Mutex<HashMap<usize, Arc<Readiness>>>,
    next_token: AtomicUsize,
}

/// The program's poller (created at first use).
pub fn poller() -> &'static Poller {
    static P: OnceLock<Poller> = OnceLock::new();
    P.get_or_init(|| {
        let make = || -> io::Result<Poller> {
            let poll = Poll::new()?;
            let registry = poll.registry().try_clone()?;
            let waker = mio::Waker::new(poll.registry(), WAKE_TOKEN)?;
            Ok(Poller {
                poll: Mutex::new((poll, Events::with_capacity(EVENTS))),
                registry,
                waker,
                sleeping: AtomicBool::new(false),
                sources: Mutex::new(HashMap::new()),
                next_token: AtomicUsize::new(1),
            })
        };
        make().unwrap_or_else(|e| crate::fail::fatal(&format!("cannot create the poller: {e}")))
    })
}

impl Poller {
    /// Polls for readiness as the one thread allowed to, and wakes the processes waiting for
    /// what became ready. `work_queued` is asked after announcing the sleep: when it says
    /// there is work (or `block` is false) the poll does not block. Returns `None` when
    /// another thread holds the poller, else the number of readiness events.
    pub fn poll(&self, block: bool, work_queued: impl FnOnce() -> bool) -> Option<usize> {
        let mut guard = match self.poll.try_lock() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
            Err(TryLockError::WouldBlock) => return None,
        };
        let (poll, events) = &mut *guard;
        let mut timeout = Some(Duration::ZERO);
        if block {
            self.sleeping.store(true, Ordering::SeqCst);
            fence(Ordering::SeqCst);
            if !work_queued() {
                timeout = None;
            }
        }
        let polled = poll.poll(events, timeout);
        self.sleeping.store(false, Ordering::SeqCst);
        if polled.is_err() {
            // EINTR and the like: the caller looks for work and comes back.
            return Some(0);
        }
        // On the stack, not in a vector allocated per poll: at most `EVENTS` events.
        let mut fired = [const { None }; EVENTS];
        let mut n = 0;
        {
            let sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
            for ev in events.iter() {
                if ev.token() == WAKE_TOKEN {
                    continue;
                }
                if let (Some(r), Some(slot)) = (sources.get(&ev.token().0), fired.get_mut(n)) {
                    // Errors and hang-ups end both directions: the next try reports them.
                    let broken = ev.is_error() || ev.is_read_closed() || ev.is_write_closed();
                    let read = ev.is_readable() || broken;
                    let write = ev.is_writable() || broken;
                    *slot = Some((Arc::clone(r), read, write, broken));
                    n += 1;
                }
            }
        }
        drop(guard);
        for (r, read, write, broken) in fired.into_iter().flatten() {
            r.fire(read, write, broken);
        }
        Some(n)
    }

    /// Wakes the thread sleeping in `epoll_wait`, if any (work was queued). Returns whether
    /// there was one.
    pub fn notify(&self) -> bool {
        fence(Ordering::SeqCst);
        if self.sleeping.load(Ordering::SeqCst) && self.sleeping.swap(false, Ordering::SeqCst) {
            // A failed write leaves the sleeper to its next event; nothing better to do.
            let _ = self.waker.wake();
            return true;
        }
        false
    }

    /// Registers `source` for both directions.
    pub fn register(&self, source: &mut impl Source) -> io::Result<Arc<Readiness>> {
        let token = self.next_token.fetch_add(1, Ordering::Relaxed);
        let r = Arc::new(Readiness {
            token,
            state: Mutex::new(ReadyState::default()),
            closed: AtomicBool::new(false),
        });
        self.sources
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(token, Arc::clone(&r));
        let registered = self.registry.register(
            source,
            Token(token),
            Interest::READABLE | Interest::WRITABLE,
        );
        if let Err(e) = registered {
            self.forget(&r);
            return Err(e);
        }
        Ok(r)
    }

    /// Removes `source` from the poller (before it is closed).
    pub fn deregister(&self, source: &mut impl Source, r: &Readiness) {
        let _ = self.registry.deregister(source);
        self.forget(r);
    }

    fn forget(&self, r: &Readiness) {
        self.sources
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&r.token);
    }
}

//! The timer thread: wakes processes whose wait reached its deadline (`receive … after`,
//! `Timer.sleep`, socket deadlines) and runs delayed actions (`Timer.send_after`). One thread
//! sleeps until the earliest deadline; entries are a binary heap.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What to run at a deadline (wake a process, deliver a delayed message).
pub type Action = Box<dyn FnOnce() + Send>;

struct Entry {
    at: u64,
    seq: u64,
    action: Action,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

struct Timers {
    heap: Mutex<(BinaryHeap<Reverse<Entry>>, u64)>,
    cv: Condvar,
}

fn timers() -> &'static Timers {
    static T: OnceLock<Timers> = OnceLock::new();
    T.get_or_init(|| {
        std::thread::Builder::new()
            .name("mesh-timer".into())
            .spawn(run)
            .unwrap_or_else(|_| crate::fail::fatal("cannot start the timer thread"));
        Timers {
            heap: Mutex::new((BinaryHeap::new(), 0)),
            cv: Condvar::new(),
        }
    })
}

/// Nanoseconds since the runtime's epoch (monotonic).
pub fn now_ns() -> u64 {
    epoch().elapsed().as_nanos() as u64
}

/// The clock value (ns, see [`now_ns`]) of `at` (0 for instants before the clock's epoch),
/// without reading the clock.
pub fn ns_at(at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(epoch()).as_nanos()).unwrap_or(u64::MAX)
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Runs `action` at `at` (ns since the epoch).
pub fn add(at: u64, action: Action) {
    let t = timers();
    let mut guard = t.heap.lock().unwrap_or_else(|e| e.into_inner());
    let (heap, seq) = &mut *guard;
    *seq += 1;
    let earliest = heap.peek().is_none_or(|Reverse(e)| at < e.at);
    heap.push(Reverse(Entry {
        at,
        seq: *seq,
        action,
    }));
    drop(guard);
    if earliest {
        t.cv.notify_one();
    }
}

fn run() {
    let t = timers();
    let mut guard = t.heap.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let now = now_ns();
        let mut due = Vec::new();
        while guard.0.peek().is_some_and(|Reverse(e)| e.at <= now) {
            if let Some(Reverse(e)) = guard.0.pop() {
                due.push(e.action);
            }
        }
        if !due.is_empty() {
            drop(guard);
            for action in due {
                fire(action);
            }
            guard = t.heap.lock().unwrap_or_else(|e| e.into_inner());
            continue;
        }
        let wait = guard
            .0
            .peek()
            .map_or(Duration::from_secs(3600), |Reverse(e)| {
                Duration::from_nanos(e.at - now)
            });
        guard =
            t.cv.wait_timeout(guard, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
    }
}

fn fire(action: Action) {
    action();
}

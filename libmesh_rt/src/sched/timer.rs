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

/// [`now_ns`] as of the system's last clock tick (`CLOCK_MONOTONIC_COARSE`: no time-stamp
/// counter read): within [`COARSE_LAG_NS`] of it either way. For times that need no
/// precision (the HTTP idle clock, seeing that a far deadline has not passed). Elsewhere
/// than Linux it is [`now_ns`].
pub fn coarse_now_ns() -> u64 {
    coarse_ns(CLOCK_MONOTONIC_COARSE).map_or_else(now_ns, |ns| ns.saturating_sub(coarse_epoch()))
}

/// Seconds since the Unix epoch at the last clock tick of the system
/// (`CLOCK_REALTIME_COARSE`; elsewhere than Linux, the precise clock).
pub fn coarse_unix_secs() -> u64 {
    coarse_ns(CLOCK_REALTIME_COARSE).map_or_else(
        || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        },
        |ns| ns / 1_000_000_000,
    )
}

/// How far [`coarse_now_ns`] may be behind [`now_ns`]: a tick of the system clock (1–10 ms
/// by kernel configuration), with room to spare.
pub const COARSE_LAG_NS: u64 = 20_000_000;

const CLOCK_REALTIME_COARSE: i32 = 5;
const CLOCK_MONOTONIC_COARSE: i32 = 6;

/// `struct timespec`.
#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

#[cfg(target_os = "linux")]
extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

/// Clock `clock` in ns, or `None` where the coarse clocks are not available.
#[cfg(target_os = "linux")]
fn coarse_ns(clock: i32) -> Option<u64> {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: a valid clock id and a pointer to a live timespec.
    let ok = unsafe { clock_gettime(clock, &mut ts) } == 0;
    ok.then(|| (ts.sec as u64).saturating_mul(1_000_000_000) + ts.nsec as u64)
}

#[cfg(not(target_os = "linux"))]
fn coarse_ns(_clock: i32) -> Option<u64> {
    None
}

/// The coarse clock's reading (ns) taken as the runtime's epoch. The coarse clock is the
/// precise one as of the system's last tick, so `coarse - elapsed`, with the elapsed time
/// since the epoch read after the coarse clock, is at most the precise clock at the epoch
/// and at least a tick less: [`coarse_now_ns`] is then never more than a tick behind
/// [`now_ns`] (and at most a tick ahead).
fn coarse_epoch() -> u64 {
    static COARSE: OnceLock<u64> = OnceLock::new();
    *COARSE.get_or_init(|| {
        let precise = epoch();
        let coarse = coarse_ns(CLOCK_MONOTONIC_COARSE).unwrap_or(0);
        coarse.saturating_sub(precise.elapsed().as_nanos() as u64)
    })
}

/// The clock value (ns, see [`now_ns`]) of `at` (0 for instants before the clock's epoch),
/// without reading the clock.
pub fn ns_at(at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(epoch()).as_nanos()).unwrap_or(u64::MAX)
}

/// The `Instant` of clock value `ns` (see [`now_ns`]).
pub fn instant_at(ns: u64) -> Instant {
    epoch() + Duration::from_nanos(ns)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coarse_clocks_stay_within_a_tick_of_the_precise_ones() {
        for _ in 0..1000 {
            let before = now_ns();
            let coarse = coarse_now_ns();
            let after = now_ns();
            assert!(
                coarse + COARSE_LAG_NS >= before && coarse <= after + COARSE_LAG_NS,
                "coarse {coarse} against {before}..{after}"
            );
        }
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        assert!(coarse_unix_secs().abs_diff(wall) <= 1);
        // Monotonic, like the precise clock.
        let mut last = coarse_now_ns();
        for _ in 0..1000 {
            let next = coarse_now_ns();
            assert!(next >= last);
            last = next;
        }
        let at = now_ns() + 5_000_000;
        assert_eq!(ns_at(instant_at(at)), at);
    }
}

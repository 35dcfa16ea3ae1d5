//! The process table: live processes by pid, in shards, and the counters that name new
//! processes and monitor references.

use crate::sched::{make_pid, Pid, Process};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Shards of the process table.
const SHARDS: usize = 64;

/// The process table's maps: pids are sequential integers, so a multiplicative hash spreads
/// them well at a fraction of the default hasher's cost (every send looks one up).
type PidMap = HashMap<Pid, Arc<Process>, std::hash::BuildHasherDefault<PidHasher>>;

#[derive(Default)]
struct PidHasher(u64);

impl std::hash::Hasher for PidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

struct Table {
    shards: Vec<Mutex<PidMap>>,
    next_serial: AtomicU64,
    next_ref: AtomicU64,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| Table {
        shards: (0..SHARDS).map(|_| Mutex::new(PidMap::default())).collect(),
        next_serial: AtomicU64::new(1),
        next_ref: AtomicU64::new(1),
    })
}

fn shard(pid: Pid) -> std::sync::MutexGuard<'static, PidMap> {
    table().shards[pid as usize % SHARDS]
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// A fresh local pid.
pub(crate) fn new_pid() -> Pid {
    make_pid(0, table().next_serial.fetch_add(1, Ordering::Relaxed))
}

/// The live process with this pid.
pub fn lookup(pid: Pid) -> Option<Arc<Process>> {
    shard(pid).get(&pid).cloned()
}

pub(crate) fn insert(p: &Arc<Process>) {
    shard(p.pid).insert(p.pid, Arc::clone(p));
}

pub(crate) fn remove(pid: Pid) {
    shard(pid).remove(&pid);
}

/// A fresh reference number (monitors).
pub fn next_ref() -> u64 {
    table().next_ref.fetch_add(1, Ordering::Relaxed)
}

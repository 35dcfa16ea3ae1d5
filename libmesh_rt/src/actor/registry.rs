//! Registered names (`Process.register` / `Process.whereis`): one name per process, freed
//! when it ends.

use super::table::lookup;
use crate::sched::{Pid, State};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};

fn names() -> MutexGuard<'static, HashMap<String, Pid>> {
    static N: OnceLock<Mutex<HashMap<String, Pid>>> = OnceLock::new();
    N.get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Registers `name` for `pid`: 0 on success, 1 when taken, empty or not a live process.
pub fn register(name: &str, pid: Pid) -> i64 {
    let Some(p) = lookup(pid).filter(|_| !name.is_empty()) else {
        return 1;
    };
    let mut names = names();
    if names.contains_key(name) {
        return 1;
    }
    let mut g = p.lock();
    if g.state == State::Done || g.registered.is_some() {
        return 1;
    }
    g.registered = Some(name.to_string());
    names.insert(name.to_string(), pid);
    0
}

/// The pid registered under `name`, or 0.
pub fn whereis(name: &str) -> Pid {
    names().get(name).copied().unwrap_or(0)
}

/// Frees `name` if `pid` still holds it (the process ended).
pub(crate) fn unregister(name: &str, pid: Pid) {
    let mut names = names();
    if names.get(name) == Some(&pid) {
        names.remove(name);
    }
}

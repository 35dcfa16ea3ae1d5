//! Supervisors (language spec §3.9, stdlib spec §16.6): a process that starts its children
//! from their start functions, watches them, and restarts them by their restart kind and the
//! supervisor's strategy, within a restart intensity (more than `max_restarts` restarts in
//! `max_seconds` → the supervisor stops its children and exits). Follows OTP where the spec
//! is silent: children start in order and stop in reverse order; a supervisor ends with its
//! children (they are linked to it; their exits reach it as watched ends, not as signals).

use crate::actor::{kill, link, next_down, watch};
use crate::sched::{current, now_ns, Exit, Pid};
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// How a child is restarted (spec: permanent, transient, temporary).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Restart {
    Permanent,
    Transient,
    Temporary,
}

/// Which children restart when one ends.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Strategy {
    OneForOne,
    OneForAll,
    RestForOne,
}

pub struct ChildSpec {
    pub name: String,
    /// The start closure (rooted in the supervisor's heap).
    pub start: u64,
    pub restart: Restart,
    /// Grace period in ms when stopping it; `None` for `brutal_kill`.
    pub shutdown: Option<i64>,
    pub pid: Pid,
}

/// Child specifications registered by supervisors that have not started them yet, by
/// supervisor pid.
fn pending() -> MutexGuard<'static, HashMap<Pid, Vec<ChildSpec>>> {
    static P: OnceLock<Mutex<HashMap<Pid, Vec<ChildSpec>>>> = OnceLock::new();
    P.get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Registers a child specification of the running supervisor.
pub fn add_child(name: &str, start: u64, restart: Restart, shutdown: Option<i64>) {
    let Some(me) = current() else { return };
    crate::mem::with_current(|heap| {
        let _ = heap.add_root(start);
    });
    pending().entry(me.pid).or_default().push(ChildSpec {
        name: name.to_string(),
        start,
        restart,
        shutdown,
        pid: 0,
    });
}

/// Runs the running process as a supervisor named `name`; returns only by crashing.
pub fn run(name: &str, strategy: Strategy, max_restarts: i64, max_seconds: i64) {
    let Some(me) = current() else { return };
    me.supervisor
        .store(true, std::sync::atomic::Ordering::Release);
    let mut children = pending().remove(&me.pid).unwrap_or_default();
    for c in children.iter_mut() {
        start(c);
    }
    let mut restarts: VecDeque<u64> = VecDeque::new();
    let window = (max_seconds.max(0) as u64).saturating_mul(1_000_000_000);
    loop {
        let Some((pid, exit)) = next_down(None) else {
            continue;
        };
        let Some(i) = children.iter().position(|c| c.pid == pid && pid != 0) else {
            continue;
        };
        let again = match children[i].restart {
            Restart::Permanent => true,
            Restart::Transient => exit != Exit::Normal,
            Restart::Temporary => false,
        };
        children[i].pid = 0;
        if !again {
            continue;
        }
        let now = now_ns();
        restarts.push_back(now);
        while restarts.front().is_some_and(|&t| now - t > window) {
            restarts.pop_front();
        }
        if restarts.len() as i64 > max_restarts {
            stop_all(&mut children, 0);
            crate::fail::panic_with(&format!(
                "supervisor {name} reached its restart intensity ({max_restarts} restarts in {max_seconds}s); last: child {} exited: {}",
                children[i].name,
                exit.reason()
            ));
        }
        let from = match strategy {
            Strategy::OneForOne => i,
            Strategy::OneForAll => 0,
            Strategy::RestForOne => i,
        };
        let to = match strategy {
            Strategy::OneForOne => i + 1,
            Strategy::OneForAll | Strategy::RestForOne => children.len(),
        };
        // Stop the others of the group (in reverse order), then start the group in order.
        for j in (from..to).rev() {
            if j != i {
                stop(&mut children[j]);
            }
        }
        for c in children[from..to].iter_mut() {
            if c.pid == 0 && c.restart != Restart::Temporary {
                start(c);
            }
        }
    }
}

fn start(c: &mut ChildSpec) {
    // SAFETY: the compiler passes a closure taking no arguments and returning a pid.
    let pid = unsafe { crate::value::generic::object::call0(c.start as *mut u8) };
    c.pid = pid;
    if pid != 0 {
        link(pid);
        watch(pid);
    }
}

/// Stops children from `from` on, last first.
fn stop_all(children: &mut [ChildSpec], from: usize) {
    for c in children[from..].iter_mut().rev() {
        stop(c);
    }
}

/// Asks a child to stop and waits for it to be gone (its grace period, or a generous bound
/// for `brutal_kill`, whose kill takes effect at the child's next safe point).
fn stop(c: &mut ChildSpec) {
    if c.pid == 0 {
        return;
    }
    let pid = c.pid;
    c.pid = 0;
    kill(pid, "shutdown");
    let grace = c.shutdown.unwrap_or(5000).max(1) as u64;
    let deadline = now_ns() + grace * 1_000_000;
    let mut other = Vec::new();
    while let Some((p, e)) = next_down(Some(deadline)) {
        if p == pid {
            break;
        }
        other.push((p, e));
    }
    if let Some(me) = current() {
        let mut g = me.lock();
        for d in other.into_iter().rev() {
            g.downs.push_front(d);
        }
    }
}

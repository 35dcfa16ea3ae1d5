//! Monitors (stdlib spec §16.2): `Process.monitor(pid)` returns a reference; when `pid`
//! ends, the monitoring process receives a `Down { ref, pid, reason }` message (reason
//! "normal", the crash message, or "noproc" when `pid` was already gone). `Down` is a
//! built-in struct of the language (sema declares it); the runtime builds the message in a
//! fragment with its own descriptor, which `receive` matches structurally.

use super::mailbox::deliver;
use super::table::{lookup, next_ref};
use crate::mem::Fragment;
use crate::sched::{current, Envelope, Pid, State};
use mesh_rt_abi::{layout, StrRef, TypeDesc};

struct Desc(TypeDesc);
// SAFETY: the descriptors below are immutable constants pointing only at other constants.
unsafe impl Sync for Desc {}
struct Items<const N: usize>([*const TypeDesc; N]);
// SAFETY: as above.
unsafe impl<const N: usize> Sync for Items<N> {}
struct Names<const N: usize>([StrRef; N]);
// SAFETY: as above.
unsafe impl<const N: usize> Sync for Names<N> {}

const fn str_ref(s: &'static str) -> StrRef {
    StrRef {
        ptr: s.as_ptr(),
        len: s.len() as u64,
    }
}

const fn simple(kind: u32, name: &'static str) -> TypeDesc {
    TypeDesc {
        kind,
        count: 0,
        name: str_ref(name),
        items: std::ptr::null(),
        names: std::ptr::null(),
        user: mesh_rt_abi::UserFns::NONE,
    }
}

static INT: Desc = Desc(simple(layout::TY_INT, ""));
static PID: Desc = Desc(simple(layout::TY_PID, "Pid"));
static STRING: Desc = Desc(simple(layout::TY_STRING, ""));
static DOWN_ITEMS: Items<3> = Items([&INT.0, &PID.0, &STRING.0]);
static DOWN_NAMES: Names<3> = Names([str_ref("ref"), str_ref("pid"), str_ref("reason")]);
/// The descriptor of `Down { ref :: Int, pid :: Pid, reason :: String }`.
static DOWN: Desc = Desc(TypeDesc {
    kind: layout::TY_STRUCT,
    count: 3,
    name: str_ref("Down"),
    items: &DOWN_ITEMS.0 as *const [*const TypeDesc; 3] as *const *const TypeDesc,
    names: &DOWN_NAMES.0 as *const [StrRef; 3] as *const StrRef,
    user: mesh_rt_abi::UserFns::NONE,
});

static EXIT_ITEMS: Items<2> = Items([&PID.0, &STRING.0]);
static EXIT_NAMES: Names<2> = Names([str_ref("pid"), str_ref("reason")]);
/// The descriptor of `Exit { pid :: Pid, reason :: String }`: what a process trapping exits
/// receives from a linked process that ended.
static EXIT: Desc = Desc(TypeDesc {
    kind: layout::TY_STRUCT,
    count: 2,
    name: str_ref("Exit"),
    items: &EXIT_ITEMS.0 as *const [*const TypeDesc; 2] as *const *const TypeDesc,
    names: &EXIT_NAMES.0 as *const [StrRef; 2] as *const StrRef,
    user: mesh_rt_abi::UserFns::NONE,
});

/// Sends `Exit { pid, reason }` to `to` (a process trapping exits, linked to `pid`).
pub(crate) fn send_exit(to: Pid, pid: Pid, reason: &str) {
    let frag = Fragment::build_struct(&EXIT.0, &[pid], reason);
    deliver(
        to,
        Envelope {
            frag,
            desc: &EXIT.0,
            reply_to: 0,
        },
    );
}

/// `Process.trap_exit(on)`: exit signals from linked processes arrive as `Exit` messages
/// instead of ending the running process.
pub fn trap_exit(on: bool) {
    if let Some(me) = current() {
        me.lock().trap_exit = on;
    }
}

/// Which system message a message of type `desc` is: 1 `Down`, 2 `Exit`, 0 neither (a
/// message of the process's own type).
pub(super) fn system_class(desc: *const TypeDesc) -> u32 {
    if super::mailbox::desc_compatible(desc, &DOWN.0) && !desc.is_null() {
        1
    } else if super::mailbox::desc_compatible(desc, &EXIT.0) && !desc.is_null() {
        2
    } else {
        0
    }
}

/// Sends `Down { ref, pid, reason }` to `watcher`.
pub(crate) fn send_down(watcher: Pid, reference: u64, pid: Pid, reason: &str) {
    let frag = Fragment::build_struct(&DOWN.0, &[reference, pid], reason);
    deliver(
        watcher,
        Envelope {
            frag,
            desc: &DOWN.0,
            reply_to: 0,
        },
    );
}

/// `Process.monitor(pid)`.
pub fn monitor(pid: Pid) -> u64 {
    let reference = next_ref();
    let Some(me) = current() else {
        return reference;
    };
    if super::remote::is_remote(pid) {
        let watched = super::remote::hook()
            .map_or(Err("noconnection"), |h| h.monitor(me.pid, reference, pid));
        match watched {
            Ok(()) => me.lock().monitoring.push((reference, pid)),
            Err(reason) => send_down(me.pid, reference, pid, reason),
        }
        return reference;
    }
    if let Some(q) = lookup(pid) {
        let mut g = q.lock();
        if g.state != State::Done {
            g.monitors.push((reference, me.pid));
            drop(g);
            me.lock().monitoring.push((reference, pid));
            return reference;
        }
    }
    send_down(me.pid, reference, pid, "noproc");
    reference
}

/// `Process.demonitor(ref)`: 0 when the monitor existed, 1 otherwise.
pub fn demonitor(reference: u64) -> i64 {
    let Some(me) = current() else { return 1 };
    let target = {
        let mut g = me.lock();
        let Some(i) = g.monitoring.iter().position(|&(r, _)| r == reference) else {
            return 1;
        };
        g.monitoring.remove(i).1
    };
    if super::remote::is_remote(target) {
        if let Some(hook) = super::remote::hook() {
            hook.demonitor(me.pid, reference, target);
        }
        return 0;
    }
    if let Some(q) = lookup(target) {
        q.lock().monitors.retain(|&(r, _)| r != reference);
    }
    0
}

/// A process of another node monitors local `target` under `reference`: false when `target`
/// is gone (the caller answers `noproc`).
pub fn add_remote_monitor(target: Pid, reference: u64, watcher: Pid) -> bool {
    let Some(q) = lookup(target) else {
        return false;
    };
    let mut g = q.lock();
    if g.state == State::Done {
        return false;
    }
    g.monitors.push((reference, watcher));
    true
}

/// A remote watcher dropped its monitor of local `target`.
pub fn remove_remote_monitor(target: Pid, reference: u64, watcher: Pid) {
    if let Some(q) = lookup(target) {
        q.lock()
            .monitors
            .retain(|&(r, w)| (r, w) != (reference, watcher));
    }
}

/// Makes `watcher` (a runtime daemon) receive `Down` when `target` ends, without a monitor
/// record on the watcher's side. None when `target` is gone.
pub fn watch_for(watcher: Pid, target: Pid) -> Option<u64> {
    let q = lookup(target)?;
    let mut g = q.lock();
    if g.state == State::Done {
        return None;
    }
    let reference = next_ref();
    g.monitors.push((reference, watcher));
    Some(reference)
}

/// Remote `target`, monitored by local `watcher` under `reference`, ended with `reason` (or
/// its node was lost: `noconnection`): `Down` unless the monitor was dropped meanwhile.
pub fn remote_down(watcher: Pid, reference: u64, target: Pid, reason: &str) {
    let Some(q) = lookup(watcher) else { return };
    {
        let mut g = q.lock();
        let before = g.monitoring.len();
        g.monitoring.retain(|&(r, _)| r != reference);
        if g.monitoring.len() == before {
            return;
        }
    }
    send_down(watcher, reference, target, reason);
}

//! Processes of other nodes (runtime-cluster §3.5): the `actor::remote::Remote` hook (send,
//! link, exit, monitor, demonitor, down towards other nodes), the handling of those frames
//! when they arrive, and the effects of a node's loss on links and monitors (§3.4). Pids
//! cross as (node name, incarnation, serial) and get a node slot on arrival (`nodes.rs`).

use super::codec;
use super::frame::{kind, FrameError, Rd, Wr};
use super::node::node;
use super::session::Session;
use crate::actor::{self, monitor, remote::Remote};
use crate::sched::{make_pid, pid_node, pid_serial, Pid};
use crate::value::string::alloc_str;
use mesh_rt_abi::{layout, StrRef, TypeDesc};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

struct Hook;

static HOOK: Hook = Hook;

/// Installs the hook (at node start).
pub fn install() {
    actor::remote::install(&HOOK);
}

/// Links and monitors that cross to other nodes, kept for node loss.
#[derive(Default)]
struct Cross {
    /// (local pid, remote pid) links.
    links: HashSet<(Pid, Pid)>,
    /// Monitors local watchers hold on remote targets: reference → (watcher, target).
    monitors: HashMap<u64, (Pid, Pid)>,
}

fn cross() -> MutexGuard<'static, Cross> {
    static C: OnceLock<Mutex<Cross>> = OnceLock::new();
    C.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Appends a pid as (node name, incarnation, serial).
pub fn put_pid(w: Wr, pid: Pid) -> Wr {
    match super::node_of_slot(pid_node(pid)).filter(|_| pid != 0) {
        Some(id) => w.str(&id.name).u64(id.incarnation).u64(pid_serial(pid)),
        None => w.str("").u64(0).u64(0),
    }
}

/// Reads a pid written by `put_pid`, translated to this node's slots.
pub fn get_pid(rd: &mut Rd) -> Result<Pid, FrameError> {
    let name = rd.str()?;
    let incarnation = rd.u64()?;
    let serial = rd.u64()?;
    if name.is_empty() && serial == 0 {
        return Ok(0);
    }
    let slot = super::slot_of(name, incarnation).ok_or(FrameError::Malformed)?;
    Ok(make_pid(slot, serial))
}

/// The live session of a remote pid's node, or why there is none: `noproc` for a pid of an
/// incarnation that is not the live one, `noconnection` when the node is not connected.
fn session_of(pid: Pid) -> Result<Arc<Session>, &'static str> {
    let me = node().ok_or("noconnection")?;
    let st = me.state();
    if let Some(s) = st.session_of_slot(pid_node(pid)) {
        return Ok(s);
    }
    let connected =
        super::node_of_slot(pid_node(pid)).is_some_and(|id| st.sessions.contains_key(&*id.name));
    Err(if connected { "noproc" } else { "noconnection" })
}

impl Remote for Hook {
    fn send(&self, pid: Pid, msg: u64, desc: *const TypeDesc) {
        // The message is encoded straight after the pid (no copy of a large message).
        let mut w = put_pid(Wr::new(), pid).0;
        // SAFETY: `actor::send` passes a live value of the current heap and the descriptor
        // of its static type (generated code's contract for `mesh_rt_send`).
        if let Err(e) = unsafe { codec::encode(msg, desc, &mut w) } {
            crate::fail::panic_with(&e.panic_text());
        }
        send_to_node(|| session_of(pid).ok(), kind::SEND, w);
    }

    fn link(&self, local: Pid, remote: Pid) -> Result<(), &'static str> {
        let s = session_of(remote)?;
        cross().links.insert((local, remote));
        s.send(
            kind::LINK,
            put_pid(put_pid(Wr::new(), local), remote).done(),
        );
        Ok(())
    }

    fn exit(&self, from: Pid, to: Pid, reason: &str) {
        cross().links.remove(&(from, to));
        if let Ok(s) = session_of(to) {
            s.send(
                kind::EXIT,
                put_pid(put_pid(Wr::new(), from), to).str(reason).done(),
            );
        }
    }

    fn monitor(&self, watcher: Pid, reference: u64, target: Pid) -> Result<(), &'static str> {
        let s = session_of(target)?;
        cross().monitors.insert(reference, (watcher, target));
        s.send(
            kind::MONITOR,
            put_pid(put_pid(Wr::new(), watcher).u64(reference), target).done(),
        );
        Ok(())
    }

    fn demonitor(&self, watcher: Pid, reference: u64, target: Pid) {
        cross().monitors.remove(&reference);
        if let Ok(s) = session_of(target) {
            s.send(
                kind::DEMONITOR,
                put_pid(put_pid(Wr::new(), watcher).u64(reference), target).done(),
            );
        }
    }

    fn down(&self, watcher: Pid, reference: u64, target: Pid, reason: &str) {
        if let Ok(s) = session_of(watcher) {
            s.send(
                kind::MONITOR_EXIT,
                put_pid(put_pid(Wr::new(), watcher).u64(reference), target)
                    .str(reason)
                    .done(),
            );
        }
    }
}

/// Records a cross-node link made elsewhere (`Node.spawn_link`), so node loss breaks it.
pub fn note_link(local: Pid, remote: Pid) {
    cross().links.insert((local, remote));
}

/// Unlinks the running process from a remote pid (both sides).
pub fn unlink_remote(local: Pid, remote: Pid) {
    cross().links.remove(&(local, remote));
    if let Ok(s) = session_of(remote) {
        s.send(
            kind::UNLINK,
            put_pid(put_pid(Wr::new(), local), remote).done(),
        );
    }
}

/// Sends `msg` to the process registered as `name` on node `node_name` (`REG_SEND`).
///
/// # Safety
/// `msg` must be a live value of the current heap and `desc` the descriptor of its type.
pub unsafe fn send_registered(node_name: &str, name: &str, msg: u64, desc: *const TypeDesc) {
    let Some(me) = node() else { return };
    // The message is encoded straight after the name (no copy of a large message).
    let mut w = Wr::new().str(name).0;
    // SAFETY: forwarded contract.
    if let Err(e) = unsafe { codec::encode(msg, desc, &mut w) } {
        crate::fail::panic_with(&e.panic_text());
    }
    send_to_node(
        || me.state().sessions.get(node_name).cloned(),
        kind::REG_SEND,
        w,
    );
}

/// Sends a process's message on the session `session` finds (paced, `Session::send_paced`);
/// if that session closes while the sender waits and another connection to the same node
/// has replaced it, the message goes on the new one (else it is dropped with the lost
/// session, as any message to a lost node).
fn send_to_node(session: impl Fn() -> Option<Arc<Session>>, k: u8, payload: Vec<u8>) {
    let Some(mut s) = session() else { return };
    let mut payload = payload;
    while let Some(back) = s.send_paced(k, payload) {
        match session() {
            Some(next) if !Arc::ptr_eq(&next, &s) => (s, payload) = (next, back),
            _ => return,
        }
    }
}

/// A local pid from a frame (None when it names another node: a peer's mistake, ignored).
fn local(pid: Pid) -> Option<Pid> {
    (pid != 0 && pid_node(pid) == 0).then_some(pid)
}

/// Handles a process frame from `session`'s peer.
pub fn received(session: &Arc<Session>, k: u8, payload: &[u8]) -> Result<(), FrameError> {
    let mut rd = Rd(payload);
    match k {
        kind::SEND => {
            let to = get_pid(&mut rd)?;
            if let Some(to) = local(to) {
                actor::deliver(to, codec::remote_envelope(&session.peer, rd.rest(), 0));
            }
        }
        kind::REG_SEND => {
            let name = rd.str()?;
            let to = actor::whereis(name);
            if to != 0 {
                actor::deliver(to, codec::remote_envelope(&session.peer, rd.rest(), 0));
            }
        }
        kind::LINK => {
            let (from, to) = (get_pid(&mut rd)?, get_pid(&mut rd)?);
            rd.end()?;
            let alive = local(to).is_some_and(|to| actor::add_remote_link(to, from));
            if alive {
                cross().links.insert((to, from));
            } else {
                session.send(
                    kind::EXIT,
                    put_pid(put_pid(Wr::new(), to), from).str("noproc").done(),
                );
            }
        }
        kind::UNLINK => {
            let (from, to) = (get_pid(&mut rd)?, get_pid(&mut rd)?);
            rd.end()?;
            cross().links.remove(&(to, from));
            actor::remote_exit(to, from, "normal", true);
        }
        kind::EXIT => {
            let (from, to) = (get_pid(&mut rd)?, get_pid(&mut rd)?);
            let reason = rd.str()?.to_string();
            rd.end()?;
            cross().links.remove(&(to, from));
            if let Some(to) = local(to) {
                if reason == "noproc" {
                    // The link never existed on the other side: like linking a dead process.
                    actor::remote_exit(to, from, "noproc", false);
                } else {
                    actor::remote_exit(to, from, &reason, false);
                }
            }
        }
        kind::MONITOR => {
            let watcher = get_pid(&mut rd)?;
            let reference = rd.u64()?;
            let target = get_pid(&mut rd)?;
            rd.end()?;
            let watched =
                local(target).is_some_and(|t| monitor::add_remote_monitor(t, reference, watcher));
            if !watched {
                session.send(
                    kind::MONITOR_EXIT,
                    put_pid(put_pid(Wr::new(), watcher).u64(reference), target)
                        .str("noproc")
                        .done(),
                );
            }
        }
        kind::DEMONITOR => {
            let watcher = get_pid(&mut rd)?;
            let reference = rd.u64()?;
            let target = get_pid(&mut rd)?;
            rd.end()?;
            if let Some(t) = local(target) {
                monitor::remove_remote_monitor(t, reference, watcher);
            }
        }
        kind::MONITOR_EXIT => {
            let watcher = get_pid(&mut rd)?;
            let reference = rd.u64()?;
            let target = get_pid(&mut rd)?;
            let reason = rd.str()?.to_string();
            rd.end()?;
            cross().monitors.remove(&reference);
            if let Some(w) = local(watcher) {
                monitor::remote_down(w, reference, target, &reason);
            }
        }
        // SPAWN / SPAWN_REPLY are `spawn.rs`'s.
        _ => {}
    }
    Ok(())
}

/// Node loss (§3.4): links to the node's processes exit with `noconnection`, monitors of
/// them deliver `Down` with `noconnection`.
pub fn node_lost(slot: u16) {
    let (links, monitors) = {
        let mut c = cross();
        let links: Vec<(Pid, Pid)> = c
            .links
            .iter()
            .copied()
            .filter(|&(_, r)| pid_node(r) == slot)
            .collect();
        for l in &links {
            c.links.remove(l);
        }
        let refs: Vec<u64> = c
            .monitors
            .iter()
            .filter(|(_, &(_, t))| pid_node(t) == slot)
            .map(|(&r, _)| r)
            .collect();
        let monitors: Vec<(u64, Pid, Pid)> = refs
            .into_iter()
            .filter_map(|r| c.monitors.remove(&r).map(|(w, t)| (r, w, t)))
            .collect();
        (links, monitors)
    };
    for (local, remote) in links {
        actor::remote_exit(local, remote, "noconnection", false);
    }
    for (reference, watcher, target) in monitors {
        monitor::remote_down(watcher, reference, target, "noconnection");
    }
}

struct Desc(TypeDesc);
// SAFETY: immutable constants pointing only at other constants.
unsafe impl Sync for Desc {}
struct Items([*const TypeDesc; 2]);
// SAFETY: as above.
unsafe impl Sync for Items {}

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

static ATOM: Desc = Desc(simple(layout::TY_ATOM, "Atom"));
static STRING: Desc = Desc(simple(layout::TY_STRING, ""));
static EVENT_ITEMS: Items = Items([&ATOM.0, &STRING.0]);
/// `(Atom, String)`: what `Node.monitor` subscribers receive, `(:nodeup, name)` /
/// `(:nodedown, name)`.
static NODE_EVENT: Desc = Desc(TypeDesc {
    kind: layout::TY_TUPLE,
    count: 2,
    name: str_ref(""),
    items: &EVENT_ITEMS.0 as *const [*const TypeDesc; 2] as *const *const TypeDesc,
    names: std::ptr::null(),
    user: mesh_rt_abi::UserFns::NONE,
});

/// Sends `(:event, node)` to a `Node.monitor` subscriber. Runs in a process (a session's
/// or a caller's): the tuple is built on its heap and copied like any message.
pub fn send_node_event(pid: Pid, event: &str, node_name: &str) {
    if crate::sched::current().is_none() {
        return;
    }
    let words = std::hint::black_box([alloc_str(event) as u64, alloc_str(node_name) as u64]);
    let obj = crate::mem::alloc(layout::HEADER_SIZE + 16);
    // SAFETY: `obj` has room for the header and two words, 8-aligned.
    unsafe {
        let out = obj as *mut u64;
        out.write(layout::meta(layout::KIND_TUPLE, 2, 0));
        out.add(1).write(&NODE_EVENT.0 as *const TypeDesc as u64);
        out.add(2).write(words[0]);
        out.add(3).write(words[1]);
    }
    actor::send(pid, obj as u64, &NODE_EVENT.0);
}

//! The global registry (stdlib §17.2, runtime-cluster §3.5): names replicated to every
//! connected node. Each entry is (pid, owning node name); when two registrations of one name
//! meet (`GLOBAL_REGISTER` from a peer, `GLOBAL_SYNC` at session start), the one whose owning
//! node name sorts lower wins on every node; the other is dropped (its process lives on). A
//! name goes away when its process ends (the registering node watches it) or its node is
//! lost. Without a started node the table is this program's alone.

use super::frame::{kind, FrameError, Rd, Wr};
use super::node::node;
use super::remote::{get_pid, put_pid};
use super::session::Session;
use crate::actor;
use crate::sched::{pid_node, Pid};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// name → (pid, owning node name).
fn table() -> MutexGuard<'static, BTreeMap<String, (Pid, String)>> {
    static T: OnceLock<Mutex<BTreeMap<String, (Pid, String)>>> = OnceLock::new();
    T.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// The node owning `pid` ("" without a node).
fn owner_of(pid: Pid) -> String {
    super::node_of_slot(pid_node(pid))
        .map(|id| id.name.to_string())
        .unwrap_or_default()
}

/// The daemon that hears of the ends of locally registered processes.
fn watcher() -> Pid {
    static W: OnceLock<Pid> = OnceLock::new();
    *W.get_or_init(|| {
        super::session::spawn_daemon("global registry", || loop {
            // `Down { ref, pid, reason }` of a registered process.
            let down = actor::receive_next(std::ptr::null());
            if down == 0 {
                continue;
            }
            // SAFETY: the watcher only receives `Down` structs: header, then ref, pid, reason.
            let pid = unsafe { *(down as *const u64).add(3) };
            process_ended(pid);
        })
    })
}

fn broadcast(k: u8, payload: &[u8]) {
    let Some(me) = node() else { return };
    let sessions: Vec<Arc<Session>> = me.state().sessions.values().cloned().collect();
    for s in sessions {
        s.send(k, payload.to_vec());
    }
}

fn register_payload(name: &str, pid: Pid, owner: &str) -> Vec<u8> {
    put_pid(Wr::new().str(name), pid).str(owner).done()
}

/// `Global.register(name, pid)`: 0 ok, 1 when the name is taken or empty (or `pid` is not a
/// live local process nor a remote one).
pub fn register(name: &str, pid: Pid) -> i64 {
    if name.is_empty() || pid == 0 {
        return 1;
    }
    let local = pid_node(pid) == 0;
    if local {
        let w = watcher();
        if actor::monitor::watch_for(w, pid).is_none() {
            return 1;
        }
    }
    let owner = if local {
        super::node::self_name()
    } else {
        owner_of(pid)
    };
    {
        let mut t = table();
        if t.contains_key(name) {
            return 1;
        }
        t.insert(name.to_string(), (pid, owner.clone()));
    }
    broadcast(kind::GLOBAL_REGISTER, &register_payload(name, pid, &owner));
    0
}

/// `Global.whereis(name)`: the pid, or 0.
pub fn whereis(name: &str) -> Pid {
    table().get(name).map_or(0, |&(p, _)| p)
}

/// `Global.unregister(name)`: 0 removed, 1 not registered.
pub fn unregister(name: &str) -> i64 {
    let Some((pid, _)) = table().remove(name) else {
        return 1;
    };
    broadcast(kind::GLOBAL_UNREGISTER, &unregister_payload(name, pid));
    0
}

fn unregister_payload(name: &str, pid: Pid) -> Vec<u8> {
    put_pid(Wr::new().str(name), pid).done()
}

/// A locally registered process ended: its names go, everywhere.
fn process_ended(pid: Pid) {
    let names: Vec<String> = {
        let mut t = table();
        let names: Vec<String> = t
            .iter()
            .filter(|(_, (p, _))| *p == pid)
            .map(|(n, _)| n.clone())
            .collect();
        for n in &names {
            t.remove(n);
        }
        names
    };
    for n in names {
        broadcast(kind::GLOBAL_UNREGISTER, &unregister_payload(&n, pid));
    }
}

/// The names owned by a lost node go (and the removal is broadcast).
pub fn node_lost(peer: &str) {
    let names: Vec<(String, Pid)> = {
        let mut t = table();
        let names: Vec<(String, Pid)> = t
            .iter()
            .filter(|(_, (_, o))| o == peer)
            .map(|(n, (p, _))| (n.clone(), *p))
            .collect();
        for (n, _) in &names {
            t.remove(n);
        }
        names
    };
    for (n, pid) in names {
        broadcast(kind::GLOBAL_UNREGISTER, &unregister_payload(&n, pid));
    }
}

/// `GLOBAL_SYNC`: every entry this node knows.
pub fn sync_payload() -> Vec<u8> {
    let t = table();
    let mut w = Wr::new().u64(t.len() as u64);
    for (name, (pid, owner)) in t.iter() {
        w = put_pid(w.str(name), *pid).str(owner);
    }
    w.done()
}

/// Applies one registration from a peer under the conflict rule (lower owner name wins).
fn apply(name: &str, pid: Pid, owner: &str) {
    if name.is_empty() || pid == 0 {
        return;
    }
    let mut t = table();
    match t.get(name) {
        Some((p, o)) if *p == pid || o.as_str() <= owner => {}
        _ => {
            t.insert(name.to_string(), (pid, owner.to_string()));
        }
    }
}

/// Handles `GLOBAL_SYNC`, `GLOBAL_REGISTER` and `GLOBAL_UNREGISTER` from a peer.
pub fn received(_session: &Arc<Session>, k: u8, payload: &[u8]) -> Result<(), FrameError> {
    let mut rd = Rd(payload);
    match k {
        kind::GLOBAL_SYNC => {
            let n = rd.u64()?;
            let mut entries = Vec::new();
            for _ in 0..n.min(1_000_000) {
                let name = rd.str()?.to_string();
                let pid = get_pid(&mut rd)?;
                let owner = rd.str()?.to_string();
                entries.push((name, pid, owner));
            }
            rd.end()?;
            for (name, pid, owner) in entries {
                apply(&name, pid, &owner);
            }
        }
        kind::GLOBAL_REGISTER => {
            let name = rd.str()?.to_string();
            let pid = get_pid(&mut rd)?;
            let owner = rd.str()?.to_string();
            rd.end()?;
            apply(&name, pid, &owner);
        }
        _ => {
            let name = rd.str()?;
            let pid = get_pid(&mut rd)?;
            rd.end()?;
            // Only the removal of the entry it names counts (a name won by another
            // registration meanwhile stays).
            let mut t = table();
            if t.get(name).is_some_and(|&(p, _)| p == pid) {
                t.remove(name);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicting_registrations_resolve_to_the_lower_owner_name_in_any_order() {
        let orders: [[(u64, &str); 3]; 2] = [
            [(5, "b@h:1"), (6, "a@h:1"), (7, "c@h:1")],
            [(7, "c@h:1"), (6, "a@h:1"), (5, "b@h:1")],
        ];
        for (i, order) in orders.iter().enumerate() {
            let name = format!("conflict-{i}");
            for &(pid, owner) in order {
                apply(&name, pid, owner);
            }
            assert_eq!(whereis(&name), 6, "{order:?}");
            // Re-applying the winner changes nothing; an empty name or no pid is ignored.
            apply(&name, 6, "a@h:1");
            apply("", 9, "0@h:1");
            apply(&name, 0, "0@h:1");
            assert_eq!(whereis(&name), 6);
        }
    }
}

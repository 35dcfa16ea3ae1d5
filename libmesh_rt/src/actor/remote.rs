//! The hook through which processes reach processes of other nodes. Node distribution
//! (`dist/`) sits above `actor` and installs it when the node starts; until then a pid of
//! another node names no process. Pids of other nodes have non-zero node bits
//! (`sched::pid_node`).

use crate::sched::{pid_node, Pid};
use mesh_rt_abi::TypeDesc;
use std::sync::OnceLock;

/// What local processes need of other nodes.
pub trait Remote: Sync {
    /// Sends a copy of `msg` (a value of the current heap of static type `desc`).
    fn send(&self, pid: Pid, msg: u64, desc: *const TypeDesc);
    /// Links local `local` with `remote`: Err(reason) when impossible (`noconnection`,
    /// `noproc`).
    fn link(&self, local: Pid, remote: Pid) -> Result<(), &'static str>;
    /// Local `from`, linked to `to`, ended with `reason`.
    fn exit(&self, from: Pid, to: Pid, reason: &str);
    /// `watcher` monitors `target` under `reference`: Err(reason) when impossible.
    fn monitor(&self, watcher: Pid, reference: u64, target: Pid) -> Result<(), &'static str>;
    fn demonitor(&self, watcher: Pid, reference: u64, target: Pid);
    /// Local `target`, monitored by `watcher` under `reference`, ended with `reason`.
    fn down(&self, watcher: Pid, reference: u64, target: Pid, reason: &str);
}

static HOOK: OnceLock<&'static dyn Remote> = OnceLock::new();

/// Installs the hook (once; later calls are ignored).
pub fn install(hook: &'static dyn Remote) {
    let _ = HOOK.set(hook);
}

pub(crate) fn hook() -> Option<&'static dyn Remote> {
    HOOK.get().copied()
}

/// Whether `pid` names a process of another node.
pub fn is_remote(pid: Pid) -> bool {
    pid_node(pid) != 0
}

//! Node identities and the node slots of pids.
//!
//! A pid word keeps its node in its top 16 bits (`sched::pid_node`): 0 is this node, any
//! other value a *slot* naming one (node name, incarnation) pair. Slots are given out on
//! demand, the first time a pid of that node incarnation is decoded (it may name a node this
//! one is not connected to yet, runtime-cluster §3.6) or a session with it starts, and never
//! reused, so a pid keeps meaning the same process of the same node run. A pid of an older
//! incarnation of a node has its own slot: it names no live process (sends are dropped,
//! monitors fire `noproc`).
//!
//! "Not distributed" (no `set_local_node` yet): `local_node()` is `None`, and a local pid
//! cannot be encoded.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// The identity of one node run: its full name (`name@host:port`) and the incarnation chosen
/// at its start.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeId {
    pub name: Arc<str>,
    pub incarnation: u64,
}

/// Slots 1..MAX_SLOTS name remote node incarnations (slot 0 is this node).
pub const MAX_SLOTS: usize = 1 << 16;

#[derive(Default)]
struct Table {
    local: Option<NodeId>,
    /// `slots[i]` is the node of slot `i + 1`.
    slots: Vec<NodeId>,
    by_id: HashMap<NodeId, u16>,
}

static TABLE: RwLock<Option<Table>> = RwLock::new(None);

fn read<R>(f: impl FnOnce(&Table) -> R) -> R {
    let g = TABLE.read().unwrap_or_else(|e| e.into_inner());
    match g.as_ref() {
        Some(t) => f(t),
        None => f(&Table::default()),
    }
}

fn write<R>(f: impl FnOnce(&mut Table) -> R) -> R {
    let mut g = TABLE.write().unwrap_or_else(|e| e.into_inner());
    f(g.get_or_insert_with(Table::default))
}

/// This node's identity; `None` while the program is not distributed.
pub fn local_node() -> Option<NodeId> {
    read(|t| t.local.clone())
}

/// Records this node's identity (bootstrap, `Node.start`). Pids of slot 0 are this node's
/// from then on.
pub fn set_local_node(name: &str, incarnation: u64) {
    write(|t| {
        t.local = Some(NodeId {
            name: name.into(),
            incarnation,
        })
    });
}

/// The node of a pid's node slot: this node for 0 (when distributed), else the node
/// incarnation the slot was given to.
pub fn node_of_slot(slot: u16) -> Option<NodeId> {
    read(|t| match slot {
        0 => t.local.clone(),
        s => t.slots.get(usize::from(s) - 1).cloned(),
    })
}

/// The slot of the node incarnation (`name`, `incarnation`): 0 for this node's live
/// incarnation, else its slot, given out now if it has none. `None` when every slot is taken.
pub fn slot_of(name: &str, incarnation: u64) -> Option<u16> {
    let found = read(|t| {
        if t.local
            .as_ref()
            .is_some_and(|l| &*l.name == name && l.incarnation == incarnation)
        {
            return Some(0);
        }
        t.by_id
            .get(&NodeId {
                name: name.into(),
                incarnation,
            })
            .copied()
    });
    if found.is_some() {
        return found;
    }
    write(|t| {
        let id = NodeId {
            name: name.into(),
            incarnation,
        };
        if let Some(&s) = t.by_id.get(&id) {
            return Some(s);
        }
        if t.slots.len() + 1 >= MAX_SLOTS {
            return None;
        }
        t.slots.push(id.clone());
        let slot = t.slots.len() as u16;
        t.by_id.insert(id, slot);
        Some(slot)
    })
}

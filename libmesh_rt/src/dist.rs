//! Node distribution (runtime-cluster.md §1–§3, stdlib §17). This file holds what every part
//! of the layer shares: the identities of nodes (this one and its peers) and the node slots
//! of pids.
//!
//! - `codec/`: the value wire format (§3.6): `encode` a value by its type descriptor,
//!   `decode` it on the receiving node into the receiver's heap; remote messages wait in the
//!   mailbox as their bytes and are decoded by the receive that looks at them (the receiver's
//!   descriptor drives the decoding).
//!
//! Layering: `codec/` and this file use `mem`, `value`, `stdlib` and `sched` (pid helpers)
//! only, so `actor/mailbox.rs` may call the codec; the transport (sessions, frames) sits
//! above `actor`.

pub mod codec;
mod nodes;

pub use nodes::{local_node, node_of_slot, set_local_node, slot_of, NodeId, MAX_SLOTS};

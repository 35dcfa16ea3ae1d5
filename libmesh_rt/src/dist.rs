//! Node distribution (runtime-cluster.md §1–§3, stdlib §17). This file holds what every part
//! of the layer shares: the identities of nodes (this one and its peers) and the node slots
//! of pids.
//!
//! - `codec/`: the value wire format (§3.6): `encode` a value by its type descriptor,
//!   `decode` it on the receiving node into the receiver's heap; remote messages wait in the
//!   mailbox as their bytes and are decoded by the receive that looks at them (the receiver's
//!   descriptor drives the decoding).
//! - `env.rs`: `Node.start_from_env()`'s decisions and identity resolution (pure).
//! - `node.rs`: the node (identity, cookie, listener, sessions by peer) and `Node.*`.
//! - `frame.rs`, `handshake.rs`: framing with per-frame MACs, the handshake's messages and
//!   proofs (pure).
//! - `session.rs`: the acceptor, dials, session registration, reader/writer daemons,
//!   heartbeats, node loss; `convergence.rs`: no spurious loss on simultaneous dials.
//! - `operator.rs`: the operator protocol (§8.1): the node's answer to one `OPERATOR_QUERY`
//!   and the blocking client `meshc cluster` uses.
//! - `discovery.rs`: DNS discovery. `remote.rs`: processes of other nodes (the actor hook,
//!   link/monitor/exit frames, node-loss effects). `global.rs`: the `Global` registry.
//!   `route.rs`: clustered route calls (`ROUTE_CALL`/`ROUTE_REPLY`, §7).
//! - `spawn.rs`: `Node.spawn`/`Node.spawn_link` (`SPAWN`/`SPAWN_REPLY`) and the program's
//!   function table.
//!
//! Layering: `codec/` and this file use `mem`, `value`, `stdlib` and `sched` (pid helpers)
//! only, so `actor/mailbox.rs` may call the codec; the transport (sessions, frames) sits
//! above `actor`.

pub mod codec;
mod convergence;
pub mod discovery;
pub mod env;
pub mod frame;
pub mod global;
pub mod handshake;
pub mod node;
mod nodes;
pub mod operator;
pub mod remote;
pub mod route;
pub mod session;
pub mod spawn;

pub use nodes::{local_node, node_of_slot, set_local_node, slot_of, NodeId, MAX_SLOTS};

//! The continuity layer at run time (runtime-cluster §4–§6, §9): the one continuity `Node`
//! of this process, owned by the continuity actor (`actor.rs`), and what the rest of the
//! runtime calls:
//!
//! - `submit`, `complete`, `reject`, `acknowledge_replica`: requests to the actor that park
//!   the caller until the core's reply (a replicated submit answers after the replica's ack);
//! - `with_node`: read access for operator queries, placement, membership and authority;
//! - `note`: records and logs an entry made outside the core (`startup_*`);
//! - `trigger_startup` (HTTP.serve/serve_tls after the listening line) and `main_returned`
//!   (the end of `main`): startup work, once per process, never in test builds (`startup.rs`);
//! - `declare`/`declared`: the registry of `@cluster` declarations (`cluster/declared.rs`),
//!   plus the `startup_registered` entry.
//!
//! `transport.rs` connects the actor to node sessions (`dist/session.rs` calls it), `wire.rs`
//! is the continuity frames' codec and `execute.rs` runs declared work in fresh actors.
//! Standalone programs get `standalone@local` at primary/0 (`replication_health=local_only`).

mod actor;
mod execute;
mod startup;
pub mod transport;
pub mod wire;

use crate::cluster::declared;
pub use crate::cluster::declared::{DeclareError, Declared, Kind};

use crate::cluster::node::{ClientId, Input, Node, Reply, SubmitDecision, SubmitRequest};
use crate::cluster::record::Record;
use crate::cluster::transition::Entry;

/// The declaration of `runtime_name`, if the program has one.
pub fn declared(runtime_name: &str) -> Option<Declared> {
    declared::lookup(runtime_name)
}

/// Registers a declaration (`mesh_rt_cluster_declare`; `kind` as there) in the registry;
/// startup work logs `startup_registered` (§4.3 step 1).
pub fn declare(
    runtime_name: &str,
    entry: usize,
    count: i64,
    kind: i64,
) -> Result<(), DeclareError> {
    declared::declare(runtime_name, entry, count, kind)?;
    if let Some(c) = actor::existing() {
        c.node().register_handler(runtime_name);
    }
    if Kind::from_abi(kind) == Some(Kind::Startup) {
        note(crate::cluster::startup::registered(runtime_name));
    }
    Ok(())
}

fn is_test_build() -> bool {
    declared::is_test_build()
}

fn startup_names() -> Vec<String> {
    declared::startup_names()
}

fn declared_names() -> Vec<String> {
    declared::all()
        .into_iter()
        .map(|d| d.runtime_name)
        .collect()
}

/// Queues the input `make(client)` and waits for the reply to `client` (the
/// `Continuity.*` bindings build their inputs with `cluster::continuity`).
pub fn request(make: impl FnOnce(ClientId) -> Input) -> Reply {
    actor::get().request(make)
}

/// Submits a request (§5.3) and waits for the decision.
pub fn submit(request: SubmitRequest) -> Result<SubmitDecision, String> {
    match actor::get().request(|client| Input::Submit { client, request }) {
        Reply::Submit(result) => result,
        Reply::Record(_) => Err("unexpected reply".into()),
    }
}

fn record_reply(reply: Reply) -> Result<Record, String> {
    match reply {
        Reply::Record(result) => result,
        Reply::Submit(_) => Err("unexpected reply".into()),
    }
}

/// Execution of `attempt_id` returned on `execution_node`: completes the record.
pub fn complete(
    request_key: &str,
    attempt_id: &str,
    execution_node: &str,
) -> Result<Record, String> {
    record_reply(actor::get().request(|client| Input::Complete {
        client: Some(client),
        request_key: request_key.to_string(),
        attempt_id: attempt_id.to_string(),
        execution_node: execution_node.to_string(),
    }))
}

/// Execution of `attempt_id` failed: rejects the record with `reason`.
pub fn reject(request_key: &str, attempt_id: &str, reason: &str) -> Result<Record, String> {
    record_reply(actor::get().request(|client| Input::Reject {
        client: Some(client),
        request_key: request_key.to_string(),
        attempt_id: attempt_id.to_string(),
        reason: reason.to_string(),
    }))
}

/// `Continuity.acknowledge_replica`.
pub fn acknowledge_replica(request_key: &str, attempt_id: &str) -> Result<Record, String> {
    record_reply(actor::get().request(|client| Input::AcknowledgeReplica {
        client,
        request_key: request_key.to_string(),
        attempt_id: attempt_id.to_string(),
    }))
}

/// Reads the node (a consistent snapshot: inputs are applied under the same lock). `f` must
/// not call back into this module's requests (`submit`, `complete`, `note`, …): the actor
/// needs the lock to answer them.
pub fn with_node<R>(f: impl FnOnce(&Node) -> R) -> R {
    f(&actor::get().node())
}

/// This node's name in continuity records (`standalone@local` when standalone).
pub fn local_node() -> String {
    with_node(|n| n.node_name().to_string())
}

/// True when the continuity node is a cluster node.
pub fn is_cluster() -> bool {
    actor::get().cluster
}

/// Records an entry made outside the core in the ring buffer and logs it.
pub fn note(entry: Entry) {
    actor::note(entry)
}

/// Triggers startup work (HTTP.serve/serve_tls, after the listening line). Idempotent.
pub fn trigger_startup() {
    startup::trigger();
}

/// `main` returned: triggers startup work if nothing did; a cluster node with startup work
/// then keeps running (serving peers and operators) until it is killed (§4.2).
pub fn main_returned() {
    let started = startup::trigger();
    let has_work = !is_test_build() && !startup_names().is_empty();
    if (started || has_work) && crate::dist::node::node().is_some() {
        // Never released: the node runs until it is killed or signalled (SIGTERM/SIGINT:
        // exit 0, §11).
        crate::sched::busy_add(1);
        crate::http::shutdown::install_without_listener();
    }
}

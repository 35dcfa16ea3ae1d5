//! Clustered work and continuity (runtime-cluster spec §5, §6, §8, §9), as pure code: the
//! continuity records and roles of one node as a deterministic state machine that the node
//! transport drives, plus the `Continuity.*` functions (stdlib §17.4) and the operator-query
//! shapes over its state. See ARCHITECTURE.md ("Clustered work and continuity").
//!
//! - `record`: the record fields and enumerations, attempt ids, the merge preference;
//! - `transition`: transition names, diagnostics entries, log lines, the ring buffer;
//! - `node`: the state machine (`Node::handle(Input) -> Vec<Output>`);
//! - `continuity`: the stdlib §17.4 functions and shapes;
//! - `declared`: the table of `@cluster` functions and clustered route handlers the program
//!   registers before `main` (§4.1, §7);
//! - `startup`: the startup-work actor's decisions and `startup_*` entries (§4.3–§4.4);
//! - `operator`: the JSON forms of `meshc cluster status|continuity|diagnostics`;
//! - `route`: clustered HTTP routes' encodings, keys, placement and frames (§7);
//! - `runtime`: the node of this process, its continuity actor, the transport wiring and
//!   startup work (the impure part).

pub mod continuity;
pub mod declared;
pub mod node;
pub mod operator;
pub mod record;
pub mod route;
pub mod runtime;
pub mod startup;
pub mod transition;

pub use node::{
    Config, Input, Message, Node, Output, Reply, SubmitDecision, SubmitOutcome, SubmitRequest,
};
pub use record::{Authority, Health, Outcome, Phase, Record, ReplicaStatus, Role};
pub use transition::{Diagnostics, Entry, Transition};

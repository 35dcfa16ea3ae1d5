//! The continuity core of one node: records, authority, replication, node loss, promotion and
//! fencing (runtime-cluster spec §5–§6) as a deterministic state machine. The host feeds it
//! `Input`s (a local submit or completion, a message from a peer, a peer session up or down, a
//! timer firing) and performs the `Output`s it returns (messages to send, timers to set,
//! transitions to log, replies to clients, recovered work to execute). No threads, clocks or
//! sockets: the transport (`dist/`) and the simulator (`tests/cluster_sim.rs`) drive it alike.
//!
//! `records.rs` holds submit, completion, replication and merging; `roles.rs` peers, node
//! loss, promotion and fencing.

mod records;
mod roles;

use std::collections::{BTreeMap, BTreeSet};

use super::record::{Authority, Health, Record, Role};
use super::transition::{Diagnostics, DiagnosticsView, Entry, DIAGNOSTICS_CAPACITY};

/// Identifies a waiting client (a Mesh process, an HTTP request) to the host.
pub type ClientId = u64;
/// Identifies a timer the core asked for.
pub type TimerId = u64;

/// Prepare deadline (§5.4).
pub const PREPARE_TIMEOUT_MS: u64 = 5_000;
/// Default retention bound (§2.4 `MESH_CONTINUITY_MAX_RECORDS`).
pub const MAX_RECORDS: usize = 10_000;
/// The owner name of standalone programs (§5.1).
pub const STANDALONE_NODE: &str = "standalone@local";

/// Deliberate defects for the simulator's own tests (never set outside them): each one breaks
/// a guarantee the simulator must then catch.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Acknowledge a replicated submit as soon as the prepare is sent, before the replica's ack.
    AckBeforeMirror,
    /// Promote without bumping the epoch.
    PromoteAtSameEpoch,
}

/// How a node starts (§2.4).
#[derive(Clone, Debug)]
pub struct Config {
    /// This node's identity (`standalone@local` for standalone programs).
    pub node_name: String,
    /// `MESH_CONTINUITY_ROLE` / `_PROMOTION_EPOCH`.
    pub authority: Authority,
    pub max_records: usize,
    pub diagnostics_capacity: usize,
    pub prepare_timeout_ms: u64,
    #[doc(hidden)]
    pub fault: Option<Fault>,
}

impl Config {
    pub fn new(node_name: &str, role: Role, epoch: u64) -> Config {
        Config {
            node_name: node_name.to_string(),
            authority: Authority { role, epoch },
            max_records: MAX_RECORDS,
            diagnostics_capacity: DIAGNOSTICS_CAPACITY,
            prepare_timeout_ms: PREPARE_TIMEOUT_MS,
            fault: None,
        }
    }

    /// A standalone program: `standalone@local`, primary at epoch 0 (§2.4).
    pub fn standalone() -> Config {
        Config::new(STANDALONE_NODE, Role::Primary, 0)
    }
}

/// A local submit (§5.3; stdlib §17.4 `Continuity.submit`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmitRequest {
    pub request_key: String,
    pub payload_hash: String,
    pub ingress_node: String,
    pub owner_node: String,
    pub replica_node: String,
    /// 0 or 1 (§5.5).
    pub required_replicas: i64,
    /// The declared `N` (§1).
    pub replication_count: i64,
    pub declared_handler_runtime_name: String,
    pub routed_remotely: bool,
    pub fell_back_locally: bool,
}

/// `ContinuitySubmitDecision.outcome` (stdlib §17.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmitOutcome {
    Created,
    Duplicate,
    Conflict,
    Rejected,
}

impl SubmitOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmitOutcome::Created => "created",
            SubmitOutcome::Duplicate => "duplicate",
            SubmitOutcome::Conflict => "conflict",
            SubmitOutcome::Rejected => "rejected",
        }
    }
}

/// The answer to a submit: outcome, `conflict_reason` (`""` unless a conflict) and the record
/// as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmitDecision {
    pub outcome: SubmitOutcome,
    pub conflict_reason: String,
    pub record: Record,
}

/// What a client waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    Submit(Result<SubmitDecision, String>),
    Record(Result<Record, String>),
}

/// Continuity frames between nodes (§3.5). The codec encodes every field of `Record`,
/// `written_epoch` and `required_replicas` included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// `AUTHORITY`: sent at session start and after every authority change.
    Authority(Authority),
    /// `CONTINUITY_PREPARE`: the owner asks the replica to store `record`.
    Prepare { request_id: u64, record: Record },
    /// `CONTINUITY_PREPARE_ACK`: `Ok` once stored, else the reason.
    PrepareAck {
        request_id: u64,
        result: Result<(), String>,
    },
    /// `CONTINUITY_UPSERT`: a record after a transition.
    Upsert { watermark: u64, record: Record },
    /// `CONTINUITY_SYNC`: the full snapshot at session start (and again after fencing).
    Sync {
        watermark: u64,
        records: Vec<Record>,
    },
    /// `SYNC_DONE`: the sender's session-start frames are all sent.
    SyncDone,
}

/// One event the host reports to the core.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Submit {
        client: ClientId,
        request: SubmitRequest,
    },
    /// Execution of `attempt_id` returned on `execution_node` (`Continuity.mark_completed`).
    Complete {
        client: Option<ClientId>,
        request_key: String,
        attempt_id: String,
        execution_node: String,
    },
    /// Execution of `attempt_id` failed, crashed or could not be dispatched.
    Reject {
        client: Option<ClientId>,
        request_key: String,
        attempt_id: String,
        reason: String,
    },
    /// `Continuity.acknowledge_replica`: mark the record mirrored without a prepare exchange.
    AcknowledgeReplica {
        client: ClientId,
        request_key: String,
        attempt_id: String,
    },
    /// A `node` session with `peer` is registered (after the handshake, §3.3).
    PeerUp {
        peer: String,
    },
    /// The session with `peer` is gone (§3.4); `reason` as in the disconnect log line.
    PeerDown {
        peer: String,
        reason: String,
    },
    Message {
        from: String,
        message: Message,
    },
    TimerFired {
        timer: TimerId,
    },
}

/// One thing the host must do, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    Send {
        to: String,
        message: Message,
    },
    /// Fire `TimerFired { timer }` after `after_ms`. Timers are never cancelled: a timer whose
    /// purpose is gone is ignored when it fires.
    SetTimer {
        timer: TimerId,
        after_ms: u64,
    },
    /// A transition, already in the ring buffer: log `entry.log_line()`.
    Transition(Entry),
    Reply {
        client: ClientId,
        reply: Reply,
    },
    /// Run the declared handler `runtime_name` for this attempt here (recovery, §6.3) and
    /// report `Complete`/`Reject` with the same attempt id.
    Execute {
        request_key: String,
        attempt_id: String,
        runtime_name: String,
    },
}

/// What happens when a prepare is acknowledged.
#[derive(Clone, Debug)]
enum AfterAck {
    /// Reply `created` to the submitting client.
    Reply(ClientId),
    /// Nothing (the client already has its answer: `Fault::AckBeforeMirror`).
    Nothing,
    /// Recovery (§6.3): record `automatic_recovery` and execute.
    Recover { previous_attempt: u64 },
}

#[derive(Clone, Debug)]
struct PendingPrepare {
    request_key: String,
    attempt: u64,
    replica: String,
    then: AfterAck,
}

#[derive(Clone, Debug)]
struct Peer {
    converged: bool,
    authority: Option<Authority>,
}

#[derive(Clone, Debug)]
struct Stored {
    record: Record,
    /// Value of the node's update clock at the last change (newest-first listing, retention).
    updated: u64,
    /// The attempt (epoch, number) this incarnation owns and runs; a pending record owned by this node's name
    /// at another attempt belongs to a previous incarnation (§5.7: a restarted node starts
    /// empty) and is resolved as owner-lost.
    running_attempt: Option<(u64, u64)>,
}

/// Membership as an operator sees it (§8.1 status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub local_node: String,
    pub peer_nodes: Vec<String>,
    pub nodes: Vec<String>,
}

/// The continuity state machine of one node.
#[derive(Clone, Debug)]
pub struct Node {
    config: Config,
    authority: Authority,
    /// One above the highest attempt number seen (§5.1).
    watermark: u64,
    records: BTreeMap<String, Stored>,
    /// (`updated`, key) of route records, oldest first: retention's eviction order. An entry
    /// is current while its record's `updated` is still that value (every change of `updated`
    /// adds the new entry); older entries are stale and dropped when met.
    route_order: BTreeSet<(u64, String)>,
    clock: u64,
    peers: BTreeMap<String, Peer>,
    prepares: BTreeMap<u64, PendingPrepare>,
    next_id: u64,
    handlers: BTreeSet<String>,
    diagnostics: Diagnostics,
    /// The authority before the last fencing (`fenced_rejoin` metadata).
    fenced_from: Option<Authority>,
    resync: bool,
    /// The lost primary this standby will still promote over (see `roles::retry_promotion`).
    promotion_wait: Option<String>,
    evicted: u64,
    out: Vec<Output>,
}

impl Node {
    pub fn new(config: Config) -> Node {
        Node {
            authority: config.authority,
            diagnostics: Diagnostics::new(config.diagnostics_capacity),
            config,
            watermark: 1,
            records: BTreeMap::new(),
            route_order: BTreeSet::new(),
            clock: 0,
            peers: BTreeMap::new(),
            prepares: BTreeMap::new(),
            next_id: 1,
            handlers: BTreeSet::new(),
            fenced_from: None,
            resync: false,
            promotion_wait: None,
            evicted: 0,
            out: Vec::new(),
        }
    }

    /// Registers a declared handler (§4.1): records carrying this runtime name are recovered
    /// after a promotion.
    pub fn register_handler(&mut self, runtime_name: &str) {
        self.handlers.insert(runtime_name.to_string());
    }

    /// True when `runtime_name` is a registered declared handler.
    pub fn is_registered(&self, runtime_name: &str) -> bool {
        self.handlers.contains(runtime_name)
    }

    /// Records an entry made outside the core (the startup actor's `startup_*`, §4.3) in the
    /// ring buffer and returns it numbered, for the host to log.
    pub fn note(&mut self, entry: Entry) -> Entry {
        self.diagnostics.push(entry)
    }

    /// Handles one input and returns what the host must do, in order.
    pub fn handle(&mut self, input: Input) -> Vec<Output> {
        match input {
            Input::Submit { client, request } => self.submit(client, request),
            Input::Complete {
                client,
                request_key,
                attempt_id,
                execution_node,
            } => {
                let result = self.complete(&request_key, &attempt_id, &execution_node);
                self.reply_record(client, result);
            }
            Input::Reject {
                client,
                request_key,
                attempt_id,
                reason,
            } => {
                let result = self.reject_attempt(&request_key, &attempt_id, &reason);
                self.reply_record(client, result);
            }
            Input::AcknowledgeReplica {
                client,
                request_key,
                attempt_id,
            } => {
                let result = self.acknowledge_replica(&request_key, &attempt_id);
                self.reply_record(Some(client), result);
            }
            Input::PeerUp { peer } => self.peer_up(&peer),
            Input::PeerDown { peer, reason } => self.peer_down(&peer, &reason),
            Input::Message { from, message } => self.message(&from, message),
            Input::TimerFired { timer } => self.prepare_timed_out(timer),
        }
        self.retry_promotion();
        if std::mem::take(&mut self.resync) {
            self.broadcast_sync();
        }
        std::mem::take(&mut self.out)
    }

    pub fn node_name(&self) -> &str {
        &self.config.node_name
    }

    pub fn authority(&self) -> Authority {
        self.authority
    }

    /// The authority-level `replication_health` (§5.1).
    pub fn replication_health(&self) -> Health {
        Health::aggregate(self.records.values().map(|s| &s.record))
    }

    /// The next attempt number this node would take.
    pub fn watermark(&self) -> u64 {
        self.watermark
    }

    pub fn record(&self, request_key: &str) -> Option<&Record> {
        self.records.get(request_key).map(|s| &s.record)
    }

    /// Every record, by request key.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.records.values().map(|s| &s.record)
    }

    /// Records newest first by last update (§8.1, Appendix A.16), at most `limit`; and the
    /// total held.
    pub fn recent_records(&self, limit: Option<usize>) -> (Vec<&Record>, usize) {
        let mut all: Vec<&Stored> = self.records.values().collect();
        all.sort_by_key(|s| std::cmp::Reverse(s.updated));
        let total = all.len();
        let take = limit.map_or(total, |l| l.min(total));
        (
            all.into_iter().take(take).map(|s| &s.record).collect(),
            total,
        )
    }

    pub fn diagnostics(&self, limit: Option<usize>) -> DiagnosticsView {
        self.diagnostics.query(limit)
    }

    /// This node and its peers (§8.1): peers and nodes sorted.
    pub fn membership(&self) -> Membership {
        let peer_nodes: Vec<String> = self.peers.keys().cloned().collect();
        let mut nodes = peer_nodes.clone();
        nodes.push(self.config.node_name.clone());
        nodes.sort();
        Membership {
            local_node: self.config.node_name.clone(),
            peer_nodes,
            nodes,
        }
    }

    /// Peers whose `SYNC_DONE` this node has applied (§3.3).
    pub fn converged_peers(&self) -> Vec<String> {
        self.peers
            .iter()
            .filter(|(_, p)| p.converged)
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// The authority `peer` last announced (`AUTHORITY`), if any.
    pub fn peer_authority(&self, peer: &str) -> Option<Authority> {
        self.peers.get(peer).and_then(|p| p.authority)
    }

    /// Records evicted by retention so far (§5.7).
    pub fn evicted_records(&self) -> u64 {
        self.evicted
    }

    fn emit(&mut self, entry: Entry) {
        let entry = self.diagnostics.push(entry);
        self.out.push(Output::Transition(entry));
    }

    fn reply(&mut self, client: ClientId, reply: Reply) {
        self.out.push(Output::Reply { client, reply });
    }

    fn reply_record(&mut self, client: Option<ClientId>, result: Result<Record, String>) {
        if let Some(client) = client {
            self.reply(client, Reply::Record(result));
        }
    }

    fn send(&mut self, to: &str, message: Message) {
        self.out.push(Output::Send {
            to: to.to_string(),
            message,
        });
    }

    fn fresh_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn next_attempt(&mut self) -> u64 {
        let n = self.watermark;
        self.watermark += 1;
        n
    }

    fn raise_watermark(&mut self, value: u64) {
        self.watermark = self.watermark.max(value);
    }

    fn is_me(&self, node: &str) -> bool {
        node == self.config.node_name
    }

    /// Stores `record` (projected onto our authority) as changed now.
    fn store(&mut self, mut record: Record, running_attempt: Option<(u64, u64)>) {
        record.project(self.authority);
        self.raise_watermark(record.attempt + 1);
        self.clock += 1;
        let key = record.request_key.clone();
        if record.is_route() {
            self.route_order.insert((self.clock, key.clone()));
        }
        self.records.insert(
            key,
            Stored {
                record,
                updated: self.clock,
                running_attempt,
            },
        );
    }

    /// Sends the record of `key` to every peer (`CONTINUITY_UPSERT`, §5.4).
    fn broadcast(&mut self, key: &str) {
        let Some(stored) = self.records.get(key) else {
            return;
        };
        let record = stored.record.clone();
        let peers: Vec<String> = self.peers.keys().cloned().collect();
        for peer in peers {
            let message = Message::Upsert {
                watermark: self.watermark,
                record: record.clone(),
            };
            self.send(&peer, message);
        }
    }

    fn broadcast_authority(&mut self) {
        let peers: Vec<String> = self.peers.keys().cloned().collect();
        for peer in peers {
            self.send(&peer, Message::Authority(self.authority));
        }
    }

    fn snapshot(&self) -> Message {
        Message::Sync {
            watermark: self.watermark,
            records: self.records.values().map(|s| s.record.clone()).collect(),
        }
    }

    fn broadcast_sync(&mut self) {
        let peers: Vec<String> = self.peers.keys().cloned().collect();
        for peer in peers {
            let snapshot = self.snapshot();
            self.send(&peer, snapshot);
        }
    }

    /// Evicts the oldest terminal route records beyond the retention bound (§5.7); returns
    /// how many went.
    fn enforce_retention(&mut self) -> u64 {
        let excess = self.records.len().saturating_sub(self.config.max_records);
        if excess == 0 {
            if self.route_order.len() > 4 * self.records.len() + 64 {
                self.rebuild_route_order();
            }
            return 0;
        }
        // Oldest first by (`updated`, key): the current entries of terminal route records are
        // evicted, stale entries dropped, pending records kept (they are few: in flight).
        let mut gone = 0;
        let mut kept = Vec::new();
        while gone < excess as u64 {
            let Some(entry) = self.route_order.pop_first() else {
                break;
            };
            match self.records.get(&entry.1) {
                Some(s) if s.updated == entry.0 => {
                    if s.record.phase.is_terminal() {
                        self.records.remove(&entry.1);
                        gone += 1;
                    } else {
                        kept.push(entry);
                    }
                }
                _ => {}
            }
        }
        self.route_order.extend(kept);
        self.evicted += gone;
        gone
    }

    /// Rebuilds `route_order` from the records (drops every stale entry).
    fn rebuild_route_order(&mut self) {
        self.route_order = self
            .records
            .iter()
            .filter(|(_, s)| s.record.is_route())
            .map(|(k, s)| (s.updated, k.clone()))
            .collect();
    }
}

#[cfg(test)]
mod tests;

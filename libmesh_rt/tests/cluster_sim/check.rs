//! The simulator's invariants (issue 19 item 7), checked after every step and once the
//! world has healed:
//! - no acknowledged request is lost while at most one node is down;
//! - a record completes at most once per epoch;
//! - after healing, all nodes agree on each record and on one primary with the highest epoch;
//! - no record is left pending once its owner is gone and a primary exists;
//!
//! plus local consistency of every record a live node holds.
//!
//! "At most once per epoch" (the epoch an attempt was created at) does not count attempts
//! submitted by a node that has not joined the cluster since it started: a node restarted
//! into a partition waits for convergence, then runs
//! startup work alone (§4.3 step 2) at the epoch it was configured with, as the spec intends
//! for a cold start; it cannot know that the other side already ran it. That is the
//! two-node split brain Appendix B accepts, and healing resolves it by the merge rule.

use std::collections::BTreeSet;

use mesh_rt::cluster::record::{Outcome, Phase, Record, ReplicaStatus, Role};

use super::world::{Acked, Completions, World, NAMES};

#[derive(Default)]
pub struct Checker {
    /// Every (key, hash, runtime name, count) a client submitted, for retries.
    pub submitted: Vec<(String, String, String, i64)>,
    known: BTreeSet<String>,
    acked: Acked,
    completions: Completions,
    isolated_clients: BTreeSet<(usize, u64)>,
    isolated_attempts: BTreeSet<(String, String)>,
    violation: Option<String>,
}

impl Checker {
    pub fn remember(&mut self, key: String, hash: String, runtime_name: String, count: i64) {
        if self.known.insert(key.clone()) {
            self.submitted.push((key, hash, runtime_name, count));
        }
    }

    /// A submit was acknowledged as replicated (`created` with one required replica).
    pub fn acknowledged(&mut self, key: String) {
        self.acked.insert(key);
    }

    /// `client` submitted at `node` before the node had ever converged with a peer.
    pub fn isolated_submit(&mut self, node: usize, client: u64) {
        self.isolated_clients.insert((node, client));
    }

    /// A submit was answered `created`; attempts created by isolated submits are not counted.
    pub fn created(&mut self, node: usize, client: u64, record: &Record) {
        if self.isolated_clients.remove(&(node, client)) {
            self.isolated_attempts
                .insert((record.request_key.clone(), record.attempt_id()));
        }
    }

    pub fn completed(&mut self, key: String, attempt: String, epoch: u64, node: usize) {
        if self.isolated_attempts.contains(&(key.clone(), attempt)) {
            return;
        }
        if let Some(first) = self.completions.insert((key.clone(), epoch), node) {
            self.violation.get_or_insert(format!(
                "record {key} completed twice at epoch {epoch} (on {} and {})",
                NAMES[first], NAMES[node]
            ));
        }
    }

    pub fn node_killed(&mut self, _node: usize) {}

    pub fn check_step(&mut self, world: &World) -> Result<(), String> {
        if let Some(violation) = self.violation.take() {
            return Err(violation);
        }
        // A record no live node holds is gone (unreplicated work dies with its node, §6.1);
        // running it again later starts a new history.
        self.completions.retain(|(key, _), _| {
            world
                .nodes
                .iter()
                .any(|n| n.core.as_ref().is_some_and(|c| c.record(key).is_some()))
        });
        for key in &self.acked {
            let held = world
                .nodes
                .iter()
                .any(|n| n.core.as_ref().is_some_and(|c| c.record(key).is_some()));
            if !held {
                return Err(format!(
                    "acknowledged request {key} lost: no live node holds its record"
                ));
            }
        }
        for node in world.nodes.iter().filter_map(|n| n.core.as_ref()) {
            for record in node.records() {
                let consistent = match record.phase {
                    Phase::Submitted => {
                        record.result == Outcome::Pending && record.execution_node.is_empty()
                    }
                    Phase::Completed => {
                        record.result == Outcome::Succeeded && !record.execution_node.is_empty()
                    }
                    Phase::Rejected => {
                        record.result == Outcome::Rejected
                            && record.replica_status == ReplicaStatus::Rejected
                    }
                };
                let fields_ok = record.replica_node != record.owner_node
                    && record.attempt < node.watermark()
                    && record.cluster_role == node.authority().role
                    && record.promotion_epoch == node.authority().epoch
                    && (record.replica_status != ReplicaStatus::Mirrored
                        || !record.replica_node.is_empty());
                if !consistent || !fields_ok {
                    return Err(format!(
                        "{} holds an inconsistent record: {record:?}",
                        node.node_name()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The world has healed (every node up, partition gone, no new load): nodes must have
    /// reconnected and agree.
    pub fn check_settled(&mut self, world: &World) -> Result<(), String> {
        self.check_step(world)?;
        if !world.link_converged() {
            return Err("after healing the nodes did not reconnect and converge".into());
        }
        let cores: Vec<_> = world.nodes.iter().filter_map(|n| n.core.as_ref()).collect();
        let primaries = cores
            .iter()
            .filter(|c| c.authority().role == Role::Primary)
            .count();
        let max_epoch = cores.iter().map(|c| c.authority().epoch).max().unwrap_or(0);
        if primaries != 1 {
            let roles: Vec<String> = cores
                .iter()
                .map(|c| {
                    format!(
                        "{}={}/{}",
                        c.node_name(),
                        c.authority().role.as_str(),
                        c.authority().epoch
                    )
                })
                .collect();
            return Err(format!(
                "after healing {primaries} primaries: {}",
                roles.join(" ")
            ));
        }
        if cores.iter().any(|c| c.authority().epoch != max_epoch) {
            return Err("after healing the nodes disagree on the epoch".into());
        }
        let (first, rest) = cores.split_first().expect("two nodes");
        for other in rest {
            let keys: Vec<&str> = first.records().map(|r| r.request_key.as_str()).collect();
            let other_keys: Vec<&str> = other.records().map(|r| r.request_key.as_str()).collect();
            if keys != other_keys {
                return Err(format!(
                    "after healing the nodes hold different keys: {keys:?} vs {other_keys:?}"
                ));
            }
            for record in first.records() {
                let theirs = other.record(&record.request_key).expect("same keys");
                if !record.same_content(theirs) {
                    return Err(format!(
                        "after healing the nodes disagree on {}:\n  {record:?}\n  {theirs:?}",
                        record.request_key
                    ));
                }
            }
        }
        for core in &cores {
            if let Some(record) = core.records().find(|r| r.is_pending()) {
                return Err(format!(
                    "{} still has {} pending after healing (owner {}, {})",
                    core.node_name(),
                    record.request_key,
                    record.owner_node,
                    record.attempt_id()
                ));
            }
        }
        Ok(())
    }
}

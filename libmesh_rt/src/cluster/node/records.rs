//! Submit, duplicates and conflicts (§5.3), replication with prepare/ack (§5.4), completion and
//! rejection (§5.2), and merging copies from peers (§5.6).

use std::cmp::Ordering;

use super::{
    AfterAck, Fault, Message, Node, PendingPrepare, Reply, SubmitDecision, SubmitOutcome,
    SubmitRequest,
};
use crate::cluster::record::{
    attempt_id, parse_attempt_id, Health, Outcome, Phase, Record, ReplicaStatus, Role,
};
use crate::cluster::transition::{Entry, Transition};

/// Checks a submit's arguments (§5.3 validation failures): nothing is created on error.
pub fn validate(request: &SubmitRequest) -> Result<(), String> {
    if request.request_key.trim().is_empty() {
        return Err("request_key_missing".into());
    }
    if request.payload_hash.trim().is_empty() {
        return Err("payload_hash_missing".into());
    }
    if request.owner_node.trim().is_empty() {
        return Err("owner_node_missing".into());
    }
    if request.replication_count < 1 {
        return Err("invalid_replication_count".into());
    }
    if !(0..=1).contains(&request.required_replicas) {
        return Err("invalid_required_replica_count".into());
    }
    if !request.replica_node.is_empty() && request.replica_node == request.owner_node {
        return Err("replica_matches_owner".into());
    }
    Ok(())
}

impl Node {
    pub(super) fn submit(&mut self, client: u64, request: SubmitRequest) {
        if let Err(reason) = validate(&request) {
            self.reply(client, Reply::Submit(Err(reason)));
            return;
        }
        let key = request.request_key.clone();
        if let Some(stored) = self.records.get(&key) {
            let record = stored.record.clone();
            if record.payload_hash != request.payload_hash {
                self.emit(
                    Entry::for_record(Transition::Conflict, &record)
                        .with_reason("request_key_conflict"),
                );
                let decision = SubmitDecision {
                    outcome: SubmitOutcome::Conflict,
                    conflict_reason: "request_key_conflict".into(),
                    record,
                };
                self.reply(client, Reply::Submit(Ok(decision)));
            } else if self.is_recovery_submit(&record, &request) {
                self.rollover(&key, AfterAck::Reply(client));
            } else {
                self.emit(Entry::for_record(Transition::Duplicate, &record));
                let decision = SubmitDecision {
                    outcome: SubmitOutcome::Duplicate,
                    conflict_reason: String::new(),
                    record,
                };
                self.reply(client, Reply::Submit(Ok(decision)));
            }
            return;
        }
        let attempt = self.next_attempt();
        let replicated = request.required_replicas == 1;
        let record = Record {
            request_key: key.clone(),
            payload_hash: request.payload_hash,
            attempt,
            phase: Phase::Submitted,
            result: Outcome::Pending,
            ingress_node: request.ingress_node,
            owner_node: request.owner_node,
            replica_node: request.replica_node,
            replication_count: request.replication_count as u64,
            replica_status: if replicated {
                ReplicaStatus::Preparing
            } else {
                ReplicaStatus::Unassigned
            },
            cluster_role: self.authority.role,
            promotion_epoch: self.authority.epoch,
            replication_health: Health::LocalOnly,
            execution_node: String::new(),
            declared_handler_runtime_name: request.declared_handler_runtime_name,
            routed_remotely: request.routed_remotely,
            fell_back_locally: request.fell_back_locally,
            error: String::new(),
            written_epoch: self.authority.epoch,
            attempt_epoch: self.authority.epoch,
            required_replicas: request.required_replicas as u8,
        };
        let running = self
            .is_me(&record.owner_node)
            .then_some((record.attempt_epoch, attempt));
        self.store(record, running);
        let evicted = self.enforce_retention();
        let mut entry = Entry::for_record(Transition::Submit, &self.records[&key].record)
            .with_meta("required_replicas", request.required_replicas);
        if evicted > 0 {
            entry = entry.with_meta("evicted_records", evicted);
        }
        self.emit(entry);
        if request.replication_count > 2 {
            let reason = format!(
                "unsupported_replication_count:{}",
                request.replication_count
            );
            self.reject_record(&key, &reason);
            self.reply_decision(client, &key, SubmitOutcome::Rejected);
        } else if replicated {
            self.start_prepare(&key, AfterAck::Reply(client));
        } else {
            self.broadcast(&key);
            self.reply_decision(client, &key, SubmitOutcome::Created);
        }
    }

    /// §5.3: a duplicate submit of an `owner_lost` record by a primary at an epoch ≥ the
    /// record's, naming another owner, is a recovery.
    fn is_recovery_submit(&self, record: &Record, request: &SubmitRequest) -> bool {
        record.replica_status == ReplicaStatus::OwnerLost
            && record.is_pending()
            && self.authority.role == Role::Primary
            && self.authority.epoch >= record.written_epoch
            && request.owner_node != record.owner_node
    }

    fn reply_decision(&mut self, client: u64, key: &str, outcome: SubmitOutcome) {
        let record = self.records[key].record.clone();
        let decision = SubmitDecision {
            outcome,
            conflict_reason: String::new(),
            record,
        };
        self.reply(client, Reply::Submit(Ok(decision)));
    }

    /// Sends `CONTINUITY_PREPARE` to the record's replica and waits for its ack (§5.4).
    pub(super) fn start_prepare(&mut self, key: &str, then: AfterAck) {
        let record = self.records[key].record.clone();
        let replica = record.replica_node.clone();
        if replica.is_empty() || !self.peers.contains_key(&replica) {
            if !replica.is_empty() {
                self.emit(
                    Entry::for_record(Transition::PrepareDisconnected, &record)
                        .with_reason("replica_required_unavailable"),
                );
            }
            self.reject_record(key, "replica_required_unavailable");
            self.finish_prepare(key, then, SubmitOutcome::Rejected);
            return;
        }
        let request_id = self.fresh_id();
        self.send(
            &replica,
            Message::Prepare {
                request_id,
                record: record.clone(),
            },
        );
        self.out.push(super::Output::SetTimer {
            timer: request_id,
            after_ms: self.config.prepare_timeout_ms,
        });
        let then = match (self.config.fault, then) {
            (Some(Fault::AckBeforeMirror), AfterAck::Reply(client)) => {
                self.reply_decision(client, key, SubmitOutcome::Created);
                AfterAck::Nothing
            }
            (_, then) => then,
        };
        let pending = PendingPrepare {
            request_key: key.to_string(),
            attempt: record.attempt,
            replica,
            then,
        };
        self.prepares.insert(request_id, pending);
    }

    /// Answers whoever waits on a prepare that ended with `outcome`.
    fn finish_prepare(&mut self, key: &str, then: AfterAck, outcome: SubmitOutcome) {
        match then {
            AfterAck::Reply(client) => self.reply_decision(client, key, outcome),
            AfterAck::Nothing => {}
            AfterAck::Recover { previous_attempt } => {
                if outcome == SubmitOutcome::Created {
                    self.recovered(key, previous_attempt);
                } else {
                    let record = self.records[key].record.clone();
                    self.emit(
                        Entry::for_record(Transition::AutomaticRecoveryRejected, &record)
                            .with_reason(format!("automatic_recovery_rejected:{}", record.error))
                            .with_meta("previous_attempt_id", attempt_id(previous_attempt)),
                    );
                }
            }
        }
    }

    /// The replica's side of a prepare.
    pub(super) fn prepare(&mut self, from: &str, request_id: u64, record: Record) {
        let result = self.store_prepared(record);
        self.send(from, Message::PrepareAck { request_id, result });
    }

    fn store_prepared(&mut self, record: Record) -> Result<(), String> {
        if record.promotion_epoch > self.authority.epoch {
            self.fence(record.promotion_epoch);
        }
        if record.promotion_epoch < self.authority.epoch {
            self.stale(&record);
            return Err("stale_epoch".into());
        }
        self.raise_watermark(record.attempt + 1);
        if let Some(stored) = self.records.get(&record.request_key) {
            let ours = &stored.record;
            if ours.payload_hash != record.payload_hash {
                let ours = ours.clone();
                self.emit(
                    Entry::for_record(Transition::Conflict, &ours)
                        .with_reason("request_key_conflict"),
                );
                return Err("request_key_conflict".into());
            }
            let (ours_at, theirs_at) = (
                (ours.attempt_epoch, ours.attempt),
                (record.attempt_epoch, record.attempt),
            );
            if ours_at > theirs_at || (ours_at == theirs_at && ours.phase.is_terminal()) {
                return Err("attempt_id_mismatch".into());
            }
        }
        let key = record.request_key.clone();
        let mut record = record;
        record.replica_status = ReplicaStatus::Mirrored;
        record.replication_health = Health::Healthy;
        record.error.clear();
        self.store(record, None);
        self.enforce_retention();
        let stored = self.records[&key].record.clone();
        self.emit(Entry::for_record(Transition::ReplicaPrepare, &stored));
        Ok(())
    }

    /// The owner's side of a prepare ack.
    pub(super) fn prepare_acked(
        &mut self,
        from: &str,
        request_id: u64,
        result: Result<(), String>,
    ) {
        let Some(pending) = self.prepares.get(&request_id) else {
            return;
        };
        if pending.replica != from {
            return;
        }
        let Some(pending) = self.prepares.remove(&request_id) else {
            return;
        };
        let key = pending.request_key.clone();
        let current = self.records.get(&key).is_some_and(|s| {
            s.record.attempt == pending.attempt
                && s.record.replica_status == ReplicaStatus::Preparing
        });
        if !current {
            return;
        }
        match result {
            Ok(()) => {
                let stored = self.records.get_mut(&key).expect("checked above");
                stored.record.replica_status = ReplicaStatus::Mirrored;
                stored.record.replication_health = Health::Healthy;
                stored.record.error.clear();
                stored.record.written_epoch = self.authority.epoch;
                self.touch(&key);
                let record = self.records[&key].record.clone();
                self.emit(Entry::for_record(Transition::ReplicaAck, &record));
                self.broadcast(&key);
                self.finish_prepare(&key, pending.then, SubmitOutcome::Created);
            }
            Err(reason) => {
                let record = self.records[&key].record.clone();
                self.emit(
                    Entry::for_record(Transition::PrepareWriteFailed, &record).with_reason(reason),
                );
                self.reject_record(&key, "replica_required_unavailable");
                self.finish_prepare(&key, pending.then, SubmitOutcome::Rejected);
            }
        }
    }

    pub(super) fn prepare_timed_out(&mut self, timer: u64) {
        let Some(pending) = self.prepares.remove(&timer) else {
            return;
        };
        let key = pending.request_key.clone();
        let current = self.records.get(&key).is_some_and(|s| {
            s.record.attempt == pending.attempt
                && s.record.replica_status == ReplicaStatus::Preparing
        });
        if !current {
            return;
        }
        let record = self.records[&key].record.clone();
        self.emit(
            Entry::for_record(Transition::PrepareTimeout, &record)
                .with_reason("replica_prepare_timeout"),
        );
        self.reject_record(&key, "replica_prepare_timeout");
        self.finish_prepare(&key, pending.then, SubmitOutcome::Rejected);
    }

    /// Prepares waiting on `replica` fail (§5.2: replica lost while preparing).
    pub(super) fn fail_prepares_to(&mut self, replica: &str) {
        let ids: Vec<u64> = self
            .prepares
            .iter()
            .filter(|(_, p)| p.replica == replica)
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            let Some(pending) = self.prepares.remove(&id) else {
                continue;
            };
            let key = pending.request_key.clone();
            let current = self.records.get(&key).is_some_and(|s| {
                s.record.attempt == pending.attempt
                    && s.record.replica_status == ReplicaStatus::Preparing
            });
            if !current {
                continue;
            }
            let record = self.records[&key].record.clone();
            self.emit(
                Entry::for_record(Transition::PrepareDisconnected, &record)
                    .with_reason(format!("replica_lost:{replica}")),
            );
            self.reject_record(&key, "replica_required_unavailable");
            self.finish_prepare(&key, pending.then, SubmitOutcome::Rejected);
        }
    }

    /// Marks the record of `key` changed now (newest-first order).
    pub(super) fn touch(&mut self, key: &str) {
        self.clock += 1;
        if let Some(stored) = self.records.get_mut(key) {
            stored.updated = self.clock;
            stored.record.project(self.authority);
            if stored.record.is_route() {
                self.route_order.insert((self.clock, key.to_string()));
            }
        }
    }

    /// Rejects the record of `key` with `reason`, logs `rejected` and broadcasts it.
    pub(super) fn reject_record(&mut self, key: &str, reason: &str) {
        let epoch = self.authority.epoch;
        let Some(stored) = self.records.get_mut(key) else {
            return;
        };
        stored.record.reject(reason);
        stored.record.written_epoch = epoch;
        self.touch(key);
        let record = self.records[key].record.clone();
        self.emit(Entry::for_record(Transition::Rejected, &record).with_reason(reason));
        self.broadcast(key);
    }

    /// Finds the record for a completion or rejection of `attempt`; refusals are
    /// `completion_rejected` entries (§5.2 rules). When `local` (this node ran it), the
    /// attempt must also be the one this incarnation runs: attempt numbers taken on both
    /// sides of a partition can collide, and a fenced node's old attempt must not complete
    /// the new primary's attempt of the same number.
    fn active(&mut self, key: &str, attempt: &str, local: bool) -> Result<Record, String> {
        let Some(stored) = self.records.get(key) else {
            return Err("request_key_not_found".into());
        };
        let record = stored.record.clone();
        let ours = stored.running_attempt == Some((record.attempt_epoch, record.attempt));
        if parse_attempt_id(attempt) != Some(record.attempt) || (local && !ours) {
            self.emit(
                Entry::for_record(Transition::CompletionRejected, &record)
                    .with_reason("attempt_id_mismatch")
                    .with_meta("active_attempt_id", record.attempt_id()),
            );
            return Err("attempt_id_mismatch".into());
        }
        Ok(record)
    }

    pub(super) fn complete(
        &mut self,
        key: &str,
        attempt: &str,
        execution_node: &str,
    ) -> Result<Record, String> {
        let local = self.is_me(execution_node);
        let record = self.active(key, attempt, local)?;
        let refusal = match record.phase {
            Phase::Completed if record.execution_node == execution_node => return Ok(record),
            Phase::Completed => Some("transition_rejected:already_completed"),
            Phase::Rejected => Some("transition_rejected:already_rejected"),
            Phase::Submitted => None,
        };
        if let Some(reason) = refusal {
            self.emit(
                Entry::for_record(Transition::CompletionRejected, &record)
                    .with_reason(reason)
                    .with_meta("active_attempt_id", record.attempt_id()),
            );
            return Err(reason.into());
        }
        let epoch = self.authority.epoch;
        let stored = self.records.get_mut(key).expect("found above");
        stored.record.phase = Phase::Completed;
        stored.record.result = Outcome::Succeeded;
        stored.record.execution_node = execution_node.to_string();
        stored.record.error.clear();
        stored.record.written_epoch = epoch;
        self.touch(key);
        let record = self.records[key].record.clone();
        self.emit(Entry::for_record(Transition::Completed, &record));
        self.broadcast(key);
        self.enforce_retention();
        Ok(record)
    }

    pub(super) fn reject_attempt(
        &mut self,
        key: &str,
        attempt: &str,
        reason: &str,
    ) -> Result<Record, String> {
        let record = self.active(key, attempt, true)?;
        if record.phase.is_terminal() {
            let refusal = format!("transition_rejected:already_{}", record.phase.as_str());
            self.emit(
                Entry::for_record(Transition::CompletionRejected, &record)
                    .with_reason(refusal.clone())
                    .with_meta("active_attempt_id", record.attempt_id()),
            );
            return Err(refusal);
        }
        self.reject_record(key, reason);
        Ok(self.records[key].record.clone())
    }

    pub(super) fn acknowledge_replica(
        &mut self,
        key: &str,
        attempt: &str,
    ) -> Result<Record, String> {
        let record = self.active(key, attempt, false)?;
        if record.replica_node.is_empty() {
            return Err("replica_node_missing".into());
        }
        if record.phase.is_terminal() || record.replica_status == ReplicaStatus::Mirrored {
            return Ok(record);
        }
        let epoch = self.authority.epoch;
        let stored = self.records.get_mut(key).expect("found above");
        stored.record.replica_status = ReplicaStatus::Mirrored;
        stored.record.replication_health = Health::Healthy;
        stored.record.error.clear();
        stored.record.written_epoch = epoch;
        self.touch(key);
        let record = self.records[key].record.clone();
        self.emit(Entry::for_record(Transition::ReplicaAck, &record));
        self.broadcast(key);
        Ok(record)
    }

    fn stale(&mut self, incoming: &Record) {
        let mut entry = Entry::for_record(Transition::StaleEpochRejected, incoming);
        entry.cluster_role = Some(self.authority.role.as_str().into());
        entry.promotion_epoch = Some(self.authority.epoch);
        let entry = entry
            .with_meta("incoming_role", incoming.cluster_role.as_str())
            .with_meta("incoming_epoch", incoming.promotion_epoch)
            .with_meta("local_role", self.authority.role.as_str())
            .with_meta("local_epoch", self.authority.epoch);
        self.emit(entry);
    }

    /// Merges one copy from a peer (§5.6).
    pub(super) fn merge(&mut self, incoming: Record) {
        self.raise_watermark(incoming.attempt + 1);
        if incoming.promotion_epoch > self.authority.epoch {
            self.fence(incoming.promotion_epoch);
        }
        if incoming.promotion_epoch < self.authority.epoch {
            self.stale(&incoming);
            return;
        }
        let key = incoming.request_key.clone();
        let mut running = None;
        let mut replaced_attempt = true;
        if let Some(stored) = self.records.get(&key) {
            let ours = stored.record.clone();
            let running_attempt = stored.running_attempt;
            if ours.payload_hash != incoming.payload_hash {
                self.emit(
                    Entry::for_record(Transition::Conflict, &ours)
                        .with_reason("request_key_conflict"),
                );
                return;
            }
            if incoming.preference(&ours) != Ordering::Greater {
                return;
            }
            replaced_attempt =
                (incoming.attempt_epoch, incoming.attempt) != (ours.attempt_epoch, ours.attempt);
            running = running_attempt.filter(|a| *a == (incoming.attempt_epoch, incoming.attempt));
        }
        let orphan = incoming.is_pending() && self.is_me(&incoming.owner_node) && running.is_none();
        // §6.4: after fencing, one `fenced_rejoin` per record whose attempt comes from the
        // higher epoch (also when this node restarted empty and takes the record anew).
        let fenced = self
            .fenced_from
            .filter(|p| replaced_attempt && incoming.attempt_epoch > p.epoch);
        self.store(incoming, running);
        if let Some(previous) = fenced {
            let record = self.records[&key].record.clone();
            self.emit(
                Entry::for_record(Transition::FencedRejoin, &record)
                    .with_meta("previous_role", previous.role.as_str())
                    .with_meta("previous_epoch", previous.epoch),
            );
        }
        self.enforce_retention();
        if orphan {
            self.orphaned(&key);
        }
    }

    /// A pending record owned by this node's name that this incarnation does not run: its
    /// execution died with a previous incarnation. It is owner-lost; rejected rather than
    /// re-run here, since the old incarnation may have completed it at this very epoch.
    fn orphaned(&mut self, key: &str) {
        let reason = format!("owner_lost:{}", self.config.node_name);
        self.reject_record(key, &reason);
    }
}

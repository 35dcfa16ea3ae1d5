//! Peers, node loss (§6.2), automatic promotion and recovery (§6.3), fencing and the
//! equal-epoch tie-break (§6.4).

use super::{AfterAck, Message, Node, Output, Peer};
use crate::cluster::record::{attempt_id, Authority, Health, Outcome, Phase, ReplicaStatus, Role};
use crate::cluster::transition::{Entry, Transition};

/// The health a pending record has when nothing is lost (§5.2).
fn settled_health(status: ReplicaStatus) -> Health {
    match status {
        ReplicaStatus::Mirrored => Health::Healthy,
        ReplicaStatus::DegradedContinuing => Health::Degraded,
        ReplicaStatus::OwnerLost | ReplicaStatus::Rejected => Health::Unavailable,
        ReplicaStatus::Unassigned | ReplicaStatus::Preparing => Health::LocalOnly,
    }
}

impl Node {
    /// A session is registered: undo the loss effects of an earlier session with this peer
    /// and send the session-start frames (§3.3). The transport sends its own `PEER_LIST` and
    /// `GLOBAL_SYNC` between `AUTHORITY` and `CONTINUITY_SYNC`.
    pub(super) fn peer_up(&mut self, peer: &str) {
        self.peers.insert(
            peer.to_string(),
            Peer {
                converged: false,
                authority: None,
            },
        );
        let keys: Vec<String> = self
            .records
            .iter()
            .filter(|(_, s)| {
                let r = &s.record;
                r.is_pending()
                    && r.owner_node == peer
                    && (r.replica_status == ReplicaStatus::OwnerLost
                        || r.replication_health == Health::Degraded)
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            let stored = self.records.get_mut(&key).expect("listed above");
            let r = &mut stored.record;
            if r.replica_status == ReplicaStatus::OwnerLost {
                r.replica_status = ReplicaStatus::Mirrored;
            }
            r.replication_health = settled_health(r.replica_status);
            r.error.clear();
        }
        self.send(peer, Message::Authority(self.authority));
        let snapshot = self.snapshot();
        self.send(peer, snapshot);
        self.send(peer, Message::SyncDone);
    }

    pub(super) fn message(&mut self, from: &str, message: Message) {
        if !self.peers.contains_key(from) {
            return;
        }
        match message {
            Message::Authority(authority) => self.authority_received(from, authority),
            Message::Prepare { request_id, record } => self.prepare(from, request_id, record),
            Message::PrepareAck { request_id, result } => {
                self.prepare_acked(from, request_id, result)
            }
            Message::Upsert { watermark, record } => {
                self.raise_watermark(watermark);
                self.merge(record);
            }
            Message::Sync { watermark, records } => {
                self.raise_watermark(watermark);
                for record in records {
                    self.merge(record);
                }
            }
            Message::SyncDone => {
                if let Some(peer) = self.peers.get_mut(from) {
                    peer.converged = true;
                }
            }
        }
    }

    fn authority_received(&mut self, from: &str, authority: Authority) {
        if let Some(peer) = self.peers.get_mut(from) {
            peer.authority = Some(authority);
        }
        if authority.epoch > self.authority.epoch {
            self.fence(authority.epoch);
        } else if authority.epoch == self.authority.epoch
            && authority.role == Role::Primary
            && self.authority.role == Role::Primary
            && self.config.node_name.as_str() > from
        {
            // §6.4: of two primaries at one epoch, the node whose name sorts higher yields.
            let previous = self.authority;
            self.authority.role = Role::Standby;
            self.reproject();
            self.emit(
                Entry::for_authority(Transition::RoleConflict, self.authority)
                    .with_meta("peer", from)
                    .with_meta("previous_role", previous.role.as_str()),
            );
            self.broadcast_authority();
        }
    }

    /// Becomes standby at `epoch` (§6.4): `owner_lost` copies go back to mirrored, one
    /// `fenced_rejoin` entry for the authority, and a fresh snapshot to every peer once the
    /// current input is handled (so records this node took while cut off reach the new
    /// primary at the new epoch instead of being lost as stale).
    pub(super) fn fence(&mut self, epoch: u64) {
        let previous = self.authority;
        self.authority = Authority {
            role: Role::Standby,
            epoch,
        };
        self.fenced_from = Some(previous);
        for stored in self.records.values_mut() {
            let r = &mut stored.record;
            if r.is_pending() && r.replica_status == ReplicaStatus::OwnerLost {
                r.replica_status = ReplicaStatus::Mirrored;
                r.replication_health = Health::Healthy;
                r.error.clear();
            }
        }
        self.reproject();
        self.emit(
            Entry::for_authority(Transition::FencedRejoin, self.authority)
                .with_meta("previous_role", previous.role.as_str())
                .with_meta("previous_epoch", previous.epoch),
        );
        self.broadcast_authority();
        self.resync = true;
    }

    fn reproject(&mut self) {
        let authority = self.authority;
        for stored in self.records.values_mut() {
            stored.record.project(authority);
        }
    }

    /// Reaction to the loss of `peer` (§6.2), in the spec's order.
    pub(super) fn peer_down(&mut self, peer: &str, _reason: &str) {
        let Some(lost) = self.peers.remove(peer) else {
            return;
        };
        self.fail_prepares_to(peer);
        let me = self.config.node_name.clone();
        let pending: Vec<String> = self
            .records
            .iter()
            .filter(|(_, s)| s.record.is_pending())
            .map(|(k, _)| k.clone())
            .collect();
        let epoch = self.authority.epoch;
        for key in &pending {
            let record = &self.records[key].record;
            let (status, health, error, transition) = if record.owner_node == me
                && record.replica_node == peer
                && record.replica_status == ReplicaStatus::Mirrored
            {
                (
                    ReplicaStatus::DegradedContinuing,
                    Health::Degraded,
                    format!("replica_lost:{peer}"),
                    Transition::Degraded,
                )
            } else if record.owner_node == peer && record.replica_node == me {
                (
                    ReplicaStatus::OwnerLost,
                    Health::Unavailable,
                    format!("owner_lost:{peer}"),
                    Transition::OwnerLost,
                )
            } else if record.owner_node == peer
                || (record.replica_node == peer && record.owner_node != me)
            {
                (
                    record.replica_status,
                    Health::Degraded,
                    format!("replication_source_lost:{peer}"),
                    Transition::ReplicationDegraded,
                )
            } else {
                continue;
            };
            let stored = self.records.get_mut(key).expect("listed above");
            stored.record.replica_status = status;
            stored.record.replication_health = health;
            stored.record.error = error;
            stored.record.written_epoch = epoch;
            self.touch(key);
            let record = self.records[key].record.clone();
            self.emit(Entry::for_record(transition, &record));
            self.broadcast(key);
        }
        match self.authority.role {
            Role::Standby => {
                let was_primary =
                    lost.converged && lost.authority.is_some_and(|a| a.role == Role::Primary);
                if was_primary {
                    self.consider_promotion(peer);
                }
            }
            Role::Primary => self.resolve_lost_owner(peer),
        }
    }

    /// §6.3 promotion check after losing the primary `lost`.
    fn consider_promotion(&mut self, lost: &str) {
        let me = self.config.node_name.clone();
        let refusal = if !self.peers.is_empty() {
            Some("peers_remaining")
        } else if self.records.values().any(|s| {
            let r = &s.record;
            r.is_pending() && !(r.owner_node == lost && r.replica_node == me)
        }) {
            Some("ambiguous_pending_state")
        } else {
            None
        };
        if let Some(refusal) = refusal {
            if refusal == "ambiguous_pending_state" {
                self.promotion_wait = Some(lost.to_string());
            }
            self.emit(
                Entry::for_authority(Transition::AutomaticPromotionRejected, self.authority)
                    .with_reason(format!("automatic_promotion_rejected:{refusal}"))
                    .with_meta("previous_epoch", self.authority.epoch)
                    .with_meta("disconnected_node", lost),
            );
            return;
        }
        self.promote(lost);
    }

    /// Decision (beyond §6.3): a standby that refused to promote because of its own pending
    /// work promotes once that work is settled, unless a primary has shown up meanwhile.
    /// Without this a primary lost while the standby ran its own clustered route requests
    /// would leave the cluster with no primary for good (the returning node comes back as a
    /// standby, or is fenced to one).
    pub(super) fn retry_promotion(&mut self) {
        let Some(lost) = self.promotion_wait.clone() else {
            return;
        };
        let primary_seen = self.peers.values().any(|p| {
            p.authority
                .is_some_and(|a| a.role == Role::Primary && a.epoch >= self.authority.epoch)
        });
        if self.authority.role == Role::Primary || primary_seen {
            self.promotion_wait = None;
            return;
        }
        let me = self.config.node_name.clone();
        let ambiguous = self.records.values().any(|s| {
            let r = &s.record;
            r.is_pending() && !(r.owner_node == lost && r.replica_node == me)
        });
        if !ambiguous {
            self.promote(&lost);
        }
    }

    /// Promotion, atomically (§6.3): primary at epoch + 1, pending mirrored copies of the lost
    /// owner's records become owner-lost, `automatic_promotion`, authority and records to
    /// every peer, then recovery.
    fn promote(&mut self, lost: &str) {
        self.promotion_wait = None;
        let previous = self.authority;
        let bump = u64::from(self.config.fault != Some(super::Fault::PromoteAtSameEpoch));
        self.authority = Authority {
            role: Role::Primary,
            epoch: previous.epoch + bump,
        };
        self.fenced_from = None;
        let epoch = self.authority.epoch;
        for stored in self.records.values_mut() {
            let r = &mut stored.record;
            if r.is_pending() && r.owner_node == lost && r.replica_status == ReplicaStatus::Mirrored
            {
                r.replica_status = ReplicaStatus::OwnerLost;
                r.replication_health = Health::Unavailable;
                r.error = format!("owner_lost:{lost}");
                r.written_epoch = epoch;
            }
        }
        self.reproject();
        self.emit(
            Entry::for_authority(Transition::AutomaticPromotion, self.authority)
                .with_reason(format!("peer_lost:{lost}"))
                .with_meta("previous_epoch", previous.epoch)
                .with_meta("disconnected_node", lost),
        );
        self.broadcast_authority();
        self.resync = true;
        self.recover(lost);
    }

    /// Recovery after promotion (§6.3): registered declared work is re-run under a new
    /// attempt; clustered route records are rejected.
    fn recover(&mut self, lost: &str) {
        let keys = self.owner_lost_keys(lost);
        for key in keys {
            let record = self.records[&key].record.clone();
            if record.is_route() {
                self.reject_record(&key, &format!("owner_lost:{lost}"));
            } else if !self
                .handlers
                .contains(&record.declared_handler_runtime_name)
            {
                let reason = "automatic_recovery_rejected:missing_handler_metadata";
                self.emit(
                    Entry::for_record(Transition::AutomaticRecoveryRejected, &record)
                        .with_reason(reason)
                        .with_meta("previous_attempt_id", record.attempt_id()),
                );
                self.reject_record(&key, reason);
            } else {
                self.rollover(
                    &key,
                    AfterAck::Recover {
                        previous_attempt: record.attempt,
                    },
                );
            }
        }
    }

    /// A primary that loses a peer owning pending records rejects them: only a promotion
    /// (a new epoch) re-runs work, so a record completes at most once per epoch.
    fn resolve_lost_owner(&mut self, lost: &str) {
        let keys: Vec<String> = self
            .records
            .iter()
            .filter(|(_, s)| s.record.is_pending() && s.record.owner_node == lost)
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            self.reject_record(&key, &format!("owner_lost:{lost}"));
        }
    }

    fn owner_lost_keys(&self, lost: &str) -> Vec<String> {
        self.records
            .iter()
            .filter(|(_, s)| {
                let r = &s.record;
                r.is_pending()
                    && r.owner_node == lost
                    && r.replica_status == ReplicaStatus::OwnerLost
            })
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// `recovery_rollover` (§5.2, §6.3): a fresh attempt owned by this node, placed on a
    /// converged peer if any (required replicas relaxed to 0 for startup keys when alone).
    pub(super) fn rollover(&mut self, key: &str, then: AfterAck) {
        let me = self.config.node_name.clone();
        let replica = self
            .converged_peers()
            .into_iter()
            .next()
            .unwrap_or_default();
        let attempt = self.next_attempt();
        let epoch = self.authority.epoch;
        let stored = self
            .records
            .get_mut(key)
            .expect("rollover of a held record");
        let previous = stored.record.attempt;
        let r = &mut stored.record;
        r.attempt = attempt;
        r.phase = Phase::Submitted;
        r.result = Outcome::Pending;
        r.owner_node = me;
        r.execution_node.clear();
        r.error.clear();
        r.written_epoch = epoch;
        r.attempt_epoch = epoch;
        let alone_ok = r.is_startup() || r.replication_count < 2;
        r.required_replicas = u8::from(!replica.is_empty() || !alone_ok);
        r.replica_status = if r.required_replicas == 1 {
            ReplicaStatus::Preparing
        } else {
            ReplicaStatus::Unassigned
        };
        r.replica_node = replica;
        r.replication_health = Health::LocalOnly;
        stored.running_attempt = Some((epoch, attempt));
        self.touch(key);
        let record = self.records[key].record.clone();
        self.emit(
            Entry::for_record(Transition::RecoveryRollover, &record)
                .with_meta("previous_attempt_id", attempt_id(previous)),
        );
        if record.required_replicas == 1 {
            self.start_prepare(key, then);
        } else {
            self.broadcast(key);
            match then {
                AfterAck::Reply(client) => {
                    self.reply_decision_created(client, key);
                }
                AfterAck::Recover { previous_attempt } => self.recovered(key, previous_attempt),
                AfterAck::Nothing => {}
            }
        }
    }

    fn reply_decision_created(&mut self, client: u64, key: &str) {
        let record = self.records[key].record.clone();
        let decision = super::SubmitDecision {
            outcome: super::SubmitOutcome::Created,
            conflict_reason: String::new(),
            record,
        };
        self.reply(client, super::Reply::Submit(Ok(decision)));
    }

    /// The recovered attempt is placed: `automatic_recovery`, then run it here.
    pub(super) fn recovered(&mut self, key: &str, previous_attempt: u64) {
        let record = self.records[key].record.clone();
        self.emit(
            Entry::for_record(Transition::AutomaticRecovery, &record)
                .with_meta("previous_attempt_id", attempt_id(previous_attempt))
                .with_meta("runtime_name", &record.declared_handler_runtime_name),
        );
        self.out.push(Output::Execute {
            request_key: key.to_string(),
            attempt_id: record.attempt_id(),
            runtime_name: record.declared_handler_runtime_name,
        });
    }
}

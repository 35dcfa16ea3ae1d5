//! Transitions (runtime-cluster spec §8.3) as data: their names, the diagnostics entry each one
//! produces, its log line (§9) and the per-node diagnostics ring buffer (§8.2). Every entry
//! has exactly one log line: the host writes `entry.log_line()` to stderr for each
//! `Output::Transition` the core emits, and the core keeps the same entry in its ring.

use std::collections::VecDeque;

use super::record::{Authority, Record};

macro_rules! transitions {
    ($($variant:ident = $name:literal,)*) => {
        /// A named state change (§8.3).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Transition {
            $($variant,)*
        }

        impl Transition {
            /// Every transition, in the order of the spec's table.
            pub const ALL: &'static [Transition] = &[$(Transition::$variant,)*];

            /// The name operators and logs see.
            pub fn name(self) -> &'static str {
                match self {
                    $(Transition::$variant => $name,)*
                }
            }
        }
    };
}

transitions! {
    Submit = "submit",
    Duplicate = "duplicate",
    Conflict = "conflict",
    ReplicaPrepare = "replica_prepare",
    ReplicaAck = "replica_ack",
    PrepareWriteFailed = "prepare_write_failed",
    PrepareTimeout = "prepare_timeout",
    PrepareDisconnected = "prepare_disconnected",
    Completed = "completed",
    CompletionRejected = "completion_rejected",
    Rejected = "rejected",
    Degraded = "degraded",
    OwnerLost = "owner_lost",
    ReplicationDegraded = "replication_degraded",
    StaleEpochRejected = "stale_epoch_rejected",
    AutomaticPromotion = "automatic_promotion",
    AutomaticPromotionRejected = "automatic_promotion_rejected",
    RecoveryRollover = "recovery_rollover",
    AutomaticRecovery = "automatic_recovery",
    AutomaticRecoveryRejected = "automatic_recovery_rejected",
    FencedRejoin = "fenced_rejoin",
    RoleConflict = "role_conflict",
    StartupRegistered = "startup_registered",
    StartupTrigger = "startup_trigger",
    StartupDispatchWindow = "startup_dispatch_window",
    StartupCompleted = "startup_completed",
    StartupRejected = "startup_rejected",
    StartupConvergenceTimeout = "startup_convergence_timeout",
    StartupSkipped = "startup_skipped",
    StartupFenced = "startup_fenced",
}

impl Transition {
    /// `startup_*` transitions log with the `[mesh-rt startup]` prefix (§9).
    pub fn is_startup(self) -> bool {
        self.name().starts_with("startup_")
    }
}

/// One diagnostics entry (tooling §1.8): absent values are `None` (JSON `null`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// 0 until the ring buffer numbers it.
    pub sequence: u64,
    pub transition: Transition,
    pub request_key: Option<String>,
    pub attempt_id: Option<String>,
    pub owner_node: Option<String>,
    pub replica_node: Option<String>,
    pub execution_node: Option<String>,
    pub cluster_role: Option<String>,
    pub promotion_epoch: Option<u64>,
    pub replication_health: Option<String>,
    pub replica_status: Option<String>,
    pub reason: Option<String>,
    pub metadata: Vec<(String, String)>,
}

impl Entry {
    /// An entry with nothing filled but the transition.
    pub fn bare(transition: Transition) -> Entry {
        Entry {
            sequence: 0,
            transition,
            request_key: None,
            attempt_id: None,
            owner_node: None,
            replica_node: None,
            execution_node: None,
            cluster_role: None,
            promotion_epoch: None,
            replication_health: None,
            replica_status: None,
            reason: None,
            metadata: Vec::new(),
        }
    }

    /// An entry about the node's authority (promotion, fencing, role conflict).
    pub fn for_authority(transition: Transition, authority: Authority) -> Entry {
        Entry {
            cluster_role: Some(authority.role.as_str().to_string()),
            promotion_epoch: Some(authority.epoch),
            ..Entry::bare(transition)
        }
    }

    /// A record-based entry (§8.2): the record's fields plus metadata `phase`, `result`,
    /// `replication_count` and, when set, `declared_handler_runtime_name`. The record must
    /// already be projected onto the node's authority.
    pub fn for_record(transition: Transition, record: &Record) -> Entry {
        let mut metadata = vec![
            ("phase".to_string(), record.phase.as_str().to_string()),
            ("result".to_string(), record.result.as_str().to_string()),
            (
                "replication_count".to_string(),
                record.replication_count.to_string(),
            ),
        ];
        if !record.declared_handler_runtime_name.is_empty() {
            metadata.push((
                "declared_handler_runtime_name".to_string(),
                record.declared_handler_runtime_name.clone(),
            ));
        }
        Entry {
            sequence: 0,
            transition,
            request_key: Some(record.request_key.clone()),
            attempt_id: Some(record.attempt_id()),
            owner_node: Some(record.owner_node.clone()),
            replica_node: Some(record.replica_node.clone()),
            execution_node: Some(record.execution_node.clone()),
            cluster_role: Some(record.cluster_role.as_str().to_string()),
            promotion_epoch: Some(record.promotion_epoch),
            replication_health: Some(record.replication_health.as_str().to_string()),
            replica_status: Some(record.replica_status.as_str().to_string()),
            reason: None,
            metadata,
        }
    }

    pub fn with_reason(mut self, reason: impl Into<String>) -> Entry {
        self.reason = Some(reason.into());
        self
    }

    pub fn with_meta(mut self, key: &str, value: impl ToString) -> Entry {
        self.metadata.push((key.to_string(), value.to_string()));
        self
    }

    /// The value of metadata `key`, if present.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The entry's log line (§9): a prefix, `transition=<name>`, then every present field as
    /// `key=value` (values never quoted, empty values written as nothing), then the metadata.
    /// `startup_*` transitions use `[mesh-rt startup]` and put `runtime_name` first;
    /// `automatic_promotion` adds `next_epoch` (the spec's promotion line).
    pub fn log_line(&self) -> String {
        let mut line = String::new();
        let startup = self.transition.is_startup();
        line.push_str(if startup {
            "[mesh-rt startup]"
        } else {
            "[mesh-rt continuity]"
        });
        push_pair(&mut line, "transition", self.transition.name());
        if startup {
            if let Some(name) = self.meta("runtime_name") {
                push_pair(&mut line, "runtime_name", name);
            }
        }
        let epoch = self.promotion_epoch.map(|e| e.to_string());
        let fields: [(&str, Option<&str>); 10] = [
            ("request_key", self.request_key.as_deref()),
            ("attempt_id", self.attempt_id.as_deref()),
            ("owner", self.owner_node.as_deref()),
            ("replica", self.replica_node.as_deref()),
            ("execution_node", self.execution_node.as_deref()),
            ("cluster_role", self.cluster_role.as_deref()),
            ("promotion_epoch", epoch.as_deref()),
            ("replication_health", self.replication_health.as_deref()),
            ("replica_status", self.replica_status.as_deref()),
            ("reason", self.reason.as_deref()),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                push_pair(&mut line, key, value);
            }
        }
        for (key, value) in &self.metadata {
            if !(startup && key == "runtime_name") {
                push_pair(&mut line, key, value);
            }
        }
        if self.transition == Transition::AutomaticPromotion {
            if let Some(epoch) = self.promotion_epoch {
                push_pair(&mut line, "next_epoch", &epoch.to_string());
            }
        }
        line
    }
}

/// Appends ` key=value`; white space inside a value becomes `_` so a line stays one
/// space-separated list of pairs (§0: values are never quoted).
fn push_pair(line: &mut String, key: &str, value: &str) {
    line.push(' ');
    line.push_str(key);
    line.push('=');
    line.extend(
        value
            .chars()
            .map(|c| if c.is_whitespace() { '_' } else { c }),
    );
}

/// Default ring capacity (§8.2).
pub const DIAGNOSTICS_CAPACITY: usize = 128;

/// The diagnostics ring buffer (§8.2).
#[derive(Clone, Debug)]
pub struct Diagnostics {
    capacity: usize,
    entries: VecDeque<Entry>,
    next_sequence: u64,
    dropped: u64,
}

/// A diagnostics query's answer (§8.2, tooling §1.8 without `target`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosticsView {
    pub total_entries: usize,
    pub dropped_entries: u64,
    pub buffer_capacity: usize,
    pub truncated: bool,
    pub entries: Vec<Entry>,
}

impl Diagnostics {
    pub fn new(capacity: usize) -> Diagnostics {
        let capacity = capacity.max(1);
        Diagnostics {
            capacity,
            entries: VecDeque::new(),
            next_sequence: 1,
            dropped: 0,
        }
    }

    /// Numbers `entry`, stores it (dropping the oldest when full) and returns the stored copy.
    pub fn push(&mut self, mut entry: Entry) -> Entry {
        entry.sequence = self.next_sequence;
        self.next_sequence += 1;
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(entry.clone());
        entry
    }

    /// The newest `limit` entries (all when `None`) in ascending sequence order.
    pub fn query(&self, limit: Option<usize>) -> DiagnosticsView {
        let total = self.entries.len();
        let take = limit.map_or(total, |l| l.min(total));
        DiagnosticsView {
            total_entries: total,
            dropped_entries: self.dropped,
            buffer_capacity: self.capacity,
            truncated: self.dropped > 0 || take < total,
            entries: self.entries.iter().skip(total - take).cloned().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::record::Role;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut names: Vec<&str> = Transition::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(names.len(), 30);
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 30);
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
    }

    #[test]
    fn ring_drops_oldest_and_numbers_entries() {
        let mut ring = Diagnostics::new(3);
        for _ in 0..5 {
            ring.push(Entry::bare(Transition::Submit));
        }
        let all = ring.query(None);
        assert_eq!(all.total_entries, 3);
        assert_eq!(all.dropped_entries, 2);
        assert!(all.truncated);
        let sequences: Vec<u64> = all.entries.iter().map(|e| e.sequence).collect();
        assert_eq!(sequences, vec![3, 4, 5]);
        let newest = ring.query(Some(2));
        assert_eq!(
            newest
                .entries
                .iter()
                .map(|e| e.sequence)
                .collect::<Vec<_>>(),
            vec![4, 5]
        );
        let mut fresh = Diagnostics::new(128);
        fresh.push(Entry::bare(Transition::Submit));
        let view = fresh.query(Some(5));
        assert!(!view.truncated);
        assert_eq!(view.buffer_capacity, 128);
    }

    #[test]
    fn promotion_log_line_matches_the_spec() {
        let entry = Entry::for_authority(
            Transition::AutomaticPromotion,
            Authority {
                role: Role::Primary,
                epoch: 1,
            },
        )
        .with_reason("peer_lost:primary@127.0.0.1:4370")
        .with_meta("previous_epoch", 0)
        .with_meta("disconnected_node", "primary@127.0.0.1:4370");
        assert_eq!(
            entry.log_line(),
            "[mesh-rt continuity] transition=automatic_promotion cluster_role=primary \
             promotion_epoch=1 reason=peer_lost:primary@127.0.0.1:4370 previous_epoch=0 \
             disconnected_node=primary@127.0.0.1:4370 next_epoch=1"
        );
    }

    #[test]
    fn startup_log_line_puts_runtime_name_first_and_writes_empty_values_as_nothing() {
        let mut entry = Entry::bare(Transition::StartupTrigger)
            .with_meta("runtime_name", "Work.add")
            .with_meta("required_replicas", 0)
            .with_meta("membership", "a@h:1");
        entry.request_key = Some("startup::Work.add".into());
        entry.replica_node = Some(String::new());
        assert_eq!(
            entry.log_line(),
            "[mesh-rt startup] transition=startup_trigger runtime_name=Work.add \
             request_key=startup::Work.add replica= required_replicas=0 membership=a@h:1"
        );
    }
}

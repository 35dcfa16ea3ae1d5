//! Continuity records (runtime-cluster spec §5.1): the fields every node stores for one request
//! key, their enumerations with the exact spellings operators see, attempt ids, the merge
//! preference of §5.6 and the projection of a record onto the holding node's authority.
//! Pure data: no clock, no I/O.

use std::cmp::Ordering;

/// A node's continuity authority role (spec §1 "cluster role").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Primary,
    Standby,
}

/// `phase` of a record (§5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Submitted,
    Completed,
    Rejected,
}

/// `result` of a record (§5.1): pending while submitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Pending,
    Succeeded,
    Rejected,
}

/// `replica_status` (§5.2). The declaration order is the merge order of §5.6
/// (`unassigned < preparing < mirrored < owner_lost < degraded_continuing < rejected`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReplicaStatus {
    Unassigned,
    Preparing,
    Mirrored,
    OwnerLost,
    DegradedContinuing,
    Rejected,
}

/// `replication_health` (§5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Health {
    LocalOnly,
    Healthy,
    Degraded,
    Unavailable,
}

/// The pair (role, promotion epoch) of a node (§1 "authority").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Authority {
    pub role: Role,
    pub epoch: u64,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Standby => "standby",
        }
    }

    /// Parses `primary` / `standby` (the `MESH_CONTINUITY_ROLE` values, spec §2.4).
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "primary" => Some(Role::Primary),
            "standby" => Some(Role::Standby),
            _ => None,
        }
    }
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Submitted => "submitted",
            Phase::Completed => "completed",
            Phase::Rejected => "rejected",
        }
    }

    pub fn is_terminal(self) -> bool {
        self != Phase::Submitted
    }
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Succeeded => "succeeded",
            Outcome::Rejected => "rejected",
        }
    }
}

impl ReplicaStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplicaStatus::Unassigned => "unassigned",
            ReplicaStatus::Preparing => "preparing",
            ReplicaStatus::Mirrored => "mirrored",
            ReplicaStatus::OwnerLost => "owner_lost",
            ReplicaStatus::DegradedContinuing => "degraded_continuing",
            ReplicaStatus::Rejected => "rejected",
        }
    }
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::LocalOnly => "local_only",
            Health::Healthy => "healthy",
            Health::Degraded => "degraded",
            Health::Unavailable => "unavailable",
        }
    }

    /// Rank for "the healthier `replication_health`" of §5.6 (higher is healthier).
    fn rank(self) -> u8 {
        match self {
            Health::Healthy => 3,
            Health::LocalOnly => 2,
            Health::Degraded => 1,
            Health::Unavailable => 0,
        }
    }

    /// The authority-level health (§5.1): the worst record decides, `local_only` when no
    /// record involves a replica.
    pub fn aggregate<'a>(records: impl IntoIterator<Item = &'a Record>) -> Health {
        let mut seen = [false; 4];
        for record in records {
            seen[record.replication_health as usize] = true;
        }
        if seen[Health::Unavailable as usize] {
            Health::Unavailable
        } else if seen[Health::Degraded as usize] {
            Health::Degraded
        } else if seen[Health::Healthy as usize] {
            Health::Healthy
        } else {
            Health::LocalOnly
        }
    }
}

/// Formats attempt number `n` as its id, `attempt-<n>` (§5.1).
pub fn attempt_id(n: u64) -> String {
    format!("attempt-{n}")
}

/// The number of an attempt id, `None` when the text is not `attempt-<n>`.
pub fn parse_attempt_id(text: &str) -> Option<u64> {
    let digits = text.strip_prefix("attempt-")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Request-key prefix of declared startup work (§1).
pub const STARTUP_PREFIX: &str = "startup::";
/// Request-key prefix of clustered HTTP route requests (§1, §7).
pub const ROUTE_PREFIX: &str = "http-route::";

/// One continuity record (§5.1). Field order is the operator order of tooling §1.8.
///
/// `attempt` is the number of `attempt_id`. `cluster_role` and `promotion_epoch` are the
/// authority of the node holding the copy (re-projected on every authority change); on the wire
/// they are therefore the sender's authority. `written_epoch`, `attempt_epoch` and
/// `required_replicas` are not shown to operators: `written_epoch` is the epoch of the node that last changed the record's
/// content (the "higher epoch" of the merge rule, §5.6), so a copy re-projected by a fenced node
/// never outranks the new primary's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub request_key: String,
    pub payload_hash: String,
    pub attempt: u64,
    pub phase: Phase,
    pub result: Outcome,
    pub ingress_node: String,
    pub owner_node: String,
    pub replica_node: String,
    pub replication_count: u64,
    pub replica_status: ReplicaStatus,
    pub cluster_role: Role,
    pub promotion_epoch: u64,
    pub replication_health: Health,
    pub execution_node: String,
    pub declared_handler_runtime_name: String,
    pub routed_remotely: bool,
    pub fell_back_locally: bool,
    pub error: String,
    pub written_epoch: u64,
    /// The epoch at which the current attempt was created: attempts are ordered by
    /// (`attempt_epoch`, `attempt`), so an attempt a stale primary minted or finished never
    /// outranks the new primary's.
    pub attempt_epoch: u64,
    pub required_replicas: u8,
}

impl Record {
    pub fn attempt_id(&self) -> String {
        attempt_id(self.attempt)
    }

    pub fn is_pending(&self) -> bool {
        self.phase == Phase::Submitted
    }

    pub fn is_startup(&self) -> bool {
        self.request_key.starts_with(STARTUP_PREFIX)
    }

    pub fn is_route(&self) -> bool {
        self.request_key.starts_with(ROUTE_PREFIX)
    }

    /// Sets the holder-relative fields to `authority` (§5.1 `cluster_role`/`promotion_epoch`).
    pub fn project(&mut self, authority: Authority) {
        self.cluster_role = authority.role;
        self.promotion_epoch = authority.epoch;
    }

    /// Makes the record terminal-rejected with `reason` (§5.2 "rejected" rows).
    pub fn reject(&mut self, reason: &str) {
        self.phase = Phase::Rejected;
        self.result = Outcome::Rejected;
        self.replica_status = ReplicaStatus::Rejected;
        self.replication_health = Health::Unavailable;
        self.error = reason.to_string();
    }

    /// Compares two copies of one key by the preference of §5.6 (`Greater`: `self` is kept):
    /// higher written epoch, later attempt, terminal over pending, the more advanced replica
    /// status, the healthier health; then, so that every node picks the same copy whatever
    /// the order it saw them in (the merge must be commutative for nodes to agree after
    /// healing), the remaining content in a fixed order. Holder-relative fields are ignored.
    pub fn preference(&self, other: &Record) -> Ordering {
        self.written_epoch
            .cmp(&other.written_epoch)
            .then((self.attempt_epoch, self.attempt).cmp(&(other.attempt_epoch, other.attempt)))
            .then(self.phase.is_terminal().cmp(&other.phase.is_terminal()))
            .then(self.replica_status.cmp(&other.replica_status))
            .then(
                self.replication_health
                    .rank()
                    .cmp(&other.replication_health.rank()),
            )
            .then_with(|| self.content_key().cmp(&other.content_key()))
    }

    fn content_key(&self) -> impl Ord + '_ {
        (
            self.phase,
            self.result,
            (&self.owner_node, &self.replica_node, &self.execution_node),
            (
                &self.error,
                &self.ingress_node,
                &self.declared_handler_runtime_name,
            ),
            (self.replication_count, self.required_replicas),
            (self.routed_remotely, self.fell_back_locally),
        )
    }

    /// True when the two copies agree on everything but the holder-relative fields.
    pub fn same_content(&self, other: &Record) -> bool {
        self.preference(other) == Ordering::Equal && self.payload_hash == other.payload_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Record {
        Record {
            request_key: "startup::Work.add".into(),
            payload_hash: "startup-payload::Work.add".into(),
            attempt: 1,
            phase: Phase::Submitted,
            result: Outcome::Pending,
            ingress_node: "a@h:1".into(),
            owner_node: "a@h:1".into(),
            replica_node: "b@h:2".into(),
            replication_count: 2,
            replica_status: ReplicaStatus::Preparing,
            cluster_role: Role::Primary,
            promotion_epoch: 0,
            replication_health: Health::LocalOnly,
            execution_node: String::new(),
            declared_handler_runtime_name: "Work.add".into(),
            routed_remotely: false,
            fell_back_locally: true,
            error: String::new(),
            written_epoch: 0,
            attempt_epoch: 0,
            required_replicas: 1,
        }
    }

    #[test]
    fn attempt_ids_round_trip_and_reject_garbage() {
        assert_eq!(attempt_id(7), "attempt-7");
        assert_eq!(parse_attempt_id("attempt-7"), Some(7));
        assert_eq!(parse_attempt_id("attempt-"), None);
        assert_eq!(parse_attempt_id("attempt-+1"), None);
        assert_eq!(parse_attempt_id("attempt7"), None);
    }

    #[test]
    fn preference_follows_the_merge_order() {
        let base = sample();
        let mut higher_epoch = base.clone();
        higher_epoch.written_epoch = 1;
        higher_epoch.attempt = 0;
        assert_eq!(higher_epoch.preference(&base), Ordering::Greater);
        let mut later_attempt = base.clone();
        later_attempt.attempt = 2;
        assert_eq!(later_attempt.preference(&base), Ordering::Greater);
        let mut done = base.clone();
        done.phase = Phase::Completed;
        done.result = Outcome::Succeeded;
        done.replica_status = ReplicaStatus::Unassigned;
        assert_eq!(done.preference(&base), Ordering::Greater);
        let mut mirrored = base.clone();
        mirrored.replica_status = ReplicaStatus::Mirrored;
        assert_eq!(mirrored.preference(&base), Ordering::Greater);
        let mut projected = base.clone();
        projected.project(Authority {
            role: Role::Standby,
            epoch: 9,
        });
        assert_eq!(projected.preference(&base), Ordering::Equal);
        assert!(projected.same_content(&base));
    }

    #[test]
    fn aggregate_health_takes_the_worst_record() {
        let mut a = sample();
        let mut b = sample();
        assert_eq!(Health::aggregate([&a, &b]), Health::LocalOnly);
        a.replication_health = Health::Healthy;
        assert_eq!(Health::aggregate([&a, &b]), Health::Healthy);
        b.replication_health = Health::Degraded;
        assert_eq!(Health::aggregate([&a, &b]), Health::Degraded);
        a.replication_health = Health::Unavailable;
        assert_eq!(Health::aggregate([&a, &b]), Health::Unavailable);
        assert_eq!(Health::aggregate([]), Health::LocalOnly);
    }
}

//! The `Continuity.*` functions of stdlib §17.4 over the continuity core: reads answer at once
//! from a `Node`; writes are `Input`s whose answer comes back as an `Output::Reply` for the
//! same client (a replicated submit answers only once the replica has acknowledged, §5.4), so
//! the Mesh binding parks the calling process until then. Also the record shapes Mesh sees
//! (`ContinuityRecord`, `ContinuityAuthorityStatus`, `ContinuitySubmitDecision`).

use super::node::{ClientId, Input, Node, SubmitDecision, SubmitRequest};
use super::record::Record;

/// One field value of a record as Mesh and JSON see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    Str(String),
    Int(i64),
    Bool(bool),
}

/// The 18 operator fields of a record in tooling §1.8 order (strings `""` when empty).
pub fn record_fields(record: &Record) -> Vec<(&'static str, Field)> {
    let s = |v: &str| Field::Str(v.to_string());
    vec![
        ("request_key", s(&record.request_key)),
        ("payload_hash", s(&record.payload_hash)),
        ("attempt_id", Field::Str(record.attempt_id())),
        ("phase", s(record.phase.as_str())),
        ("result", s(record.result.as_str())),
        ("ingress_node", s(&record.ingress_node)),
        ("owner_node", s(&record.owner_node)),
        ("replica_node", s(&record.replica_node)),
        (
            "replication_count",
            Field::Int(record.replication_count as i64),
        ),
        ("replica_status", s(record.replica_status.as_str())),
        ("cluster_role", s(record.cluster_role.as_str())),
        ("promotion_epoch", Field::Int(record.promotion_epoch as i64)),
        ("replication_health", s(record.replication_health.as_str())),
        ("execution_node", s(&record.execution_node)),
        (
            "declared_handler_runtime_name",
            s(&record.declared_handler_runtime_name),
        ),
        ("routed_remotely", Field::Bool(record.routed_remotely)),
        ("fell_back_locally", Field::Bool(record.fell_back_locally)),
        ("error", s(&record.error)),
    ]
}

/// The fields of the Mesh struct `ContinuityRecord` (stdlib §17.4), in its declared order: the
/// operator fields without `declared_handler_runtime_name`.
pub fn mesh_record_fields(record: &Record) -> Vec<(&'static str, Field)> {
    record_fields(record)
        .into_iter()
        .filter(|(name, _)| *name != "declared_handler_runtime_name")
        .collect()
}

/// `ContinuityAuthorityStatus` (stdlib §17.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorityStatus {
    pub cluster_role: String,
    pub promotion_epoch: i64,
    pub replication_health: String,
}

/// `Continuity.authority_status()`.
pub fn authority_status(node: &Node) -> AuthorityStatus {
    let authority = node.authority();
    AuthorityStatus {
        cluster_role: authority.role.as_str().to_string(),
        promotion_epoch: authority.epoch as i64,
        replication_health: node.replication_health().as_str().to_string(),
    }
}

/// `Continuity.status(request_key)`: the record or `Err("request_key_not_found")`.
pub fn status(node: &Node, request_key: &str) -> Result<Record, String> {
    if request_key.trim().is_empty() {
        return Err("request_key_missing".into());
    }
    node.record(request_key)
        .cloned()
        .ok_or_else(|| "request_key_not_found".to_string())
}

/// `ContinuitySubmitDecision` fields: (`outcome`, `conflict_reason`, `record`).
pub fn decision_fields(decision: &SubmitDecision) -> (&'static str, &str, &Record) {
    (
        decision.outcome.as_str(),
        &decision.conflict_reason,
        &decision.record,
    )
}

/// `Continuity.submit(...)` as an input; `N` is `required_replicas + 1`.
#[allow(clippy::too_many_arguments)]
pub fn submit(
    client: ClientId,
    request_key: &str,
    payload_hash: &str,
    ingress_node: &str,
    owner_node: &str,
    replica_node: &str,
    required_replicas: i64,
    routed_remotely: bool,
    fell_back_locally: bool,
) -> Input {
    let request = SubmitRequest {
        request_key: request_key.to_string(),
        payload_hash: payload_hash.to_string(),
        ingress_node: ingress_node.to_string(),
        owner_node: owner_node.to_string(),
        replica_node: replica_node.to_string(),
        required_replicas,
        replication_count: required_replicas.max(0) + 1,
        declared_handler_runtime_name: String::new(),
        routed_remotely,
        fell_back_locally,
    };
    Input::Submit { client, request }
}

/// `Continuity.submit_declared_work(runtime_name, request_key, payload_hash,
/// required_replicas)` (§4.5): placed like startup work, owner = this node, replica = a
/// converged peer when one is required. An unregistered runtime name is
/// `Err("declared_handler_not_registered:<name>")`.
pub fn submit_declared_work(
    node: &Node,
    client: ClientId,
    runtime_name: &str,
    request_key: &str,
    payload_hash: &str,
    required_replicas: i64,
) -> Result<Input, String> {
    if !node.is_registered(runtime_name) {
        return Err(format!("declared_handler_not_registered:{runtime_name}"));
    }
    let me = node.node_name().to_string();
    let replica = if required_replicas == 1 {
        node.converged_peers()
            .into_iter()
            .next()
            .unwrap_or_default()
    } else {
        String::new()
    };
    let request = SubmitRequest {
        request_key: request_key.to_string(),
        payload_hash: payload_hash.to_string(),
        ingress_node: me.clone(),
        owner_node: me,
        replica_node: replica,
        required_replicas,
        replication_count: required_replicas.max(0) + 1,
        declared_handler_runtime_name: runtime_name.to_string(),
        routed_remotely: false,
        fell_back_locally: true,
    };
    Ok(Input::Submit { client, request })
}

/// `Continuity.mark_completed(request_key, attempt_id, execution_node)` as an input.
pub fn mark_completed(
    client: ClientId,
    request_key: &str,
    attempt_id: &str,
    execution_node: &str,
) -> Input {
    Input::Complete {
        client: Some(client),
        request_key: request_key.to_string(),
        attempt_id: attempt_id.to_string(),
        execution_node: execution_node.to_string(),
    }
}

/// `Continuity.acknowledge_replica(request_key, attempt_id)` as an input.
pub fn acknowledge_replica(client: ClientId, request_key: &str, attempt_id: &str) -> Input {
    Input::AcknowledgeReplica {
        client,
        request_key: request_key.to_string(),
        attempt_id: attempt_id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::node::{Config, Output, Reply, SubmitOutcome};

    fn reply(outputs: Vec<Output>) -> Reply {
        outputs
            .into_iter()
            .find_map(|o| match o {
                Output::Reply { reply, .. } => Some(reply),
                _ => None,
            })
            .expect("a reply")
    }

    fn decision(outputs: Vec<Output>) -> SubmitDecision {
        match reply(outputs) {
            Reply::Submit(Ok(decision)) => decision,
            other => panic!("expected a submit decision, got {other:?}"),
        }
    }

    #[test]
    fn standalone_submit_complete_and_status() {
        // runtime-cluster §10.1: standalone startup work completes locally, local_only.
        let mut node = Node::new(Config::standalone());
        node.register_handler("Work.add");
        let input = submit_declared_work(
            &node,
            1,
            "Work.add",
            "startup::Work.add",
            "startup-payload::Work.add",
            0,
        )
        .expect("registered");
        let created = decision(node.handle(input));
        assert_eq!(decision_fields(&created).0, "created");
        assert_eq!(created.record.attempt_id(), "attempt-1");
        let done = node.handle(mark_completed(
            2,
            "startup::Work.add",
            "attempt-1",
            "standalone@local",
        ));
        let Reply::Record(Ok(record)) = reply(done) else {
            panic!("completed")
        };
        let fields = record_fields(&record);
        let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "request_key",
                "payload_hash",
                "attempt_id",
                "phase",
                "result",
                "ingress_node",
                "owner_node",
                "replica_node",
                "replication_count",
                "replica_status",
                "cluster_role",
                "promotion_epoch",
                "replication_health",
                "execution_node",
                "declared_handler_runtime_name",
                "routed_remotely",
                "fell_back_locally",
                "error",
            ]
        );
        let value = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(value("phase"), Some(Field::Str("completed".into())));
        assert_eq!(
            value("owner_node"),
            Some(Field::Str("standalone@local".into()))
        );
        assert_eq!(
            value("execution_node"),
            Some(Field::Str("standalone@local".into()))
        );
        assert_eq!(
            value("replication_health"),
            Some(Field::Str("local_only".into()))
        );
        assert_eq!(mesh_record_fields(&record).len(), 17);
        assert_eq!(status(&node, "startup::Work.add"), Ok(record));
        assert_eq!(status(&node, "nope"), Err("request_key_not_found".into()));
        assert_eq!(
            authority_status(&node),
            AuthorityStatus {
                cluster_role: "primary".into(),
                promotion_epoch: 0,
                replication_health: "local_only".into()
            }
        );
    }

    #[test]
    fn submit_validation_errors_create_nothing() {
        let mut node = Node::new(Config::standalone());
        let cases = [
            (
                submit(1, "", "h", "i", "o", "", 0, false, true),
                "request_key_missing",
            ),
            (
                submit(1, "k", " ", "i", "o", "", 0, false, true),
                "payload_hash_missing",
            ),
            (
                submit(1, "k", "h", "i", "", "", 0, false, true),
                "owner_node_missing",
            ),
            (
                submit(1, "k", "h", "i", "o", "", 2, false, true),
                "invalid_required_replica_count",
            ),
            (
                submit(1, "k", "h", "i", "o", "o", 1, false, true),
                "replica_matches_owner",
            ),
        ];
        for (input, reason) in cases {
            assert_eq!(reply(node.handle(input)), Reply::Submit(Err(reason.into())));
        }
        assert_eq!(node.records().count(), 0);
        let unregistered = submit_declared_work(&node, 1, "Work.nope", "k", "h", 0);
        assert_eq!(
            unregistered,
            Err("declared_handler_not_registered:Work.nope".into())
        );
    }

    #[test]
    fn duplicate_conflict_and_completion_rules() {
        let mut node = Node::new(Config::standalone());
        let me = "standalone@local";
        let first = decision(node.handle(submit(1, "k", "h", me, me, "", 0, false, true)));
        assert_eq!(first.outcome, SubmitOutcome::Created);
        let again = decision(node.handle(submit(2, "k", "h", me, me, "", 0, false, true)));
        assert_eq!(
            (again.outcome, again.record),
            (SubmitOutcome::Duplicate, first.record.clone())
        );
        let clash = decision(node.handle(submit(3, "k", "other", me, me, "", 0, false, true)));
        assert_eq!(clash.outcome.as_str(), "conflict");
        assert_eq!(clash.conflict_reason, "request_key_conflict");
        assert_eq!(clash.record.payload_hash, "h");
        let stale = reply(node.handle(mark_completed(4, "k", "attempt-9", me)));
        assert_eq!(stale, Reply::Record(Err("attempt_id_mismatch".into())));
        let done = reply(node.handle(mark_completed(5, "k", "attempt-1", me)));
        assert!(matches!(done, Reply::Record(Ok(ref r)) if r.phase.as_str() == "completed"));
        let same = reply(node.handle(mark_completed(6, "k", "attempt-1", me)));
        assert_eq!(same, done, "completing again on the same node is a no-op");
        let other = reply(node.handle(mark_completed(7, "k", "attempt-1", "x@h:1")));
        assert_eq!(
            other,
            Reply::Record(Err("transition_rejected:already_completed".into()))
        );
        let view = node.diagnostics(None);
        let names: Vec<&str> = view.entries.iter().map(|e| e.transition.name()).collect();
        assert_eq!(
            names,
            [
                "submit",
                "duplicate",
                "conflict",
                "completion_rejected",
                "completed",
                "completion_rejected"
            ]
        );
        assert_eq!(view.entries[3].meta("active_attempt_id"), Some("attempt-1"));
    }

    #[test]
    fn unsupported_count_and_missing_replica_are_rejected_records() {
        let mut node = Node::new(Config::new("a@h:1", crate::cluster::Role::Primary, 0));
        let mut request = SubmitRequest {
            request_key: "http-route::Api.x::1-ab".into(),
            payload_hash: "h".into(),
            ingress_node: "a@h:1".into(),
            owner_node: "a@h:1".into(),
            replica_node: String::new(),
            required_replicas: 1,
            replication_count: 3,
            declared_handler_runtime_name: "Api.x".into(),
            routed_remotely: false,
            fell_back_locally: true,
        };
        let three = decision(node.handle(Input::Submit {
            client: 1,
            request: request.clone(),
        }));
        assert_eq!(three.outcome, SubmitOutcome::Rejected);
        assert_eq!(three.record.error, "unsupported_replication_count:3");
        assert_eq!(three.record.replication_count, 3);
        request.request_key = "http-route::Api.x::2-ab".into();
        request.replication_count = 2;
        let alone = decision(node.handle(Input::Submit { client: 2, request }));
        assert_eq!(alone.outcome, SubmitOutcome::Rejected);
        assert_eq!(alone.record.error, "replica_required_unavailable");
        assert_eq!(alone.record.replica_status.as_str(), "rejected");
        assert_eq!(alone.record.replication_health.as_str(), "unavailable");
        assert_eq!(authority_status(&node).replication_health, "unavailable");
    }
}

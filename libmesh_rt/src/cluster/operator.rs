//! The operator-query answers of runtime-cluster §8.1 as data over a `Node`, in the JSON and
//! human forms of tooling §1.8 (`meshc cluster status|continuity|diagnostics`). The node
//! answers `OPERATOR_QUERY` with these values; `meshc` adds nothing but printing. `target` is
//! the node identity the operator asked for.

use serde_json::{json, Map, Value};

use super::continuity::{record_fields, Field};
use super::node::Node;
use super::record::Record;
use super::transition::Entry;

/// `status` (tooling §1.8).
pub fn status_json(target: &str, node: &Node) -> Value {
    let membership = node.membership();
    let authority = node.authority();
    json!({
        "target": target,
        "membership": {
            "local_node": membership.local_node,
            "peer_nodes": membership.peer_nodes,
            "nodes": membership.nodes,
        },
        "authority": {
            "cluster_role": authority.role.as_str(),
            "promotion_epoch": authority.epoch,
            "replication_health": node.replication_health().as_str(),
        },
    })
}

/// The human form of `status`.
pub fn status_human(target: &str, node: &Node) -> String {
    let membership = node.membership();
    let authority = node.authority();
    let bullets = |names: &[String]| {
        if names.is_empty() {
            "- (none)\n".to_string()
        } else {
            names.iter().map(|n| format!("- {n}\n")).collect()
        }
    };
    format!(
        "target: {target}\nlocal_node: {}\npeer_nodes:\n{}nodes:\n{}cluster_role: {}\npromotion_epoch: {}\nreplication_health: {}\n",
        membership.local_node,
        bullets(&membership.peer_nodes),
        bullets(&membership.nodes),
        authority.role.as_str(),
        authority.epoch,
        node.replication_health().as_str(),
    )
}

/// One record as a JSON object, fields in operator order.
pub fn record_json(record: &Record) -> Value {
    let mut object = Map::new();
    for (name, field) in record_fields(record) {
        let value = match field {
            Field::Str(s) => Value::from(s),
            Field::Int(i) => Value::from(i),
            Field::Bool(b) => Value::from(b),
        };
        object.insert(name.to_string(), value);
    }
    Value::Object(object)
}

/// `continuity` without a key: records newest first, at most `limit`.
pub fn continuity_list_json(target: &str, node: &Node, limit: Option<usize>) -> Value {
    let (records, total) = node.recent_records(limit);
    json!({
        "target": target,
        "total_records": total,
        "truncated": records.len() < total,
        "records": records.into_iter().map(record_json).collect::<Vec<_>>(),
    })
}

/// `continuity` with a key; an unknown key is the remote reason `request_key_not_found`.
pub fn continuity_lookup_json(
    target: &str,
    node: &Node,
    request_key: &str,
) -> Result<Value, String> {
    if request_key.trim().is_empty() {
        return Err("request_key_missing".into());
    }
    let record = node
        .record(request_key)
        .ok_or_else(|| "request_key_not_found".to_string())?;
    Ok(json!({ "target": target, "record": record_json(record) }))
}

fn field_text(field: &Field) -> String {
    match field {
        Field::Str(s) => s.clone(),
        Field::Int(i) => i.to_string(),
        Field::Bool(b) => b.to_string(),
    }
}

/// The human list form: one line per record, `- request_key=… attempt_id=… phase=… …`.
pub fn continuity_list_human(target: &str, node: &Node, limit: Option<usize>) -> String {
    let (records, total) = node.recent_records(limit);
    let mut text = format!(
        "target: {target}\ntotal_records: {total}\ntruncated: {}\n",
        records.len() < total
    );
    for record in records {
        let pairs: Vec<String> = [
            ("request_key", record.request_key.clone()),
            ("attempt_id", record.attempt_id()),
            ("phase", record.phase.as_str().to_string()),
            ("result", record.result.as_str().to_string()),
            ("owner", record.owner_node.clone()),
            ("replica", record.replica_node.clone()),
            ("replica_status", record.replica_status.as_str().to_string()),
            ("execution", record.execution_node.clone()),
            ("error", record.error.clone()),
        ]
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
        text.push_str(&format!("- {}\n", pairs.join(" ")));
    }
    text
}

/// The human single-record form: one `field: value` line per field.
pub fn record_human(target: &str, record: &Record) -> String {
    let mut text = format!("target: {target}\n");
    for (name, field) in record_fields(record) {
        text.push_str(&format!("{name}: {}\n", field_text(&field)));
    }
    text
}

/// One diagnostics entry (tooling §1.8): absent values are `null`.
pub fn entry_json(entry: &Entry) -> Value {
    let metadata: Vec<Value> = entry
        .metadata
        .iter()
        .map(|(k, v)| json!({ "key": k, "value": v }))
        .collect();
    json!({
        "sequence": entry.sequence,
        "transition": entry.transition.name(),
        "request_key": entry.request_key,
        "attempt_id": entry.attempt_id,
        "owner_node": entry.owner_node,
        "replica_node": entry.replica_node,
        "execution_node": entry.execution_node,
        "cluster_role": entry.cluster_role,
        "promotion_epoch": entry.promotion_epoch,
        "replication_health": entry.replication_health,
        "replica_status": entry.replica_status,
        "reason": entry.reason,
        "metadata": metadata,
    })
}

/// `diagnostics` (§8.2).
pub fn diagnostics_json(target: &str, node: &Node, limit: Option<usize>) -> Value {
    let view = node.diagnostics(limit);
    json!({
        "target": target,
        "total_entries": view.total_entries,
        "dropped_entries": view.dropped_entries,
        "buffer_capacity": view.buffer_capacity,
        "truncated": view.truncated,
        "entries": view.entries.iter().map(entry_json).collect::<Vec<_>>(),
    })
}

/// The human form of `diagnostics`: the counters as `key: value` lines, then one line per
/// entry, `- sequence=… transition=…` followed by the fields that are set and the metadata
/// pairs, all as `key=value`.
pub fn diagnostics_human(target: &str, node: &Node, limit: Option<usize>) -> String {
    let view = node.diagnostics(limit);
    let mut text = format!(
        "target: {target}\ntotal_entries: {}\ndropped_entries: {}\nbuffer_capacity: {}\ntruncated: {}\n",
        view.total_entries, view.dropped_entries, view.buffer_capacity, view.truncated
    );
    for entry in &view.entries {
        let mut pairs = vec![
            format!("sequence={}", entry.sequence),
            format!("transition={}", entry.transition.name()),
        ];
        let optional = [
            ("request_key", entry.request_key.clone()),
            ("attempt_id", entry.attempt_id.clone()),
            ("owner_node", entry.owner_node.clone()),
            ("replica_node", entry.replica_node.clone()),
            ("execution_node", entry.execution_node.clone()),
            ("cluster_role", entry.cluster_role.clone()),
            (
                "promotion_epoch",
                entry.promotion_epoch.map(|e| e.to_string()),
            ),
            ("replication_health", entry.replication_health.clone()),
            ("replica_status", entry.replica_status.clone()),
            ("reason", entry.reason.clone()),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                pairs.push(format!("{name}={value}"));
            }
        }
        for (k, v) in &entry.metadata {
            pairs.push(format!("{k}={v}"));
        }
        text.push_str(&format!("- {}\n", pairs.join(" ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::continuity::{mark_completed, submit};
    use crate::cluster::node::{Config, Node};

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .expect("an object")
            .keys()
            .map(|k| k.as_str())
            .collect()
    }

    fn standalone_with(n: usize) -> Node {
        let mut node = Node::new(Config::standalone());
        let me = "standalone@local";
        for i in 1..=n {
            let key = format!("http-route::Api.list::{i}-ab");
            node.handle(submit(i as u64, &key, "h", me, me, "", 0, false, true));
        }
        node
    }

    #[test]
    fn status_shape_and_human_form() {
        let node = standalone_with(0);
        let value = status_json("standalone@local", &node);
        assert_eq!(keys(&value), ["target", "membership", "authority"]);
        assert_eq!(
            keys(&value["membership"]),
            ["local_node", "peer_nodes", "nodes"]
        );
        assert_eq!(
            keys(&value["authority"]),
            ["cluster_role", "promotion_epoch", "replication_health"]
        );
        assert_eq!(value["membership"]["nodes"], json!(["standalone@local"]));
        assert_eq!(
            status_human("t@h:1", &node),
            "target: t@h:1\nlocal_node: standalone@local\npeer_nodes:\n- (none)\nnodes:\n- standalone@local\n\
             cluster_role: primary\npromotion_epoch: 0\nreplication_health: local_only\n"
        );
    }

    #[test]
    fn continuity_list_is_newest_first_and_limited() {
        let mut node = standalone_with(3);
        // Completing the first record makes it the most recently updated.
        node.handle(mark_completed(
            9,
            "http-route::Api.list::1-ab",
            "attempt-1",
            "standalone@local",
        ));
        let value = continuity_list_json("t", &node, Some(2));
        assert_eq!(
            keys(&value),
            ["target", "total_records", "truncated", "records"]
        );
        assert_eq!(value["total_records"], 3);
        assert_eq!(value["truncated"], true);
        let listed: Vec<&str> = value["records"]
            .as_array()
            .expect("records")
            .iter()
            .map(|r| r["request_key"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(
            listed,
            ["http-route::Api.list::1-ab", "http-route::Api.list::3-ab"]
        );
        assert_eq!(continuity_list_json("t", &node, None)["truncated"], false);
        let human = continuity_list_human("t", &node, Some(1));
        assert!(human.ends_with(
            "- request_key=http-route::Api.list::1-ab attempt_id=attempt-1 phase=completed result=succeeded \
             owner=standalone@local replica= replica_status=unassigned execution=standalone@local error=\n"
        ));
    }

    #[test]
    fn lookup_has_all_eighteen_fields_and_no_nulls() {
        let node = standalone_with(1);
        let value =
            continuity_lookup_json("t", &node, "http-route::Api.list::1-ab").expect("found");
        assert_eq!(keys(&value), ["target", "record"]);
        let record = value["record"].as_object().expect("record");
        assert_eq!(record.len(), 18);
        assert!(record.values().all(|v| !v.is_null()));
        assert_eq!(record["replica_node"], "");
        assert_eq!(record["replication_count"], 1);
        assert_eq!(record["fell_back_locally"], true);
        assert_eq!(
            continuity_lookup_json("t", &node, "nope"),
            Err("request_key_not_found".into())
        );
        let human = record_human(
            "t",
            node.record("http-route::Api.list::1-ab").expect("held"),
        );
        assert_eq!(human.lines().count(), 19);
        assert!(human.contains("\nreplica_status: unassigned\n"));
    }

    #[test]
    fn diagnostics_shape_ring_and_nulls() {
        // runtime-cluster §10.12: capacity 128; past it dropped_entries > 0, truncated, and
        // sequences strictly increasing.
        let node = standalone_with(130);
        let value = diagnostics_json("t", &node, None);
        assert_eq!(
            keys(&value),
            [
                "target",
                "total_entries",
                "dropped_entries",
                "buffer_capacity",
                "truncated",
                "entries"
            ]
        );
        assert_eq!(value["buffer_capacity"], 128);
        assert_eq!(value["total_entries"], 128);
        assert_eq!(value["dropped_entries"], 2);
        assert_eq!(value["truncated"], true);
        let entries = value["entries"].as_array().expect("entries");
        let sequences: Vec<u64> = entries
            .iter()
            .map(|e| e["sequence"].as_u64().unwrap_or(0))
            .collect();
        assert!(sequences.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(sequences[0], 3);
        let entry = &entries[0];
        assert_eq!(
            keys(entry),
            [
                "sequence",
                "transition",
                "request_key",
                "attempt_id",
                "owner_node",
                "replica_node",
                "execution_node",
                "cluster_role",
                "promotion_epoch",
                "replication_health",
                "replica_status",
                "reason",
                "metadata",
            ]
        );
        assert_eq!(entry["transition"], "submit");
        assert!(entry["reason"].is_null());
        assert_eq!(
            entry["metadata"][0],
            json!({"key": "phase", "value": "submitted"})
        );
        let human = diagnostics_human("t", &node, Some(1));
        assert!(human.starts_with(
            "target: t\ntotal_entries: 128\ndropped_entries: 2\nbuffer_capacity: 128\ntruncated: true\n- sequence="
        ));
        assert_eq!(human.lines().count(), 6);
        assert!(human.contains(" transition=submit request_key=http-route::Api.list::130-ab "));
        let limited = diagnostics_json("t", &node, Some(5));
        assert_eq!(limited["entries"].as_array().map(Vec::len), Some(5));
    }
}

//! The pure decisions of the startup-work actor (runtime-cluster §4.3–§4.4): after the
//! convergence wait, whether this node submits, with which placement, and the `startup_*`
//! entries it records. The actor itself (waiting, the dispatch window's timer, running the
//! function) belongs to the runtime; it records each entry with `Node::note` and logs it.

use super::node::{Node, SubmitDecision, SubmitOutcome, SubmitRequest};
use super::record::{Record, Role, STARTUP_PREFIX};
use super::transition::{Entry, Transition};

/// What the startup actor does for one runtime name once convergence is over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartupDecision {
    /// This node is a standby: `startup_skipped` (§4.3 step 3); the primary's record arrives
    /// through replication.
    Skip(Entry),
    /// Record `startup_trigger`, then submit (§4.3 steps 4–6).
    Submit {
        trigger: Entry,
        request: SubmitRequest,
    },
}

/// The request key of startup work (§1).
pub fn request_key(runtime_name: &str) -> String {
    format!("{STARTUP_PREFIX}{runtime_name}")
}

fn base(transition: Transition, runtime_name: &str) -> Entry {
    let mut entry = Entry::bare(transition).with_meta("runtime_name", runtime_name);
    entry.request_key = Some(request_key(runtime_name));
    entry
}

/// `startup_registered` (§4.3 step 1), before `main`.
pub fn registered(runtime_name: &str) -> Entry {
    base(Transition::StartupRegistered, runtime_name)
}

/// Membership never settled within the convergence deadline (§4.3 step 2): a
/// `startup_convergence_timeout` entry and `startup_rejected` with that reason; no record.
pub fn convergence_timeout(runtime_name: &str) -> [Entry; 2] {
    let reason = "startup_convergence_timeout";
    [
        base(Transition::StartupConvergenceTimeout, runtime_name).with_reason(reason),
        base(Transition::StartupRejected, runtime_name).with_reason(reason),
    ]
}

/// Steps 3–5 of §4.3 for declared work `runtime_name` with replication count `n`: owner =
/// this node, replica = the converged standby peer if any, `required_replicas = n - 1`,
/// relaxed to 0 for `n = 2` with no peer (`n > 2` is submitted and rejected by the core with
/// `unsupported_replication_count:<n>`).
pub fn decide(node: &Node, runtime_name: &str, n: i64) -> StartupDecision {
    if node.authority().role == Role::Standby {
        let skipped = base(Transition::StartupSkipped, runtime_name)
            .with_reason("startup_skipped:standby_authority");
        return StartupDecision::Skip(skipped);
    }
    let me = node.node_name().to_string();
    let peers = node.converged_peers();
    let replica = peers.first().cloned().unwrap_or_default();
    let required = match n {
        1 => 0,
        2 if replica.is_empty() => 0,
        _ => 1,
    };
    let replica = if required == 1 {
        replica
    } else {
        String::new()
    };
    let mut membership = peers;
    membership.push(me.clone());
    membership.sort();
    let mut trigger = base(Transition::StartupTrigger, runtime_name)
        .with_meta("required_replicas", required)
        .with_meta("membership", membership.join(","));
    trigger.owner_node = Some(me.clone());
    trigger.replica_node = Some(replica.clone());
    let request = SubmitRequest {
        request_key: request_key(runtime_name),
        payload_hash: format!("startup-payload::{runtime_name}"),
        ingress_node: me.clone(),
        owner_node: me,
        replica_node: replica,
        required_replicas: required,
        replication_count: n,
        declared_handler_runtime_name: runtime_name.to_string(),
        routed_remotely: false,
        fell_back_locally: true,
    };
    StartupDecision::Submit { trigger, request }
}

/// After the submit: `created` → the dispatch window entry when one applies (§4.4: a positive
/// window and a required replica) and the work runs; `duplicate` → wait for the stored
/// record; `rejected` → `startup_rejected` with the record's error.
pub fn after_submit(decision: &SubmitDecision, window_ms: Option<u64>) -> Option<Entry> {
    let record = &decision.record;
    let name = &record.declared_handler_runtime_name;
    match decision.outcome {
        SubmitOutcome::Created => {
            let window = window_ms.filter(|w| *w > 0 && record.required_replicas > 0)?;
            Some(
                for_record(Transition::StartupDispatchWindow, record)
                    .with_meta("pending_window_ms", window)
                    .with_meta("ownership", "language_owned"),
            )
        }
        SubmitOutcome::Rejected | SubmitOutcome::Conflict => {
            let reason = if record.error.is_empty() {
                decision.conflict_reason.clone()
            } else {
                record.error.clone()
            };
            Some(base(Transition::StartupRejected, name).with_reason(reason))
        }
        SubmitOutcome::Duplicate => None,
    }
}

/// `startup_rejected` with `reason` (a submit that failed, a record rejected while the actor
/// waited).
pub fn rejected(runtime_name: &str, reason: &str) -> Entry {
    base(Transition::StartupRejected, runtime_name).with_reason(reason)
}

/// `startup_completed` (attempt and execution node of the completed record).
pub fn completed(record: &Record) -> Entry {
    for_record(Transition::StartupCompleted, record)
}

/// `startup_fenced`: the record's attempt changed under the waiting actor (§4.3 step 8).
pub fn fenced(record: &Record, previous_attempt_id: &str) -> Entry {
    for_record(Transition::StartupFenced, record)
        .with_reason("startup_fenced")
        .with_meta("previous_attempt_id", previous_attempt_id)
}

fn for_record(transition: Transition, record: &Record) -> Entry {
    let mut entry = Entry::for_record(transition, record);
    entry.metadata.insert(
        0,
        (
            "runtime_name".into(),
            record.declared_handler_runtime_name.clone(),
        ),
    );
    entry
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::node::{Config, Input, Output, Reply};

    fn submit(node: &mut Node, request: SubmitRequest) -> SubmitDecision {
        let outputs = node.handle(Input::Submit { client: 1, request });
        outputs
            .into_iter()
            .find_map(|o| match o {
                Output::Reply {
                    reply: Reply::Submit(Ok(d)),
                    ..
                } => Some(d),
                _ => None,
            })
            .expect("a decision")
    }

    #[test]
    fn single_node_relaxes_two_to_zero_and_logs_the_trigger() {
        let mut node = Node::new(Config::new("a@127.0.0.1:4370", Role::Primary, 0));
        let StartupDecision::Submit { trigger, request } = decide(&node, "Work.add", 2) else {
            panic!("a primary submits")
        };
        assert_eq!(request.required_replicas, 0);
        assert_eq!(request.request_key, "startup::Work.add");
        let trigger = node.note(trigger);
        assert_eq!(
            trigger.log_line(),
            "[mesh-rt startup] transition=startup_trigger runtime_name=Work.add request_key=startup::Work.add \
             owner=a@127.0.0.1:4370 replica= required_replicas=0 membership=a@127.0.0.1:4370"
        );
        let decision = submit(&mut node, request);
        assert_eq!(decision.record.replica_status.as_str(), "unassigned");
        assert_eq!(
            after_submit(&decision, Some(20_000)),
            None,
            "no window without a replica"
        );
        let done = node.handle(Input::Complete {
            client: None,
            request_key: "startup::Work.add".into(),
            attempt_id: "attempt-1".into(),
            execution_node: "a@127.0.0.1:4370".into(),
        });
        assert!(!done.is_empty());
        let entry = completed(node.record("startup::Work.add").expect("held"));
        assert_eq!(entry.execution_node.as_deref(), Some("a@127.0.0.1:4370"));
        assert_eq!(entry.meta("runtime_name"), Some("Work.add"));
    }

    #[test]
    fn standby_skips_and_counts_above_two_are_rejected() {
        let standby = Node::new(Config::new("b@[::1]:4370", Role::Standby, 0));
        let StartupDecision::Skip(entry) = decide(&standby, "Work.add", 2) else {
            panic!("skips")
        };
        assert_eq!(
            entry.reason.as_deref(),
            Some("startup_skipped:standby_authority")
        );
        let mut node = Node::new(Config::new("a@127.0.0.1:4370", Role::Primary, 0));
        let StartupDecision::Submit { request, .. } = decide(&node, "Work.big", 3) else {
            panic!("submits")
        };
        let decision = submit(&mut node, request);
        let rejected = after_submit(&decision, None).expect("startup_rejected");
        assert_eq!(rejected.transition, Transition::StartupRejected);
        assert_eq!(
            rejected.reason.as_deref(),
            Some("unsupported_replication_count:3")
        );
        let [timeout, rejected] = convergence_timeout("Work.add");
        assert_eq!(timeout.transition.name(), "startup_convergence_timeout");
        assert_eq!(
            rejected.reason.as_deref(),
            Some("startup_convergence_timeout")
        );
    }
}

//! Scenario tests of the continuity core with two nodes wired back to back (messages
//! delivered in order at once): the failover, fenced-rejoin and idle-failover proofs of
//! runtime-cluster §10.7–§10.9 / tooling §9.4, the equal-epoch tie-break, and the prepare
//! failure paths.

use std::collections::VecDeque;

use super::*;
use crate::cluster::record::{Phase, ReplicaStatus};
use crate::cluster::transition::Transition;

const P: &str = "todo-postgres-primary@127.0.0.1:4370";
const S: &str = "todo-postgres-standby@[::1]:4370";
const KEY: &str = "startup::Work.sync_todos";

struct Pair {
    nodes: Vec<Node>,
    wire: VecDeque<(usize, usize, Message)>,
    /// Everything but `Send`, per node.
    seen: Vec<Vec<Output>>,
    up: bool,
}

impl Pair {
    fn new(roles: [Role; 2]) -> Pair {
        let mut pair = Pair {
            nodes: Vec::new(),
            wire: VecDeque::new(),
            seen: vec![Vec::new(), Vec::new()],
            up: false,
        };
        for (name, role) in [P, S].into_iter().zip(roles) {
            pair.nodes.push(fresh(name, role));
        }
        pair
    }

    fn handle(&mut self, i: usize, input: Input) {
        for output in self.nodes[i].handle(input) {
            match output {
                Output::Send { message, .. } => {
                    if self.up {
                        self.wire.push_back((i, 1 - i, message));
                    }
                }
                other => self.seen[i].push(other),
            }
        }
    }

    fn pump(&mut self) {
        while let Some((from, to, message)) = self.wire.pop_front() {
            let from = [P, S][from].to_string();
            self.handle(to, Input::Message { from, message });
        }
    }

    fn connect(&mut self) {
        self.up = true;
        self.handle(0, Input::PeerUp { peer: S.into() });
        self.handle(1, Input::PeerUp { peer: P.into() });
        self.pump();
    }

    /// The session closes (a killed process closes its sockets): the survivor `i` sees it.
    fn lose(&mut self, i: usize, reason: &str) {
        self.up = false;
        self.wire.clear();
        let peer = [P, S][1 - i].to_string();
        self.handle(
            i,
            Input::PeerDown {
                peer,
                reason: reason.into(),
            },
        );
    }

    fn submit_startup(&mut self) -> Record {
        let replica = if self.nodes[0].converged_peers().is_empty() {
            ""
        } else {
            S
        };
        let request = SubmitRequest {
            request_key: KEY.into(),
            payload_hash: "startup-payload::Work.sync_todos".into(),
            ingress_node: P.into(),
            owner_node: P.into(),
            replica_node: replica.into(),
            required_replicas: i64::from(!replica.is_empty()),
            replication_count: 2,
            declared_handler_runtime_name: "Work.sync_todos".into(),
            routed_remotely: false,
            fell_back_locally: true,
        };
        self.handle(0, Input::Submit { client: 1, request });
        self.pump();
        self.nodes[0].record(KEY).cloned().expect("submitted")
    }

    fn entries(&self, i: usize, transition: Transition) -> Vec<Entry> {
        self.nodes[i]
            .diagnostics(None)
            .entries
            .into_iter()
            .filter(|e| e.transition == transition)
            .collect()
    }
}

fn fresh(name: &str, role: Role) -> Node {
    let mut node = Node::new(Config::new(name, role, 0));
    node.register_handler("Work.sync_todos");
    node
}

fn executes(outputs: &[Output]) -> Vec<(String, String)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Execute {
                request_key,
                attempt_id,
                ..
            } => Some((request_key.clone(), attempt_id.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn replicated_submit_is_acknowledged_only_after_the_standby_stored_it() {
    let mut pair = Pair::new([Role::Primary, Role::Standby]);
    pair.connect();
    assert_eq!(pair.nodes[0].converged_peers(), [S]);
    let request = SubmitRequest {
        request_key: KEY.into(),
        payload_hash: "startup-payload::Work.sync_todos".into(),
        ingress_node: P.into(),
        owner_node: P.into(),
        replica_node: S.into(),
        required_replicas: 1,
        replication_count: 2,
        declared_handler_runtime_name: "Work.sync_todos".into(),
        routed_remotely: false,
        fell_back_locally: true,
    };
    pair.handle(0, Input::Submit { client: 7, request });
    // Before the prepare is delivered: no reply, the record is preparing, a timer is set.
    assert!(!pair.seen[0]
        .iter()
        .any(|o| matches!(o, Output::Reply { .. })));
    assert!(pair.seen[0].iter().any(|o| matches!(
        o,
        Output::SetTimer {
            after_ms: 5_000,
            ..
        }
    )));
    assert_eq!(
        pair.nodes[0].record(KEY).map(|r| r.replica_status),
        Some(ReplicaStatus::Preparing)
    );
    pair.pump();
    let reply = pair.seen[0].iter().find_map(|o| match o {
        Output::Reply {
            client: 7,
            reply: Reply::Submit(Ok(d)),
        } => Some(d.clone()),
        _ => None,
    });
    let decision = reply.expect("acknowledged after the ack");
    assert_eq!(decision.outcome, SubmitOutcome::Created);
    assert_eq!(decision.record.replica_status, ReplicaStatus::Mirrored);
    for i in 0..2 {
        let record = pair.nodes[i].record(KEY).expect("on both nodes");
        assert_eq!(
            (record.replica_status, record.replication_health),
            (ReplicaStatus::Mirrored, Health::Healthy)
        );
    }
    assert_eq!(pair.entries(1, Transition::ReplicaPrepare).len(), 1);
    assert_eq!(pair.entries(0, Transition::ReplicaAck).len(), 1);
    assert_eq!(pair.nodes[0].replication_health(), Health::Healthy);
}

#[test]
fn failover_promotes_recovers_with_a_new_attempt_and_fences_the_old_primary() {
    // tooling §9.4 / runtime-cluster §10.7–§10.8.
    let mut pair = Pair::new([Role::Primary, Role::Standby]);
    pair.connect();
    let original = pair.submit_startup();
    assert_eq!(original.replica_node, S);
    assert_eq!(
        pair.nodes[1].record(KEY).map(|r| r.phase),
        Some(Phase::Submitted)
    );
    // SIGKILL of the primary during the dispatch window.
    pair.lose(1, "closed");
    let standby = &pair.nodes[1];
    assert_eq!(
        standby.authority(),
        Authority {
            role: Role::Primary,
            epoch: 1
        }
    );
    assert!(standby.membership().peer_nodes.is_empty());
    let promotion = &pair.entries(1, Transition::AutomaticPromotion)[0];
    assert_eq!(
        promotion.reason.as_deref(),
        Some(format!("peer_lost:{P}").as_str())
    );
    assert_eq!(promotion.meta("previous_epoch"), Some("0"));
    assert_eq!(promotion.meta("disconnected_node"), Some(P));
    let rollover = &pair.entries(1, Transition::RecoveryRollover)[0];
    assert_eq!(
        rollover.meta("previous_attempt_id"),
        Some(original.attempt_id().as_str())
    );
    assert_eq!(rollover.owner_node.as_deref(), Some(S));
    let recovery = &pair.entries(1, Transition::AutomaticRecovery)[0];
    assert_eq!(recovery.meta("runtime_name"), Some("Work.sync_todos"));
    let new_attempt = recovery.attempt_id.clone().expect("attempt");
    assert_ne!(new_attempt, original.attempt_id());
    assert_eq!(
        executes(&pair.seen[1]),
        [(KEY.to_string(), new_attempt.clone())]
    );
    pair.handle(
        1,
        Input::Complete {
            client: None,
            request_key: KEY.into(),
            attempt_id: new_attempt.clone(),
            execution_node: S.into(),
        },
    );
    let done = pair.nodes[1].record(KEY).cloned().expect("held");
    assert_eq!(
        (
            done.phase,
            done.owner_node.as_str(),
            done.execution_node.as_str()
        ),
        (Phase::Completed, S, S)
    );
    assert_eq!(
        (
            done.replica_node.as_str(),
            done.promotion_epoch,
            done.error.as_str()
        ),
        ("", 1, "")
    );
    // The old primary restarts with its original env (primary, epoch 0) and is fenced.
    pair.nodes[0] = fresh(P, Role::Primary);
    pair.seen[0].clear();
    pair.connect();
    assert_eq!(
        pair.nodes[0].authority(),
        Authority {
            role: Role::Standby,
            epoch: 1
        }
    );
    assert_eq!(
        pair.nodes[1].authority(),
        Authority {
            role: Role::Primary,
            epoch: 1
        }
    );
    let fenced = pair.entries(0, Transition::FencedRejoin);
    assert!(fenced
        .iter()
        .any(|e| e.request_key.is_none() && e.meta("previous_role") == Some("primary")));
    let for_key = fenced
        .iter()
        .find(|e| e.request_key.as_deref() == Some(KEY))
        .expect("per-record entry");
    assert_eq!(for_key.attempt_id.as_deref(), Some(new_attempt.as_str()));
    assert_eq!(for_key.meta("previous_epoch"), Some("0"));
    let copy = pair.nodes[0]
        .record(KEY)
        .expect("refilled from the standby");
    assert_eq!(
        (copy.phase, copy.execution_node.as_str(), copy.cluster_role),
        (Phase::Completed, S, Role::Standby)
    );
    assert!(
        executes(&pair.seen[0]).is_empty(),
        "a fenced node never runs the work again"
    );
}

#[test]
fn idle_primary_loss_still_promotes() {
    // runtime-cluster §10.9 (Appendix A.6).
    let mut pair = Pair::new([Role::Primary, Role::Standby]);
    pair.connect();
    pair.lose(1, "heartbeat_timeout");
    assert_eq!(
        pair.nodes[1].authority(),
        Authority {
            role: Role::Primary,
            epoch: 1
        }
    );
}

#[test]
fn a_standby_that_never_saw_a_primary_does_not_promote() {
    let mut pair = Pair::new([Role::Standby, Role::Standby]);
    pair.connect();
    pair.lose(1, "closed");
    assert_eq!(
        pair.nodes[1].authority(),
        Authority {
            role: Role::Standby,
            epoch: 0
        }
    );
}

#[test]
fn two_primaries_at_one_epoch_resolve_by_name() {
    let mut pair = Pair::new([Role::Primary, Role::Primary]);
    pair.connect();
    // "todo-postgres-standby@…" sorts above "todo-postgres-primary@…": it yields.
    assert_eq!(pair.nodes[0].authority().role, Role::Primary);
    assert_eq!(pair.nodes[1].authority().role, Role::Standby);
    let conflict = &pair.entries(1, Transition::RoleConflict)[0];
    assert_eq!(
        (conflict.meta("peer"), conflict.meta("previous_role")),
        (Some(P), Some("primary"))
    );
}

#[test]
fn owner_side_degrades_and_prepare_failures_reject() {
    let mut pair = Pair::new([Role::Primary, Role::Standby]);
    pair.connect();
    pair.submit_startup();
    pair.lose(0, "closed");
    let record = pair.nodes[0].record(KEY).expect("held");
    assert_eq!(record.replica_status, ReplicaStatus::DegradedContinuing);
    assert_eq!(record.error, format!("replica_lost:{S}"));
    assert_eq!(pair.nodes[0].replication_health(), Health::Degraded);

    // A prepare that is never answered times out after 5 000 ms.
    let mut pair = Pair::new([Role::Primary, Role::Standby]);
    pair.connect();
    pair.handle(
        0,
        Input::Submit {
            client: 3,
            request: SubmitRequest {
                request_key: "work::x".into(),
                payload_hash: "h".into(),
                ingress_node: P.into(),
                owner_node: P.into(),
                replica_node: S.into(),
                required_replicas: 1,
                replication_count: 2,
                declared_handler_runtime_name: String::new(),
                routed_remotely: false,
                fell_back_locally: true,
            },
        },
    );
    pair.wire.clear();
    let timer = pair.seen[0].iter().find_map(|o| match o {
        Output::SetTimer { timer, .. } => Some(*timer),
        _ => None,
    });
    pair.handle(
        0,
        Input::TimerFired {
            timer: timer.expect("a prepare timer"),
        },
    );
    let record = pair.nodes[0].record("work::x").expect("kept");
    assert_eq!(
        (record.phase, record.error.as_str()),
        (Phase::Rejected, "replica_prepare_timeout")
    );
    assert_eq!(pair.entries(0, Transition::PrepareTimeout).len(), 1);
    assert!(pair.seen[0].iter().any(|o| matches!(
        o,
        Output::Reply { client: 3, reply: Reply::Submit(Ok(d)) } if d.outcome == SubmitOutcome::Rejected
    )));
}

#[test]
fn retention_evicts_oldest_terminal_route_records_only() {
    let mut config = Config::standalone();
    config.max_records = 3;
    let mut node = Node::new(config);
    let me = STANDALONE_NODE;
    let submit = |node: &mut Node, key: &str| {
        let input = crate::cluster::continuity::submit(1, key, "h", me, me, "", 0, false, true);
        node.handle(input);
    };
    submit(&mut node, "startup::Work.a");
    submit(&mut node, "http-route::Api.x::1-a");
    submit(&mut node, "http-route::Api.x::2-a");
    for key in ["startup::Work.a", "http-route::Api.x::1-a"] {
        node.handle(crate::cluster::continuity::mark_completed(
            2,
            key,
            &node.record(key).expect("held").attempt_id(),
            me,
        ));
    }
    submit(&mut node, "http-route::Api.x::3-a");
    let keys: Vec<&str> = node.records().map(|r| r.request_key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "http-route::Api.x::2-a",
            "http-route::Api.x::3-a",
            "startup::Work.a"
        ]
    );
    assert_eq!(node.evicted_records(), 1);
    // Pending and startup records stay even over the bound.
    submit(&mut node, "http-route::Api.x::4-a");
    assert_eq!(node.records().count(), 4);
}

#[test]
fn retention_at_the_bound_stays_cheap_and_evicts_oldest_first() {
    // 30 000 route requests through a node bounded at 10 000 (the default): every new record
    // evicts the oldest terminal one, without a scan of all records (an index).
    let mut node = Node::new(Config::standalone());
    let me = STANDALONE_NODE;
    let started = std::time::Instant::now();
    for i in 0..30_000 {
        let key = format!("http-route::Api.x::{i}");
        node.handle(crate::cluster::continuity::submit(
            1, &key, "h", me, me, "", 0, false, true,
        ));
        let attempt = node.record(&key).expect("held").attempt_id();
        node.handle(crate::cluster::continuity::mark_completed(
            2, &key, &attempt, me,
        ));
    }
    assert_eq!(node.records().count(), MAX_RECORDS);
    assert_eq!(node.evicted_records(), 20_000);
    assert!(node.record("http-route::Api.x::19999").is_none());
    assert!(node.record("http-route::Api.x::20000").is_some());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

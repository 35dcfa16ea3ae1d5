//! `HTTP.clustered` on one node (runtime-cluster §10.10, §7; stdlib §18.4): a standalone
//! program and a single-node cluster serve the fixture `tests/fixtures/clustered/routes`.
//! `n = 1` answers the handler's response plus `X-Mesh-Continuity-Request-Key` and completes a
//! record with `replication_count=1`; `n = 2` without a peer is `503
//! replica_required_unavailable` with the key and a rejected record; `n = 3` is `503
//! unsupported_replication_count:3`; a panicking handler is a `500` with the key and a record
//! rejected `handler_crashed`; middleware wraps clustered routes; plain routes carry no key.
//! Records are observed through the `[mesh-rt continuity]` log lines (§9: one per transition).

#[path = "support/node.rs"]
mod node;
#[path = "support/routes.rs"]
mod routes;

use routes::*;

fn check_one_node(node: &Node, me: &str) {
    // n = 1: the handler's status, body and headers, plus exactly one key header (the
    // handler's own header of that name is replaced).
    let first = node.get("/one");
    assert_eq!(first.status, 201, "{first:?}");
    assert_eq!(first.body, r#"{"method":"GET"}"#);
    assert_eq!(first.headers_named(KEY_HEADER), 1, "{first:?}");
    let key = first.key();
    assert!(
        key.starts_with("http-route::Api.Todos.handle_one::"),
        "{key}"
    );
    let sequence = key.rsplit("::").next().expect("a sequence");
    let (counter, incarnation) = sequence.split_once('-').expect("counter-incarnation");
    assert!(counter.parse::<u64>().is_ok_and(|c| c >= 1), "{key}");
    assert!(u64::from_str_radix(incarnation, 16).is_ok(), "{key}");
    let second = node.get("/one");
    assert_eq!(second.status, 201);
    assert_ne!(second.key(), key, "every request gets its own key");

    let done = wait_transition(node, "completed", &key);
    for (k, v) in [
        ("owner", me),
        ("replica", ""),
        ("execution_node", me),
        ("replica_status", "unassigned"),
        ("replication_health", "local_only"),
        ("phase", "completed"),
        ("result", "succeeded"),
        ("replication_count", "1"),
        ("declared_handler_runtime_name", "Api.Todos.handle_one"),
    ] {
        assert_eq!(field(&done, k), Some(v), "{k} of {done:?}");
    }
    let submit = wait_transition(node, "submit", &key);
    assert_eq!(field(&submit, "required_replicas"), Some("0"));

    // Path params, query and body reach the handler.
    let posted = http(node.http_port, "POST", "/todos/7", &[], "hello");
    assert_eq!(posted.status, 200, "{posted:?}");
    assert_eq!(posted.body, r#"{"body":"hello","id":"7"}"#);
    wait_transition(node, "completed", &posted.key());

    // n = 2 without a converged peer.
    let two = node.get("/todos");
    assert_eq!(two.status, 503, "{two:?}");
    assert_eq!(two.body, r#"{"error":"replica_required_unavailable"}"#);
    let key2 = two.key();
    assert!(key2.starts_with("http-route::Api.Todos.handle_list_todos::"));
    let rejected = wait_transition(node, "rejected", &key2);
    assert_eq!(
        field(&rejected, "reason"),
        Some("replica_required_unavailable")
    );
    assert_eq!(field(&rejected, "phase"), Some("rejected"));
    assert_eq!(field(&rejected, "result"), Some("rejected"));
    assert_eq!(field(&rejected, "replication_count"), Some("2"));

    // n = 3.
    let three = node.get("/todos/retry");
    assert_eq!(three.status, 503, "{three:?}");
    assert_eq!(three.body, r#"{"error":"unsupported_replication_count:3"}"#);
    let key3 = three.key();
    assert!(key3.starts_with("http-route::Api.Todos.handle_retry::"));
    let rejected = wait_transition(node, "rejected", &key3);
    assert_eq!(
        field(&rejected, "reason"),
        Some("unsupported_replication_count:3")
    );
    assert_eq!(field(&rejected, "replication_count"), Some("3"));

    // A panicking handler: 500 as for local routes, with the key; the node keeps serving.
    let crash = node.get("/crash");
    assert_eq!(crash.status, 500, "{crash:?}");
    assert_eq!(crash.body, "Internal Server Error");
    let rejected = wait_transition(node, "rejected", &crash.key());
    assert_eq!(field(&rejected, "reason"), Some("handler_crashed"));
    assert_eq!(node.get("/one").status, 201);

    // Middleware wraps clustered routes; plain routes have no key.
    let stopped = http(node.http_port, "GET", "/one", &[("x-stop", "1")], "");
    assert_eq!((stopped.status, stopped.body.as_str()), (403, "stopped"));
    assert_eq!(stopped.header(KEY_HEADER), None);
    let plain = node.get("/plain");
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header(KEY_HEADER), None);
}

#[test]
fn clustered_routes_standalone() {
    let exe = exe("one-node");
    let node = Node::start(&exe, "standalone", free_port(), &[]);
    node.wait("[routes] bootstrap mode=standalone", DEADLINE);
    check_one_node(&node, "standalone@local");
}

#[test]
fn clustered_routes_single_cluster_node() {
    let exe = exe("one-node");
    let c = cookie("one");
    let port = free_port();
    let name = format!("solo@127.0.0.1:{port}");
    let node = Node::start(
        &exe,
        &name,
        free_port(),
        &node_env(&c, &name, port, "primary"),
    );
    node.wait("[routes] bootstrap mode=cluster", DEADLINE);
    check_one_node(&node, &name);
    assert!(!node.logs().contains(&c), "the cookie leaked");
}

/// runtime-cluster §10.9 (idle failover), the routes half: once the primary is gone the
/// standby promotes itself (primary at epoch 1) and its `n = 1` routes keep answering, now
/// all owned by itself; `n = 2` routes answer `503 replica_required_unavailable` (no peer
/// left to mirror on) instead of hanging.
#[test]
fn after_idle_failover_n1_routes_keep_answering() {
    let exe = exe("failover");
    let c = cookie("idle-failover");
    let port = free_port();
    let (na, nb) = (format!("a@127.0.0.1:{port}"), format!("b@[::1]:{port}"));
    let mut a = Node::start(&exe, &na, free_port(), &node_env(&c, &na, port, "primary"));
    let b = Node::start(&exe, &nb, free_port(), &node_env(&c, &nb, port, "standby"));
    wait_peers(&na, &[&nb], &c);
    wait_peers(&nb, &[&na], &c);
    let end = std::time::Instant::now() + DEADLINE;
    while b.get("/todos").status != 200 {
        assert!(
            std::time::Instant::now() < end,
            "count-2 routes never accepted"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(b.get("/one").status, 201);

    a.kill();
    let end = std::time::Instant::now() + DEADLINE;
    loop {
        let s = cluster_json(&["status", &nb], &c).unwrap_or_default();
        let auth = &s["authority"];
        if auth["cluster_role"] == "primary" && auth["promotion_epoch"] == 1 {
            break;
        }
        assert!(
            std::time::Instant::now() < end,
            "the standby never promoted: {s}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    for _ in 0..3 {
        let r = b.get("/one");
        assert_eq!(r.status, 201, "{r:?}");
        let key = r.key();
        let record = wait_record(&nb, &key, &c, |r| r["phase"] == "completed");
        assert_eq!(record["owner_node"], nb.as_str());
        assert_eq!(record["execution_node"], nb.as_str());
        assert_eq!(record["replication_count"], 1);
    }
    let r = b.get("/todos");
    assert_eq!(r.status, 503, "{r:?}");
    assert_eq!(r.body, r#"{"error":"replica_required_unavailable"}"#);
    assert!(b.logs().contains("transition=automatic_promotion"));
}

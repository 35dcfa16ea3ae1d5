//! `HTTP.clustered` on two nodes (runtime-cluster §10.11, §7; tooling §9.7), run with
//! `cargo test -p meshc --test e2e_m047_s07 -- --nocapture`. A primary on `127.0.0.1:P` and a
//! standby on `[::1]:P` serve the fixture `tests/fixtures/clustered/routes` (`GET /todos` with
//! the default count 2, `GET /todos/retry` with 3). Records are read with `meshc cluster
//! continuity … --json` on both nodes.

#[path = "support/node.rs"]
mod node;
#[path = "support/routes.rs"]
mod routes;

use routes::*;
use serde_json::Value;

fn s<'a>(record: &'a Value, field: &str) -> &'a str {
    record[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not a string in {record}"))
}

/// The record without the fields that are the queried node's own (§5.1).
fn comparable(record: &Value) -> Value {
    let mut r = record.clone();
    if let Some(o) = r.as_object_mut() {
        o.remove("cluster_role");
        o.remove("promotion_epoch");
    }
    r
}

fn settled(record: &Value) -> bool {
    record["phase"] != "submitted"
}

#[test]
fn clustered_http_two_node() {
    let exe = exe("two-node");
    let c = cookie("s07");
    let port = free_port();
    let (na, nb) = (format!("a@127.0.0.1:{port}"), format!("b@[::1]:{port}"));
    let a = Node::start(&exe, &na, free_port(), &node_env(&c, &na, port, "primary"));
    let mut b = Node::start(&exe, &nb, free_port(), &node_env(&c, &nb, port, "standby"));
    wait_peers(&na, &[&nb], &c);
    wait_peers(&nb, &[&na], &c);
    // The status lists a peer from its session's start; placement uses converged peers (after
    // its SYNC_DONE), a few frames later: wait until a count-2 request is accepted.
    let end = std::time::Instant::now() + DEADLINE;
    while a.get("/todos").status != 200 || b.get("/todos").status != 200 {
        assert!(
            std::time::Instant::now() < end,
            "count-2 routes never accepted"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    // n defaulted (2): two successive requests to one node, each 200 with its own key; the
    // record is completed on the owner, mirrored on the replica, the same on both nodes.
    let mut keys = Vec::new();
    for _ in 0..2 {
        let r = a.get("/todos");
        assert_eq!(r.status, 200, "{r:?}");
        assert_eq!(r.body, r#"{"page":"1","path":"/todos","todos":[]}"#);
        assert_eq!(r.header("x-handler"), Some("list"));
        let key = r.key();
        assert!(
            key.starts_with("http-route::Api.Todos.handle_list_todos::"),
            "{key}"
        );
        keys.push(key);
    }
    assert_ne!(keys[0], keys[1]);
    for key in &keys {
        let on_a = wait_record(&na, key, &c, settled);
        let on_b = wait_record(&nb, key, &c, |r| r["phase"] == "completed");
        for r in [&on_a, &on_b] {
            assert_eq!(s(r, "phase"), "completed", "{r}");
            assert_eq!(s(r, "result"), "succeeded", "{r}");
            assert_eq!(r["replication_count"], 2, "{r}");
            assert_ne!(s(r, "owner_node"), s(r, "replica_node"), "{r}");
            let mut members = [s(r, "owner_node"), s(r, "replica_node")];
            members.sort();
            let mut want = [na.as_str(), nb.as_str()];
            want.sort();
            assert_eq!(members, want, "{r}");
            assert_eq!(s(r, "execution_node"), s(r, "owner_node"), "{r}");
            assert_eq!(s(r, "replica_status"), "mirrored", "{r}");
            assert_eq!(s(r, "error"), "", "{r}");
            assert_eq!(s(r, "ingress_node"), na, "{r}");
            assert_eq!(
                s(r, "declared_handler_runtime_name"),
                "Api.Todos.handle_list_todos"
            );
            assert_eq!(
                r["routed_remotely"].as_bool(),
                Some(s(r, "owner_node") != na),
                "{r}"
            );
        }
        assert_eq!(comparable(&on_a), comparable(&on_b));
    }

    // Count 3: 503 with a key, the record rejected on both nodes.
    let r = a.get("/todos/retry");
    assert_eq!(r.status, 503, "{r:?}");
    assert_eq!(r.body, r#"{"error":"unsupported_replication_count:3"}"#);
    let key3 = r.key();
    assert!(key3.starts_with("http-route::Api.Todos.handle_retry::"));
    for target in [&na, &nb] {
        let rec = wait_record(target, &key3, &c, |r| r["phase"] == "rejected");
        assert_eq!(s(&rec, "result"), "rejected");
        assert_eq!(s(&rec, "error"), "unsupported_replication_count:3");
        assert_eq!(rec["replication_count"], 3);
    }

    // A request entering at a node that is not its owner runs on the owner (ROUTE_CALL over
    // the session) with the same response as one run where it entered; both ingress nodes.
    for (ingress, name) in [(&a, &na), (&b, &nb)] {
        let (mut remote, mut local) = (None, None);
        for _ in 0..24 {
            let r = ingress.get("/todos?page=2");
            assert_eq!(r.status, 200, "{r:?}");
            let rec = wait_record(name, &r.key(), &c, |r| r["phase"] == "completed");
            if rec["routed_remotely"] == true {
                assert_ne!(s(&rec, "execution_node"), name.as_str());
                assert_eq!(s(&rec, "execution_node"), s(&rec, "owner_node"));
                assert_eq!(s(&rec, "ingress_node"), name.as_str());
                assert_eq!(rec["fell_back_locally"], false);
                remote = Some(r);
            } else {
                assert_eq!(s(&rec, "execution_node"), name.as_str());
                assert_eq!(rec["fell_back_locally"], true);
                local = Some(r);
            }
            if remote.is_some() && local.is_some() {
                break;
            }
        }
        let (remote, local) = (
            remote.expect("some request was routed remotely"),
            local.expect("some request ran locally"),
        );
        assert_eq!(remote.body, local.body);
        assert_eq!(remote.body, r#"{"page":"2","path":"/todos","todos":[]}"#);
        assert_eq!(remote.header("x-handler"), Some("list"));
    }

    // A remote call without a reply within 5 s: 503 clustered_route_timeout with the key (the
    // handler sleeps only where the request did not enter).
    let mut timed_out = None;
    for _ in 0..24 {
        let r = http(
            a.http_port,
            "GET",
            "/slow",
            &[("x-ingress", na.as_str())],
            "",
        );
        if r.status == 503 {
            timed_out = Some(r);
            break;
        }
        assert_eq!((r.status, r.body.as_str()), (200, "slow"), "{r:?}");
    }
    let r = timed_out.expect("some /slow request was routed remotely");
    assert_eq!(r.body, r#"{"error":"clustered_route_timeout"}"#);
    let key = r.key();
    assert!(key.starts_with("http-route::Api.Todos.handle_slow::"));
    a.wait(
        &format!("request_key={key} owner={nb} reason=clustered_route_timeout"),
        DEADLINE,
    );
    // The owner's handler returns after the caller gave up: the record is rejected with the
    // reason the client saw, on both nodes.
    for target in [&nb, &na] {
        let rec = wait_record(target, &key, &c, |r| r["phase"] == "rejected");
        assert_eq!(s(&rec, "error"), "clustered_route_timeout", "{rec}");
        assert_eq!(s(&rec, "owner_node"), nb.as_str(), "{rec}");
        assert_eq!(rec["routed_remotely"], true, "{rec}");
    }

    let logs = format!("{}{}", a.logs(), b.logs());
    assert!(
        logs.contains("unsupported_replication_count:3"),
        "the reason is in a node log"
    );
    assert!(!logs.contains(&c), "no log contains the cookie");

    // The owner is lost while it runs a remote call: 503
    // clustered_route_owner_unavailable:<owner> with the key, at once (not after 5 s).
    let port_a = a.http_port;
    let mut tries = 0;
    let lost = loop {
        tries += 1;
        assert!(tries <= 24, "no /slow request was routed to the standby");
        let ingress = na.clone();
        let call = std::thread::spawn(move || {
            http(
                port_a,
                "GET",
                "/slow",
                &[("x-ingress", ingress.as_str())],
                "",
            )
        });
        std::thread::sleep(std::time::Duration::from_millis(1_000));
        if call.is_finished() {
            let r = call.join().expect("request thread");
            assert_eq!((r.status, r.body.as_str()), (200, "slow"), "{r:?}");
            continue;
        }
        let killed = std::time::Instant::now();
        b.kill();
        let r = call.join().expect("request thread");
        assert!(
            killed.elapsed() < std::time::Duration::from_secs(3),
            "{r:?}"
        );
        break r;
    };
    assert_eq!(lost.status, 503, "{lost:?}");
    assert_eq!(
        lost.body,
        format!(r#"{{"error":"clustered_route_owner_unavailable:{nb}"}}"#)
    );
    assert!(lost
        .key()
        .starts_with("http-route::Api.Todos.handle_slow::"));
}

//! A partition of a real two-node cluster (issue 19 item 7; runtime-cluster §6): the primary
//! and the standby run in two network namespaces joined by a veth pair. Cutting the link
//! (the interface goes down: no FIN, no RST) makes each side lose the other after the
//! heartbeat timeout; the standby promotes itself (epoch 1) while the old primary, cut off,
//! stays primary at epoch 0 — a split brain. When the link comes back, the standby's
//! discovery dials the old primary again, the authorities meet, and the lower epoch gives way:
//! the old primary is fenced (`fenced_rejoin`, standby at epoch 1), one primary remains, and
//! both hold the same completed startup record. Every state is read with `meshc cluster …
//! --json` run inside the node's namespace. Needs root for `ip netns` (CI runs as root).

#[path = "support/node.rs"]
mod node;
#[path = "support/cluster.rs"]
mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::*;

/// Runs `ip` with `args`; panics with its output when it fails.
fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("ip runs");
    assert!(
        out.status.success(),
        "ip {args:?} failed (network namespaces are required): {}",
        text(&out.stderr)
    );
}

/// Two namespaces joined by a veth pair (10.214.0.1 and 10.214.0.2); removed on drop.
struct Link {
    ns: [String; 2],
    veth: [String; 2],
}

impl Link {
    fn new() -> Link {
        let tag = std::process::id() % 100_000;
        let link = Link {
            ns: [format!("mpA{tag}"), format!("mpB{tag}")],
            veth: [format!("vpA{tag}"), format!("vpB{tag}")],
        };
        let ([a, b], [va, vb]) = (&link.ns, &link.veth);
        ip(&["netns", "add", a]);
        ip(&["netns", "add", b]);
        ip(&["link", "add", va, "type", "veth", "peer", "name", vb]);
        ip(&["link", "set", va, "netns", a]);
        ip(&["link", "set", vb, "netns", b]);
        ip(&["-n", a, "addr", "add", "10.214.0.1/24", "dev", va]);
        ip(&["-n", b, "addr", "add", "10.214.0.2/24", "dev", vb]);
        for (n, v) in [(a, va), (b, vb)] {
            ip(&["-n", n, "link", "set", v, "up"]);
            ip(&["-n", n, "link", "set", "lo", "up"]);
        }
        link
    }

    /// Takes the first namespace's end down: packets vanish in both directions.
    fn cut(&self) {
        ip(&["-n", &self.ns[0], "link", "set", &self.veth[0], "down"]);
    }

    /// Brings it back up (the address stays configured).
    fn heal(&self) {
        ip(&["-n", &self.ns[0], "link", "set", &self.veth[0], "up"]);
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        for n in &self.ns {
            let _ = Command::new("ip").args(["netns", "delete", n]).output();
        }
    }
}

/// A one-line wrapper that runs `exe` inside namespace `ns` (the environment passes through).
fn in_ns(dir: &Path, ns: &str, exe: &Path) -> PathBuf {
    let path = dir.join(format!("in-{ns}"));
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nexec ip netns exec {ns} {} \"$@\"\n",
            exe.display()
        ),
    )
    .expect("wrapper written");
    let mut perms = std::fs::metadata(&path).expect("wrapper").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&path, perms).expect("wrapper executable");
    path
}

/// `meshc cluster ARGS… --json` inside namespace `ns`; `None` when the query fails.
fn query(ns: &str, args: &[&str], cookie: &str) -> Option<Value> {
    let out: Output = Command::new("ip")
        .args(["netns", "exec", ns])
        .arg(env!("CARGO_BIN_EXE_meshc"))
        .arg("cluster")
        .args(args)
        .args(["--json", "--timeout-ms", "2000"])
        .env("MESH_CLUSTER_COOKIE", cookie)
        .output()
        .expect("meshc runs");
    if !out.status.success() {
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

/// Polls a query in namespace `ns` until `ok` holds; panics with the last answer after `secs`.
fn until(
    ns: &str,
    args: &[&str],
    cookie: &str,
    what: &str,
    secs: u64,
    ok: impl Fn(&Value) -> bool,
) -> Value {
    let end = Instant::now() + Duration::from_secs(secs);
    let mut last = None;
    while Instant::now() < end {
        if let Some(v) = query(ns, args, cookie) {
            if ok(&v) {
                return v;
            }
            last = Some(v);
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    panic!("{args:?} in {ns}: never {what} within {secs} s; last answer: {last:?}");
}

fn role(v: &Value) -> (&str, i64) {
    let a = &v["authority"];
    (
        a["cluster_role"].as_str().unwrap_or(""),
        a["promotion_epoch"].as_i64().unwrap_or(-1),
    )
}

fn peers(v: &Value) -> Vec<&str> {
    v["membership"]["peer_nodes"]
        .as_array()
        .map(|p| p.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn a_partition_splits_the_brain_and_healing_fences_the_old_primary() {
    let dir = scratch("cluster_partition");
    let app = dir.join("app");
    build(&repo_root().join("tests/fixtures/cluster/startup"), &app);
    let link = Link::new();
    let cookie = cookie("partition");
    let port = 4370;
    let (na, nb) = (
        format!("a@10.214.0.1:{port}"),
        format!("b@10.214.0.2:{port}"),
    );
    let env = |name: &str, role: &str| {
        // Both nodes discover through the primary's address (an IP literal seed).
        let mut env = seeded_env(&cookie, name, port, "10.214.0.1");
        env.push(("MESH_CONTINUITY_ROLE", role.to_string()));
        env.push(("MESH_NODE_DOWN_AFTER_MS", "1000".into()));
        env
    };
    let a = NodeProc::start(&in_ns(&dir, &link.ns[0], &app), &na, &env(&na, "primary"));
    let b = NodeProc::start(&in_ns(&dir, &link.ns[1], &app), &nb, &env(&nb, "standby"));
    let (ns_a, ns_b) = (link.ns[0].as_str(), link.ns[1].as_str());
    let key = "startup::Work.add";

    // Formed: the startup record completed and mirrored on both.
    for (ns, node) in [(ns_a, &na), (ns_b, &nb)] {
        until(
            ns,
            &["continuity", node, key],
            &cookie,
            "completed",
            20,
            |v| v["record"]["phase"] == "completed" && v["record"]["replica_status"] == "mirrored",
        );
    }
    let s = until(ns_a, &["status", &na], &cookie, "healthy", 20, |v| {
        peers(v) == [nb.as_str()]
    });
    assert_eq!(role(&s), ("primary", 0));

    // Cut: after the heartbeat timeout each side is alone; the standby promotes itself and
    // the old primary, cut off, stays primary at epoch 0.
    link.cut();
    until(ns_b, &["status", &nb], &cookie, "promoted", 10, |v| {
        role(v) == ("primary", 1) && peers(v).is_empty()
    });
    let s = until(ns_a, &["status", &na], &cookie, "alone", 10, |v| {
        peers(v).is_empty()
    });
    assert_eq!(
        role(&s),
        ("primary", 0),
        "split brain: both are primary: {s}"
    );
    b.wait_for("transition=automatic_promotion");

    // Heal: the standby's discovery dials the old primary again; the higher epoch wins.
    link.heal();
    let s = until(ns_a, &["status", &na], &cookie, "fenced", 20, |v| {
        role(v) == ("standby", 1) && peers(v) == [nb.as_str()]
    });
    assert_eq!(s["membership"]["local_node"], na.as_str());
    let s = until(ns_b, &["status", &nb], &cookie, "rejoined", 20, |v| {
        peers(v) == [na.as_str()]
    });
    assert_eq!(role(&s), ("primary", 1), "one primary after healing: {s}");
    let diag = until(
        ns_a,
        &["diagnostics", &na],
        &cookie,
        "fenced_rejoin",
        10,
        |v| transitions(v).iter().any(|t| t == "fenced_rejoin"),
    );
    let fenced: Vec<&Value> = diag["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["transition"] == "fenced_rejoin")
        .collect();
    let meta = |e: &Value, k: &str| {
        e["metadata"]
            .as_array()
            .and_then(|m| m.iter().find(|p| p["key"] == k))
            .and_then(|p| p["value"].as_str().map(str::to_string))
    };
    assert!(
        fenced
            .iter()
            .any(|e| meta(e, "previous_role").as_deref() == Some("primary")
                && meta(e, "previous_epoch").as_deref() == Some("0")),
        "fenced_rejoin with previous_role=primary previous_epoch=0: {diag}"
    );

    // Both hold the same completed startup record; the work ran once per node at most (it
    // completed before the cut, so the promotion had nothing to recover).
    let ra = until(
        ns_a,
        &["continuity", &na, key],
        &cookie,
        "the record",
        10,
        |_| true,
    );
    let rb = until(
        ns_b,
        &["continuity", &nb, key],
        &cookie,
        "the record",
        10,
        |_| true,
    );
    for f in [
        "attempt_id",
        "phase",
        "result",
        "owner_node",
        "execution_node",
        "error",
    ] {
        assert_eq!(ra["record"][f], rb["record"][f], "{f}: {ra} vs {rb}");
    }
    assert_eq!(ra["record"]["phase"], "completed");
    assert_eq!(
        a.out().matches("[work] add ran").count() + b.out().matches("[work] add ran").count(),
        1
    );
    assert_no_secret(&[&a.err(), &b.err(), &a.out(), &b.out()], &[&cookie]);
}

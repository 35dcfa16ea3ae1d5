//! runtime-cluster §10 with real node processes on loopback, observed through
//! `meshc cluster … --json` (every wait polls with a 20 s deadline): the primary is
//! `…@127.0.0.1:P`, the standby `…@[::1]:P`, seed `localhost`. §10.2 (bootstrap strings)
//! lives in `tests/dist.rs` (`bootstrap_results_and_error_strings`), §10.10–§10.11 in the
//! clustered-HTTP suites.
//!
//! The operator-protocol tests run the node program of `tests/dist.rs`
//! (`tests/fixtures/dist/node.mpl`, kept alive by its open stdin); the startup-work tests run
//! `tests/fixtures/cluster/app` (the scaffold's shape, with a line printed per execution so
//! runs can be counted) and the `meshc init --clustered` scaffold itself.
//!
//! The routes half of §10.9 (`N = 1` routes keep answering after an idle failover) is
//! `e2e_clustered_http.rs::after_idle_failover_n1_routes_keep_answering`; a network partition
//! of a real two-node cluster and its healing by fencing is `cluster_partition.rs`.

#[path = "support/node.rs"]
mod node;
#[path = "support/cluster.rs"]
mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use support::*;

/// The plain node program (no declared work), built once.
fn plain_node() -> &'static PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        let dir = scratch("e2e_cluster_plain");
        let exe = dir.join("node");
        build(&repo_root().join("tests/fixtures/dist/node.mpl"), &exe);
        exe
    })
}

/// Primary on 127.0.0.1:P and standby on [::1]:P running `exe`.
fn pair(exe: &Path, cookie: &str, extra: &[(&'static str, String)]) -> (NodeProc, NodeProc) {
    let port = free_port();
    let p_name = format!("primary@127.0.0.1:{port}");
    let s_name = format!("standby@[::1]:{port}");
    let mut p_env = node_env(cookie, &p_name, port, "primary");
    let mut s_env = node_env(cookie, &s_name, port, "standby");
    p_env.extend_from_slice(extra);
    s_env.extend_from_slice(extra);
    let primary = NodeProc::start(exe, &p_name, &p_env);
    let standby = NodeProc::start(exe, &s_name, &s_env);
    (primary, standby)
}

/// The name part of the operator's identity.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// Status shows `me` with exactly `peer` as its peer.
fn sees_only(v: &Value, me: &str, peer: &str) -> bool {
    v["membership"]["local_node"] == me
        && strings(&v["membership"]["peer_nodes"]) == [peer.to_string()]
        && strings(&v["membership"]["nodes"]) == sorted(vec![me.to_string(), peer.to_string()])
}

/// §10.3 (membership and authority part) and §10.12's status shape, human form, `--connect`,
/// a wrong target name, an unknown key, and that operators never join membership.
#[test]
fn two_nodes_form_and_operators_observe_them() {
    let cookie = cookie("form");
    let (mut primary, standby) = pair(plain_node(), &cookie, &[]);
    let (p, s) = (primary.name.clone(), standby.name.clone());
    let st = poll(&["status", &p], &cookie, "showing the standby", |v| {
        sees_only(v, &p, &s)
    });
    assert_eq!(keys(&st), ["target", "membership", "authority"]);
    assert_eq!(
        keys(&st["membership"]),
        ["local_node", "peer_nodes", "nodes"]
    );
    assert_eq!(
        keys(&st["authority"]),
        ["cluster_role", "promotion_epoch", "replication_health"]
    );
    assert_eq!(st["target"], p.as_str());
    assert_eq!(st["authority"]["cluster_role"], "primary");
    assert_eq!(st["authority"]["promotion_epoch"], 0);
    let ss = poll(&["status", &s], &cookie, "showing the primary", |v| {
        sees_only(v, &s, &p)
    });
    assert_eq!(ss["authority"]["cluster_role"], "standby");
    assert_eq!(ss["authority"]["promotion_epoch"], 0);
    primary.wait_for(&format!("mesh node: connected peer={s}"));
    standby.wait_for(&format!("mesh node: connected peer={p}"));

    // The human form.
    let out = cluster(&["status", &s], &cookie);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "target: {s}\nlocal_node: {s}\npeer_nodes:\n- {p}\nnodes:\n{}cluster_role: standby\n\
             promotion_epoch: 0\nreplication_health: {}\n",
            sorted(vec![p.clone(), s.clone()])
                .iter()
                .map(|n| format!("- {n}\n"))
                .collect::<String>(),
            ss["authority"]["replication_health"]
                .as_str()
                .unwrap_or("?"),
        )
    );
    // The cookie through --cookie instead of the environment.
    let out = meshc()
        .args(["cluster", "status", &p, "--json", "--cookie", &cookie])
        .output()
        .expect("meshc runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["target"], p.as_str());
    assert!(
        !text(&out.stdout).contains('\u{1b}'),
        "no ANSI escapes in JSON"
    );

    // --connect: dial the standby's address while addressing it by name.
    let port = s.rsplit(':').next().expect("port");
    let v = cluster_json(
        &["status", &s, "--connect", &format!("[::1]:{port}")],
        &cookie,
    );
    assert_eq!(v["membership"]["local_node"], s.as_str());
    // Dialling the primary's address while naming the standby is refused by name.
    let out = cluster(
        &["status", &s, "--connect", &format!("127.0.0.1:{port}")],
        &cookie,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: cluster query to {s} failed: handshake failed: name_mismatch (the node is {p})\n"
        )
    );

    // An unknown key; the list and diagnostics shapes.
    let out = cluster(&["continuity", &p, "startup::Nope.nothing"], &cookie);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!("error: no continuity record 'startup::Nope.nothing' on {p}\n")
    );
    let list = cluster_json(&["continuity", &p], &cookie);
    assert_eq!(
        keys(&list),
        ["target", "total_records", "truncated", "records"]
    );
    let diag = cluster_json(&["diagnostics", &s, "--limit", "5"], &cookie);
    assert_eq!(
        keys(&diag),
        [
            "target",
            "total_entries",
            "dropped_entries",
            "buffer_capacity",
            "truncated",
            "entries"
        ]
    );
    assert_eq!(diag["buffer_capacity"], 128);

    // A stalled client and a garbage one do not hold up operators: each connection has its
    // own process, and the node survives both.
    let port_p = p.rsplit(':').next().expect("port");
    let stalled = std::net::TcpStream::connect(format!("127.0.0.1:{port_p}")).expect("connect");
    let mut garbage = std::net::TcpStream::connect(format!("127.0.0.1:{port_p}")).expect("connect");
    std::io::Write::write_all(&mut garbage, &[0, 0, 0, 9, 1, 0xff, 0xfe, 0, 1, 2, 3, 4, 5])
        .expect("write");
    let started = std::time::Instant::now();
    let v = cluster_json(&["status", &p, "--timeout-ms", "2000"], &cookie);
    assert_eq!(v["target"], p.as_str());
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    drop((stalled, garbage));

    // Operators never join: still exactly one peer on each side, no connect/nodeup for them.
    let operator = format!("mesh-operator@{}", hostname());
    primary.send_line(&format!("nodemon {operator}"));
    primary.wait_for("node monitor set");
    cluster_json(&["status", &p], &cookie);
    let st = cluster_json(&["status", &p], &cookie);
    assert!(sees_only(&st, &p, &s), "{st}");
    let ss = cluster_json(&["status", &s], &cookie);
    assert!(sees_only(&ss, &s, &p), "{ss}");
    for node in [&primary, &standby] {
        let err = node.err();
        assert!(!err.contains("connected peer=mesh-operator"), "{err}");
        assert!(!node.out().contains("node event"), "{}", node.out());
        assert!(
            err.contains("mesh node: operator query kind=status from="),
            "{err}"
        );
        assert!(err.contains(" result=ok"), "{err}");
    }
    let perr = primary.err();
    assert!(
        perr.contains("mesh node: operator query kind=continuity_lookup from=")
            && perr.contains("kind=continuity_lookup from=")
            && perr
                .lines()
                .any(|l| l.contains("kind=continuity_lookup") && l.ends_with("result=error")),
        "{perr}"
    );
    assert_no_secret(
        &[&primary.out(), &perr, &standby.out(), &standby.err()],
        &[&cookie],
    );
}

/// §10.4: a wrong cookie — `meshc cluster status --cookie wrong` exits 1 with
/// `authentication failed`, the node logs `handshake rejected … reason=auth_failed`, a
/// third node with a wrong cookie never appears in `nodes`, and neither cookie is printed.
#[test]
fn a_wrong_cookie_is_refused() {
    let cookie = cookie("right");
    let wrong = cookie.replace("right", "wrong");
    let (primary, standby) = pair(plain_node(), &cookie, &[]);
    let (p, s) = (primary.name.clone(), standby.name.clone());
    poll(&["status", &p], &cookie, "showing the standby", |v| {
        sees_only(v, &p, &s)
    });

    let out = meshc()
        .args(["cluster", "status", &p, "--cookie", &wrong])
        .output()
        .expect("meshc runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: cluster query to {p} failed: handshake failed: authentication failed (cookie mismatch)\n"
        )
    );
    primary.wait_for("purpose=operator reason=auth_failed");
    let line = primary
        .err()
        .lines()
        .find(|l| l.contains("purpose=operator reason=auth_failed"))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        line.starts_with("mesh node: handshake rejected remote=")
            && line.contains(" claimed_name=mesh-operator@"),
        "{line}"
    );

    // A third node with the wrong cookie on 127.0.0.2:P (the seed leads it to the primary):
    // it keeps trying and is refused every time.
    let port = p
        .rsplit(':')
        .next()
        .and_then(|x| x.parse::<u16>().ok())
        .expect("port");
    let intruder_name = format!("intruder@127.0.0.2:{port}");
    let intruder = NodeProc::start(
        plain_node(),
        &intruder_name,
        &node_env(&wrong, &intruder_name, port, "primary"),
    );
    intruder.wait_for("reason=authentication failed (cookie mismatch)");
    primary.wait_for(&format!(
        "claimed_name={intruder_name} purpose=node reason=auth_failed"
    ));
    for target in [&p, &s] {
        let v = cluster_json(&["status", target], &cookie);
        let nodes = strings(&v["membership"]["nodes"]);
        assert_eq!(nodes, sorted(vec![p.clone(), s.clone()]), "{v}");
    }
    let outputs = [
        primary.out(),
        primary.err(),
        standby.out(),
        standby.err(),
        intruder.out(),
        intruder.err(),
        text(&out.stderr),
    ];
    let refs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    assert_no_secret(&refs, &[&cookie, &wrong]);
}

// ---------------------------------------------------------------------------------------
// Declared startup work (the app of tests/fixtures/cluster/app: `Work.add`).

const KEY: &str = "startup::Work.add";
const RAN: &str = "[app] work ran Work.add on ";

/// The clustered app, built once.
fn app() -> &'static PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        let dir = scratch("e2e_cluster_app");
        let exe = dir.join("app");
        build(&repo_root().join("tests/fixtures/cluster/app"), &exe);
        exe
    })
}

fn record(node: &str, cookie: &str) -> Value {
    cluster_json(&["continuity", node, KEY], cookie)["record"].clone()
}

/// A continuity list of one untruncated record: the startup work, completed by `p` and
/// mirrored on `s`, without error.
fn assert_mirrored_completion(list: &Value, p: &str, s: &str) {
    assert_eq!(list["truncated"], false);
    let r = &list["records"][0];
    assert_eq!(r["request_key"], KEY);
    assert!(completed_by(r, p), "{r}");
    assert_eq!(r["replica_node"], s);
    assert_eq!(r["replica_status"], "mirrored");
    assert_eq!(r["error"], "");
}

fn diagnostics(node: &str, cookie: &str) -> Value {
    cluster_json(&["diagnostics", node], cookie)
}

fn runs(nodes: &[&NodeProc]) -> usize {
    nodes.iter().map(|n| n.out().matches(RAN).count()).sum()
}

/// §10.1: standalone — `mode=standalone`, no listener, `Work.add` completes locally as
/// `standalone@local` with `local_only` health (`Continuity.status` in the program and the
/// runtime's log lines), and the route-free program exits 0.
#[test]
fn standalone_runs_startup_work_locally_and_exits() {
    let out = std::process::Command::new(app())
        .env_remove("MESH_CLUSTER_COOKIE")
        .env_remove("MESH_DISCOVERY_SEED")
        .env_remove("MESH_NODE_NAME")
        .env_remove("MESH_CLUSTER_PORT")
        .output()
        .expect("the app runs");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "[app] runtime bootstrap mode=standalone node= cluster_port=4370 discovery_seed=\n"
        ),
        "{stdout}"
    );
    assert!(!stderr.contains("mesh node: listening"), "{stderr}");
    assert_eq!(stdout.matches(RAN).count(), 1, "{stdout}");
    // Continuity.status("startup::Work.add") as the program saw it.
    assert!(
        stdout.contains(&format!(
            "[app] continuity key={KEY} phase=completed result=succeeded owner=standalone@local \
             execution=standalone@local health=local_only error=\n"
        )),
        "{stdout}"
    );
    let completed = stderr
        .lines()
        .find(|l| {
            l.starts_with("[mesh-rt continuity] transition=completed ")
                && l.contains(&format!("request_key={KEY} "))
        })
        .unwrap_or_else(|| panic!("no completed line:\n{stderr}"));
    for field in [
        "owner=standalone@local",
        "replication_health=local_only",
        "phase=completed",
    ] {
        assert!(completed.contains(field), "{completed}");
    }
    assert!(
        stderr.contains("[mesh-rt startup] transition=startup_completed runtime_name=Work.add"),
        "{stderr}"
    );
}

/// §10.3 (with startup work mirrored: `replication_health=healthy`), §10.5 (startup work once
/// cluster-wide) and §10.6 (continuity list and record shapes, human forms, errors).
#[test]
fn startup_work_runs_once_and_records_have_their_shapes() {
    let cookie = cookie("once");
    let (primary, standby) = pair(app(), &cookie, &[]);
    let (p, s) = (primary.name.clone(), standby.name.clone());
    for (node, owner) in [(&p, &p), (&s, &p)] {
        poll_record(node, KEY, &cookie, "completed by the primary", |r| {
            completed_by(r, owner)
        });
    }
    // §10.3.
    for (me, peer, role) in [(&p, &s, "primary"), (&s, &p, "standby")] {
        let st = poll(&["status", me], &cookie, "healthy", |v| {
            v["authority"]["replication_health"] == "healthy"
        });
        assert!(sees_only(&st, me, peer), "{st}");
        assert_eq!(st["authority"]["cluster_role"], role);
        assert_eq!(st["authority"]["promotion_epoch"], 0);
    }
    primary.wait_for(&format!("mesh node: connected peer={s}"));
    standby.wait_for(&format!("mesh node: connected peer={p}"));

    // §10.5: one record on each node, mirrored, the work ran once.
    for node in [&p, &s] {
        let list = cluster_json(&["continuity", node], &cookie);
        assert_eq!(
            keys(&list),
            ["target", "total_records", "truncated", "records"]
        );
        assert_eq!(list["target"], node.as_str());
        assert_eq!(list["total_records"], 1, "{list}");
        assert_mirrored_completion(&list, &p, &s);
    }
    let (dp, ds) = (diagnostics(&p, &cookie), diagnostics(&s, &cookie));
    let count = |name: &str| entries(&dp, name).len() + entries(&ds, name).len();
    assert_eq!(count("startup_trigger"), 1, "{dp}\n{ds}");
    assert_eq!(count("startup_completed"), 1, "{dp}\n{ds}");
    assert_eq!(count("startup_rejected"), 0);
    assert_eq!(count("startup_convergence_timeout"), 0);
    assert!(!entries(&ds, "startup_skipped").is_empty(), "{ds}");
    assert_eq!(runs(&[&primary, &standby]), 1);

    // §10.6: the lookup shape, all 18 fields, no nulls.
    let lookup = cluster_json(&["continuity", &s, KEY], &cookie);
    assert_eq!(keys(&lookup), ["target", "record"]);
    let r = &lookup["record"];
    assert_eq!(
        keys(r),
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
            "error"
        ]
    );
    assert!(r
        .as_object()
        .is_some_and(|o| o.values().all(|v| !v.is_null())));
    assert_eq!(r["payload_hash"], "startup-payload::Work.add");
    assert_eq!(r["declared_handler_runtime_name"], "Work.add");
    assert_eq!(r["cluster_role"], "standby");
    assert_eq!(r["replication_count"], 2);
    // Human forms.
    let out = cluster(&["continuity", &s, KEY], &cookie);
    assert!(out.status.success());
    let human = text(&out.stdout);
    assert!(
        human.starts_with(&format!("target: {s}\nrequest_key: {KEY}\n")),
        "{human}"
    );
    assert_eq!(human.lines().count(), 19, "{human}");
    assert!(human.contains("\nreplica_status: mirrored\n"), "{human}");
    assert!(human.contains("\nerror: \n"), "{human}");
    let out = cluster(&["continuity", &p], &cookie);
    assert!(out.status.success());
    let human = text(&out.stdout);
    let line = human
        .lines()
        .find(|l| l.starts_with("- "))
        .unwrap_or_else(|| panic!("no record line: {human}"));
    assert!(
        line.starts_with(&format!(
            "- request_key={KEY} attempt_id={} phase=completed result=succeeded owner={p} replica={s} ",
            r["attempt_id"].as_str().unwrap_or("?")
        )),
        "{line}"
    );
    // Errors.
    let out = cluster(&["continuity", &p, KEY, "--limit", "1"], &cookie);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: --limit cannot be used with a request key\n"
    );
    let out = cluster(&["continuity", &p, "startup::Work.nope", "--json"], &cookie);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        format!("error: no continuity record 'startup::Work.nope' on {p}\n")
    );
    assert_no_secret(
        &[
            &primary.out(),
            &primary.err(),
            &standby.out(),
            &standby.err(),
        ],
        &[&cookie],
    );
}

/// §10.7 (failover during the dispatch window) then §10.8 (fenced rejoin of the old primary).
#[test]
fn failover_in_the_dispatch_window_then_fenced_rejoin() {
    let cookie = cookie("failover");
    let delay = [("MESH_STARTUP_WORK_DELAY_MS", "20000".to_string())];
    let port = free_port();
    let p = format!("primary@127.0.0.1:{port}");
    let s = format!("standby@[::1]:{port}");
    let mut p_env = node_env(&cookie, &p, port, "primary");
    p_env.extend_from_slice(&delay);
    let mut s_env = node_env(&cookie, &s, port, "standby");
    s_env.extend_from_slice(&delay);
    let mut primary = NodeProc::start(app(), &p, &p_env);
    let standby = NodeProc::start(app(), &s, &s_env);

    // Before the kill: pending on both, in the window.
    let rp = poll_record(&p, KEY, &cookie, "pending and prepared", |r| {
        r["phase"] == "submitted"
            && (r["replica_status"] == "preparing" || r["replica_status"] == "mirrored")
    });
    let rs = poll_record(&s, KEY, &cookie, "mirrored on the standby", |r| {
        r["phase"] == "submitted" && r["replica_status"] == "mirrored"
    });
    for r in [&rp, &rs] {
        assert_eq!(r["result"], "pending");
        assert_eq!(r["owner_node"], p.as_str());
        assert_eq!(r["replica_node"], s.as_str());
    }
    let original = rs["attempt_id"].as_str().unwrap_or_default().to_string();
    let dp = poll(
        &["diagnostics", &p],
        &cookie,
        "in the dispatch window",
        |d| !entries(d, "startup_dispatch_window").is_empty(),
    );
    let windows = entries(&dp, "startup_dispatch_window");
    assert_eq!(windows.len(), 1, "{dp}");
    assert_eq!(meta(windows[0], "pending_window_ms"), Some("20000"));
    assert!(entries(&dp, "startup_completed").is_empty());
    assert_eq!(runs(&[&primary, &standby]), 0);

    primary.kill();
    // The standby promotes within 10 s.
    let started = std::time::Instant::now();
    let st = poll(&["status", &s], &cookie, "promoted", |v| {
        v["authority"]["cluster_role"] == "primary"
    });
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(st["authority"]["promotion_epoch"], 1);
    assert_eq!(
        strings(&st["membership"]["peer_nodes"]),
        Vec::<String>::new()
    );
    let r = poll_record(&s, KEY, &cookie, "completed by the standby", |r| {
        completed_by(r, &s)
    });
    assert_ne!(r["attempt_id"], original.as_str());
    assert_eq!(r["replica_node"], "");
    assert_eq!(r["promotion_epoch"], 1);
    assert_eq!(r["error"], "");
    let ds = cluster_json(&["diagnostics", &s], &cookie);
    let promotion = entries(&ds, "automatic_promotion");
    assert_eq!(promotion.len(), 1, "{ds}");
    assert_eq!(promotion[0]["reason"], format!("peer_lost:{p}"));
    assert_eq!(meta(promotion[0], "previous_epoch"), Some("0"));
    let rollover = entries(&ds, "recovery_rollover");
    assert!(!rollover.is_empty(), "{ds}");
    assert_eq!(
        meta(rollover[0], "previous_attempt_id"),
        Some(original.as_str())
    );
    let recovery = entries(&ds, "automatic_recovery");
    assert_eq!(recovery.len(), 1, "{ds}");
    assert_eq!(
        meta(recovery[0], "previous_attempt_id"),
        Some(original.as_str())
    );
    assert_eq!(meta(recovery[0], "runtime_name"), Some("Work.add"));
    let failover_attempt = r["attempt_id"].as_str().unwrap_or_default().to_string();
    assert!(runs(&[&primary, &standby]) <= 2);
    assert_eq!(entries(&ds, "completed").len(), 1, "{ds}");

    // §10.8: the old primary comes back with its original env.
    let rejoined = NodeProc::start(app(), &p, &p_env);
    let st = poll(&["status", &p], &cookie, "fenced", |v| {
        v["authority"]["cluster_role"] == "standby"
            && v["authority"]["promotion_epoch"] == 1
            && strings(&v["membership"]["peer_nodes"]) == [s.clone()]
    });
    assert_eq!(st["membership"]["local_node"], p.as_str());
    let ss = cluster_json(&["status", &s], &cookie);
    assert_eq!(ss["authority"]["cluster_role"], "primary");
    assert_eq!(ss["authority"]["promotion_epoch"], 1);
    let r = poll_record(&p, KEY, &cookie, "the failover's record", |r| {
        r["attempt_id"] == failover_attempt.as_str()
    });
    assert!(completed_by(&r, &s), "{r}");
    assert_eq!(r["cluster_role"], "standby");
    let (dp, keyed) = poll_keyed_entry(&p, KEY, "fenced_rejoin", &cookie);
    assert_eq!(keyed["attempt_id"], failover_attempt.as_str());
    assert_eq!(meta(&keyed, "previous_role"), Some("primary"));
    assert_eq!(meta(&keyed, "previous_epoch"), Some("0"));
    assert!(entries(&dp, "startup_completed").is_empty(), "{dp}");
    assert_eq!(rejoined.out().matches(RAN).count(), 0);
    let outputs = [
        primary.err(),
        standby.err(),
        rejoined.err(),
        primary.out(),
        standby.out(),
        rejoined.out(),
    ];
    let refs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    assert_no_secret(&refs, &[&cookie]);
}

/// §10.9: idle failover — after startup work completed, killing the primary still promotes
/// the standby (`automatic_promotion`).
#[test]
fn idle_failover_promotes_the_standby() {
    let cookie = cookie("idle");
    let (mut primary, standby) = pair(app(), &cookie, &[]);
    let (p, s) = (primary.name.clone(), standby.name.clone());
    poll_record(&s, KEY, &cookie, "completed", |r| completed_by(r, &p));
    primary.kill();
    let st = poll(&["status", &s], &cookie, "promoted", |v| {
        v["authority"]["cluster_role"] == "primary"
    });
    assert_eq!(st["authority"]["promotion_epoch"], 1);
    let ds = cluster_json(&["diagnostics", &s], &cookie);
    let promotion = entries(&ds, "automatic_promotion");
    assert_eq!(promotion.len(), 1, "{ds}");
    assert_eq!(promotion[0]["reason"], format!("peer_lost:{p}"));
    // The completed record is not run again.
    assert_eq!(record(&s, &cookie)["execution_node"], p.as_str());
    assert_eq!(runs(&[&primary, &standby]), 1);
}

/// §10.12: diagnostics over a real node — capacity 128, past it `dropped_entries > 0`,
/// `truncated=true`, sequences strictly increasing; `--limit`. One cluster node with 30
/// startup functions makes more than 128 transitions.
#[test]
fn the_diagnostics_ring_buffer_drops_the_oldest() {
    let dir = scratch("e2e_cluster_ring");
    std::fs::write(
        dir.join("mesh.toml"),
        "[package]\nname = \"ring\"\nversion = \"0.1.0\"\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("main.mpl"),
        "fn main() do\n  case Node.start_from_env() do\n    Ok(s) -> println(\"mode=#{s.mode}\")\n    Err(e) -> panic(e)\n  end\nend\n",
    )
    .expect("write");
    let work: String = (1..=30)
        .map(|i| format!("@cluster\npub fn w{i}() -> Int do\n  {i}\nend\n\n"))
        .collect();
    std::fs::write(dir.join("work.mpl"), work).expect("write");
    let exe = dir.join("ring");
    build(&dir, &exe);
    let cookie = cookie("ring");
    let port = free_port();
    let name = format!("ring@127.0.0.1:{port}");
    let node = NodeProc::start(&exe, &name, &node_env(&cookie, &name, port, "primary"));
    let list = poll(
        &["continuity", &name],
        &cookie,
        "30 completed records",
        |v| {
            v["total_records"] == 30
                && v["records"]
                    .as_array()
                    .is_some_and(|rs| rs.iter().all(|r| r["phase"] == "completed"))
        },
    );
    assert_eq!(list["truncated"], false);
    let limited = cluster_json(&["continuity", &name, "--limit", "4"], &cookie);
    assert_eq!(limited["records"].as_array().map(Vec::len), Some(4));
    assert_eq!(limited["truncated"], true);
    let d = cluster_json(&["diagnostics", &name], &cookie);
    assert_eq!(d["buffer_capacity"], 128);
    assert_eq!(d["total_entries"], 128);
    assert!(d["dropped_entries"].as_u64().unwrap_or(0) > 0, "{d}");
    assert_eq!(d["truncated"], true);
    let entries = d["entries"].as_array().expect("entries");
    let sequences: Vec<u64> = entries
        .iter()
        .map(|e| e["sequence"].as_u64().unwrap_or(0))
        .collect();
    assert!(sequences.windows(2).all(|w| w[0] < w[1]), "{sequences:?}");
    assert_eq!(
        keys(&entries[0]),
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
            "metadata"
        ]
    );
    let limited = cluster_json(&["diagnostics", &name, "--limit", "3"], &cookie);
    let last: Vec<u64> = limited["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["sequence"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(last, sequences[sequences.len() - 3..]);
    let out = cluster(&["diagnostics", &name, "--limit", "2"], &cookie);
    let human = text(&out.stdout);
    assert!(
        human.starts_with(&format!("target: {name}\ntotal_entries: 128\n")),
        "{human}"
    );
    assert_eq!(
        human
            .lines()
            .filter(|l| l.starts_with("- sequence="))
            .count(),
        2
    );
    drop(node);
}

/// The `meshc init --clustered` scaffold (tooling §8.2), created once.
fn scaffold() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("e2e_cluster_scaffold");
        let out = meshc()
            .args(["init", "--clustered", "hello_cluster"])
            .current_dir(&dir)
            .output()
            .expect("meshc runs");
        assert!(out.status.success(), "{}", text(&out.stderr));
        dir.join("hello_cluster")
    })
}

/// §10.15: `meshc test` on the scaffold passes and creates no continuity record (startup
/// work is never triggered in a test build; every record change would log a line on the
/// test executable's stderr, which `meshc test` passes through).
#[test]
fn test_builds_never_trigger_startup_work() {
    let out = meshc_test(scaffold());
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("passed"), "{stdout}");
    for needle in ["transition=submit", "startup_trigger", "startup_completed"] {
        assert!(
            !stdout.contains(needle) && !stderr.contains(needle),
            "{stdout}{stderr}"
        );
    }
    // The fixture app's test calls Work.add itself: exactly that one run.
    let out = meshc_test(&repo_root().join("tests/fixtures/cluster/app"));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(!stderr.contains("transition=submit"), "{stderr}");
    assert_eq!(stdout.matches(RAN).count() + stderr.matches(RAN).count(), 1);
}

/// §10.5 with the scaffold itself on two nodes: one `startup::Work.add` record on each,
/// completed by the primary and mirrored on the standby; one trigger, one completion.
#[test]
fn the_scaffold_runs_its_startup_work_once_on_two_nodes() {
    let dir = scaffold();
    let exe = dir.join("hello_cluster_bin");
    build(dir, &exe);
    let cookie = cookie("scaffold");
    let (primary, standby) = pair(&exe, &cookie, &[]);
    let (p, s) = (primary.name.clone(), standby.name.clone());
    primary.wait_for(&format!(
        "[hello_cluster] runtime bootstrap mode=cluster node={p} "
    ));
    for node in [&p, &s] {
        let list = poll(
            &["continuity", node],
            &cookie,
            "one completed record",
            |v| v["total_records"] == 1 && v["records"][0]["phase"] == "completed",
        );
        assert_mirrored_completion(&list, &p, &s);
    }
    let (dp, ds) = (diagnostics(&p, &cookie), diagnostics(&s, &cookie));
    let count = |name: &str| entries(&dp, name).len() + entries(&ds, name).len();
    assert_eq!(count("startup_trigger"), 1, "{dp}\n{ds}");
    assert_eq!(count("startup_completed"), 1, "{dp}\n{ds}");
    assert_eq!(
        count("startup_rejected") + count("startup_convergence_timeout"),
        0
    );
    assert!(!entries(&ds, "startup_skipped").is_empty(), "{ds}");
}

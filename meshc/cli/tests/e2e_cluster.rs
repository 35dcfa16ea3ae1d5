//! runtime-cluster §10 with real node processes on loopback, observed through
//! `meshc cluster … --json` (every wait polls with a 20 s deadline): the primary is
//! `…@127.0.0.1:P`, the standby `…@[::1]:P`, seed `localhost`. §10.2 (bootstrap strings)
//! lives in `tests/dist.rs` (`bootstrap_results_and_error_strings`), §10.10–§10.11 in the
//! clustered-HTTP suites.
//!
//! The operator-protocol tests run the node program of `tests/dist.rs`
//! (`tests/fixtures/dist/node.mpl`, kept alive by its open stdin).

#[path = "support/cluster.rs"]
mod support;

use serde_json::Value;
use std::path::PathBuf;
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
fn pair(exe: &PathBuf, cookie: &str, extra: &[(&'static str, String)]) -> (NodeProc, NodeProc) {
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

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
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
    let (primary, standby) = pair(plain_node(), &cookie, &[]);
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

    // Operators never join: still exactly one peer on each side, no connect/nodeup for them.
    let st = cluster_json(&["status", &p], &cookie);
    assert!(sees_only(&st, &p, &s), "{st}");
    let ss = cluster_json(&["status", &s], &cookie);
    assert!(sees_only(&ss, &s, &p), "{ss}");
    for node in [&primary, &standby] {
        let err = node.err();
        assert!(!err.contains("connected peer=mesh-operator"), "{err}");
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

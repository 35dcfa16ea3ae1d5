//! `meshc cluster` argument handling and failures that need no running node (tooling §1.8,
//! §0.2–§0.4): target syntax, `--limit` with a key, every cookie error, unreachable and
//! silent nodes, `--timeout-ms` below 1, usage errors. Queries against real nodes are in
//! `tests/e2e_cluster.rs`.

use super::{meshc, run, text};
use std::net::TcpListener;
use std::process::Output;

const COOKIE: &str = "cli-cluster-secret-5f1d2e9a";

fn cluster(args: &[&str], env_cookie: Option<&str>) -> Output {
    let mut cmd = meshc();
    cmd.arg("cluster").args(args);
    match env_cookie {
        Some(c) => cmd.env("MESH_CLUSTER_COOKIE", c),
        None => cmd.env_remove("MESH_CLUSTER_COOKIE"),
    };
    run(&mut cmd)
}

/// Exit 1, nothing on stdout, and stderr ending in exactly `error: <message>`.
fn fails_with(out: &Output, message: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(text(&out.stdout), "");
    assert_eq!(stderr, format!("error: {message}\n"));
    assert!(!stderr.contains(COOKIE));
}

/// A port with nothing listening on 127.0.0.1.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

#[test]
fn malformed_targets() {
    for bad in [
        "127.0.0.1:4370",
        "a@127.0.0.1",
        "a@::1:4370",
        "a@h:0",
        "a b@h:1",
    ] {
        let out = cluster(&["status", bad], Some(COOKIE));
        fails_with(
            &out,
            &format!("invalid node target '{bad}': expected name@host:port"),
        );
    }
}

#[test]
fn limit_with_a_request_key() {
    let out = cluster(
        &[
            "continuity",
            "a@127.0.0.1:4370",
            "startup::Work.add",
            "--limit",
            "3",
        ],
        Some(COOKIE),
    );
    fails_with(&out, "--limit cannot be used with a request key");
}

#[test]
fn cookie_errors() {
    let t = "a@127.0.0.1:4370";
    fails_with(
        &cluster(&["status", t, "--cookie", "  "], Some(COOKIE)),
        "--cookie must not be blank",
    );
    fails_with(
        &cluster(&["diagnostics", t], None),
        "MESH_CLUSTER_COOKIE is required unless --cookie is given",
    );
    fails_with(
        &cluster(&["continuity", t], Some(" ")),
        "MESH_CLUSTER_COOKIE must not be blank",
    );
}

#[test]
fn unreachable_node() {
    let port = closed_port();
    let target = format!("a@127.0.0.1:{port}");
    for (args, env) in [
        (vec!["status", target.as_str()], Some(COOKIE)),
        (
            vec!["status", target.as_str(), "--cookie", COOKIE, "--json"],
            None,
        ),
    ] {
        let out = cluster(&args, env);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(text(&out.stdout), "");
        let prefix = format!(
            "error: cluster query to {target} failed: could not connect to 127.0.0.1:{port}: "
        );
        assert!(stderr.starts_with(&prefix), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!stderr.contains(COOKIE));
    }
}

#[test]
fn a_silent_node_times_out_and_timeouts_below_one_count_as_one() {
    // Accepts connections (the kernel's backlog) and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let target = format!("a@127.0.0.1:{port}");
    let started = std::time::Instant::now();
    let out = cluster(&["status", &target, "--timeout-ms", "400"], Some(COOKIE));
    fails_with(
        &out,
        &format!("cluster query to {target} failed: timed out after 400 ms"),
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    for low in ["0", "-5"] {
        let out = cluster(&["diagnostics", &target, "--timeout-ms", low], Some(COOKIE));
        fails_with(
            &out,
            &format!("cluster query to {target} failed: timed out after 1 ms"),
        );
    }
    // --connect dials another address but still names the target.
    let out = cluster(
        &[
            "status",
            "b@[::1]:4370",
            "--connect",
            &format!("127.0.0.1:{port}"),
            "--timeout-ms",
            "200",
        ],
        Some(COOKIE),
    );
    fails_with(
        &out,
        "cluster query to b@[::1]:4370 failed: timed out after 200 ms",
    );
    drop(silent);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["status"],
        vec!["status", "a@h:1", "--timeout-ms", "soon"],
        vec!["continuity", "a@h:1", "--limit", "-1"],
        vec!["frobnicate", "a@h:1"],
    ] {
        let out = cluster(&args, Some(COOKIE));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), "");
    }
    let out = cluster(&["--connect", "x", "status", "a@h:1"], Some(COOKIE));
    assert_eq!(out.status.code(), Some(2));
    let out = cluster(&["status", "a@h:1", "--connect", "::1:9"], Some(COOKIE));
    fails_with(
        &out,
        "invalid --connect address '::1:9': expected HOST:PORT",
    );
}

#[test]
fn help_lists_the_subcommands() {
    let out = run(meshc().args(["cluster", "--help"]));
    assert!(out.status.success());
    let help = text(&out.stdout);
    for sub in ["status", "continuity", "diagnostics"] {
        assert!(help.contains(sub), "{help}");
    }
    let out = run(meshc().arg("--help"));
    assert!(text(&out.stdout).contains("cluster"));
}

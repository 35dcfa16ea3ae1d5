//! Helpers for tests that run real cluster nodes and query them with `meshc cluster`
//! (runtime-cluster §10): the node processes of `support/node.rs` (re-exported here), and
//! `meshc cluster … --json` polled until a condition holds (20 s deadline). Included with
//! `#[path = "support/cluster.rs"]`, beside `#[path = "support/node.rs"] mod node;`.
#![allow(dead_code)]

pub use super::node::*;
use serde_json::Value;
use std::process::Output;
use std::time::{Duration, Instant};

/// Runs `meshc test` on `project`.
pub fn meshc_test(project: &std::path::Path) -> Output {
    meshc()
        .arg("test")
        .arg(project)
        .output()
        .expect("meshc runs")
}

/// `meshc cluster ARGS… --cookie COOKIE` (the cookie through the environment when `None`
/// is wanted by the caller: pass it in `args` then).
pub fn cluster(args: &[&str], cookie: &str) -> Output {
    meshc()
        .arg("cluster")
        .args(args)
        .env("MESH_CLUSTER_COOKIE", cookie)
        .output()
        .expect("meshc runs")
}

/// `meshc cluster ARGS… --json` parsed; panics unless it exits 0 with JSON on stdout.
pub fn cluster_json(args: &[&str], cookie: &str) -> Value {
    let mut all: Vec<&str> = args.to_vec();
    all.push("--json");
    let out = cluster(&all, cookie);
    assert!(
        out.status.success(),
        "meshc cluster {args:?} failed: {}",
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "meshc cluster {args:?}: not JSON ({e}):\n{}",
            text(&out.stdout)
        )
    })
}

/// Polls `meshc cluster ARGS… --json` until `ok` holds for its answer (queries that fail,
/// such as a node not listening yet, are retried); panics with the last answer after 20 s.
pub fn poll(args: &[&str], cookie: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let end = Instant::now() + DEADLINE;
    loop {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--json");
        let out = cluster(&all, cookie);
        let last = if out.status.success() {
            if let Ok(v) = serde_json::from_slice::<Value>(&out.stdout) {
                if ok(&v) {
                    return v;
                }
            }
            text(&out.stdout)
        } else {
            text(&out.stderr)
        };
        if Instant::now() > end {
            panic!("meshc cluster {args:?}: never {what} within 20 s; last answer:\n{last}");
        }
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// The keys of a JSON object, in order.
pub fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// The `transition` names of a diagnostics answer.
pub fn transitions(diag: &Value) -> Vec<String> {
    diag["entries"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter_map(|e| e["transition"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The diagnostics entries named `transition`.
pub fn entries<'a>(diag: &'a Value, transition: &str) -> Vec<&'a Value> {
    diag["entries"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter(|e| e["transition"] == transition)
                .collect()
        })
        .unwrap_or_default()
}

/// The value of metadata `key` of an entry.
pub fn meta<'a>(entry: &'a Value, key: &str) -> Option<&'a str> {
    entry["metadata"]
        .as_array()?
        .iter()
        .find(|m| m["key"] == key)
        .and_then(|m| m["value"].as_str())
}

/// The strings of a JSON array (others left out).
pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Polls until `node` holds the continuity record `key` and `ok` holds for it; the record.
pub fn poll_record(
    node: &str,
    key: &str,
    cookie: &str,
    what: &str,
    ok: impl Fn(&Value) -> bool,
) -> Value {
    poll(&["continuity", node, key], cookie, what, |v| {
        ok(&v["record"])
    })["record"]
        .clone()
}

/// Polls the diagnostics of `node` until they hold a `transition` entry for `key`; the
/// diagnostics and that entry.
pub fn poll_keyed_entry(node: &str, key: &str, transition: &str, cookie: &str) -> (Value, Value) {
    let diag = poll(
        &["diagnostics", node],
        cookie,
        &format!("{transition} for the key"),
        |d| {
            entries(d, transition)
                .iter()
                .any(|e| e["request_key"] == key)
        },
    );
    let entry = entries(&diag, transition)
        .into_iter()
        .find(|e| e["request_key"] == key)
        .cloned()
        .unwrap_or_else(|| panic!("a keyed {transition}"));
    (diag, entry)
}

/// Whether record `r` completed successfully, owned and run by `owner`.
pub fn completed_by(r: &Value, owner: &str) -> bool {
    r["phase"] == "completed"
        && r["result"] == "succeeded"
        && r["owner_node"] == owner
        && r["execution_node"] == owner
}

/// Fails if any text contains any secret.
pub fn assert_no_secret(texts: &[&str], secrets: &[&str]) {
    for t in texts {
        for s in secrets {
            assert!(!t.contains(s), "a secret leaked into:\n{t}");
        }
    }
}

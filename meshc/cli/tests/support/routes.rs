//! Shared by the clustered-route acceptance tests (`e2e_clustered_http.rs`, runtime-cluster
//! §10.10, and `e2e_m047_s07.rs`, §10.11): the fixture `tests/fixtures/clustered/routes`
//! built once per test binary, node processes (`support/node.rs`) that serve it, a minimal
//! HTTP/1.1 client, and `meshc cluster … --json` queries (every wait polls with a 20 s deadline).
//! Included with `#[path = "support/routes.rs"]`, beside `#[path = "support/node.rs"] mod node;`.
#![allow(dead_code)]

use super::node::{build, repo_root, tests_dir, NodeProc};
pub use super::node::{cookie, free_port, node_env, DEADLINE};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const KEY_HEADER: &str = "x-mesh-continuity-request-key";

/// The fixture program, built once per test binary into its own file (`tag`).
pub fn exe(tag: &str) -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        // Per test process: nextest runs each test of a file in its own process.
        let exe = tests_dir("clustered-routes").join(format!(
            "{tag}-{}-{}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        ));
        build(&repo_root().join("tests/fixtures/clustered/routes"), &exe);
        exe
    })
    .clone()
}

/// One node process serving the fixture on `http_port` (a `NodeProc` besides).
pub struct Node {
    pub http_port: u16,
    proc: NodeProc,
}

impl Node {
    /// Starts the fixture with `env` (no cluster variables: standalone) and waits until it
    /// serves HTTP.
    pub fn start(exe: &Path, name: &str, http_port: u16, env: &[(&str, String)]) -> Node {
        let mut env = env.to_vec();
        env.insert(0, ("PORT", http_port.to_string()));
        let proc = NodeProc::spawn(Command::new(exe), name, &env, Stdio::null());
        proc.wait("HTTP server listening on", DEADLINE);
        Node { http_port, proc }
    }

    pub fn get(&self, path: &str) -> HttpResponse {
        http(self.http_port, "GET", path, &[], "")
    }
}

impl Deref for Node {
    type Target = NodeProc;
    fn deref(&self) -> &NodeProc {
        &self.proc
    }
}

impl DerefMut for Node {
    fn deref_mut(&mut self) -> &mut NodeProc {
        &mut self.proc
    }
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// Lower-case names, in order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named(&self, name: &str) -> usize {
        self.headers.iter().filter(|(k, _)| k == name).count()
    }

    /// The request key header (panics when absent).
    pub fn key(&self) -> String {
        self.header(KEY_HEADER)
            .unwrap_or_else(|| panic!("no request key header: {self:?}"))
            .to_string()
    }
}

/// One request to `[::1]`-or-`127.0.0.1`:`port` with `Connection: close`.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> HttpResponse {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("request written");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("response read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: body.to_string(),
    }
}

/// `meshc cluster <args…> --json --cookie <cookie>`: the JSON on success, the stderr otherwise.
pub fn cluster_json(args: &[&str], cookie: &str) -> Result<serde_json::Value, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_meshc"))
        .arg("cluster")
        .args(args)
        .args(["--json", "--cookie", cookie])
        .output()
        .expect("meshc runs");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).to_string());
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("bad JSON: {e}"))
}

/// Polls `meshc cluster status` of `target` until its peers are exactly `peers`.
pub fn wait_peers(target: &str, peers: &[&str], cookie: &str) {
    let mut want: Vec<String> = peers.iter().map(|p| p.to_string()).collect();
    want.sort();
    let end = Instant::now() + DEADLINE;
    let mut last = String::new();
    while Instant::now() < end {
        match cluster_json(&["status", target], cookie) {
            Ok(v) => {
                let got: Vec<String> = v["membership"]["peer_nodes"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|p| p.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                if got == want {
                    return;
                }
                last = v.to_string();
            }
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{target} never had peers {want:?}; last: {last}");
}

/// The record `key` on `target`, once `done` accepts it (polled up to the deadline).
pub fn wait_record(
    target: &str,
    key: &str,
    cookie: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let end = Instant::now() + DEADLINE;
    let mut last = String::new();
    while Instant::now() < end {
        match cluster_json(&["continuity", target, key], cookie) {
            Ok(v) if done(&v["record"]) => return v["record"].clone(),
            Ok(v) => last = v.to_string(),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("record {key} on {target} never settled; last: {last}");
}

/// The `[mesh-rt continuity]` log line of `transition` for `key`, parsed into its pairs.
pub fn transition_line(logs: &str, transition: &str, key: &str) -> Option<Vec<(String, String)>> {
    logs.lines()
        .filter(|l| l.starts_with("[mesh-rt continuity]"))
        .find(|l| {
            l.contains(&format!(" transition={transition} "))
                && l.contains(&format!(" request_key={key} "))
        })
        .map(|l| {
            l.split(' ')
                .filter_map(|p| p.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
}

/// The value of `field` in a parsed log line.
pub fn field<'a>(pairs: &'a [(String, String)], field: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == field)
        .map(|(_, v)| v.as_str())
}

/// Waits until `node`'s log has the `transition` line for `key`; its pairs.
pub fn wait_transition(node: &Node, transition: &str, key: &str) -> Vec<(String, String)> {
    let end = Instant::now() + DEADLINE;
    while Instant::now() < end {
        if let Some(pairs) = transition_line(&node.logs(), transition, key) {
            return pairs;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "no transition={transition} for {key} on {}\n{}",
        node.name,
        node.logs()
    );
}

//! Shared by the clustered-route acceptance tests (`e2e_clustered_http.rs`, runtime-cluster
//! §10.10, and `e2e_m047_s07.rs`, §10.11): the fixture `tests/fixtures/clustered/routes`
//! built once per test binary, node processes with their output collected, a minimal HTTP/1.1
//! client, and `meshc cluster … --json` queries (every wait polls with a 20 s deadline).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const KEY_HEADER: &str = "x-mesh-continuity-request-key";
pub const DEADLINE: Duration = Duration::from_secs(20);

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The fixture program, built once per test binary into its own file (`tag`).
pub fn exe(tag: &str) -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        let dir = repo_root().join("target/cli-tests/clustered-routes");
        std::fs::create_dir_all(&dir).expect("scratch dir");
        // Per test process: nextest runs each test of a file in its own process.
        let exe = dir.join(format!(
            "{tag}-{}-{}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        ));
        let out = Command::new(env!("CARGO_BIN_EXE_meshc"))
            .env_remove("MESH_RT_LIB_PATH")
            .arg("build")
            .arg(repo_root().join("tests/fixtures/clustered/routes"))
            .arg("-o")
            .arg(&exe)
            .output()
            .expect("meshc runs");
        assert!(
            out.status.success(),
            "build failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        exe
    })
    .clone()
}

/// A fresh cookie per test (checked absent from every output).
pub fn cookie(tag: &str) -> String {
    format!("cookie-{tag}-{}-5b1e97d04c", std::process::id())
}

/// A port free on 127.0.0.1 and ::1.
pub fn free_port() -> u16 {
    loop {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        drop(l);
        if TcpListener::bind(format!("[::1]:{port}")).is_ok() {
            return port;
        }
    }
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let b = Arc::clone(&buf);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut g = b.lock().unwrap_or_else(|e| e.into_inner());
            g.push_str(&line);
            g.push('\n');
        }
    });
    buf
}

/// One node process serving the fixture on `http_port`.
pub struct Node {
    pub name: String,
    pub http_port: u16,
    child: Child,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

impl Node {
    /// Starts the fixture with `env` (no cluster variables: standalone).
    pub fn start(exe: &Path, name: &str, http_port: u16, env: &[(&str, String)]) -> Node {
        let mut cmd = Command::new(exe);
        for var in [
            "MESH_CLUSTER_COOKIE",
            "MESH_DISCOVERY_SEED",
            "MESH_NODE_NAME",
            "MESH_NODE_HOST",
            "MESH_CLUSTER_PORT",
            "MESH_CONTINUITY_ROLE",
            "MESH_CONTINUITY_PROMOTION_EPOCH",
            "FLY_APP_NAME",
            "FLY_REGION",
            "FLY_MACHINE_ID",
            "FLY_PRIVATE_IP",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("MESH_DISCOVERY_INTERVAL_MS", "200");
        cmd.env("PORT", http_port.to_string());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the node starts");
        let out = collect(child.stdout.take().expect("stdout"));
        let err = collect(child.stderr.take().expect("stderr"));
        let node = Node {
            name: name.to_string(),
            http_port,
            child,
            out,
            err,
        };
        node.wait("HTTP server listening on", DEADLINE);
        node
    }

    pub fn out(&self) -> String {
        self.out.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn err(&self) -> String {
        self.err.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn logs(&self) -> String {
        format!("{}{}", self.out(), self.err())
    }

    /// Waits until the output holds `needle`.
    pub fn wait(&self, needle: &str, within: Duration) {
        let end = Instant::now() + within;
        while Instant::now() < end {
            if self.logs().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("no {needle:?} within {within:?}\n{}", self.logs());
    }

    /// SIGKILLs the node (its output stays readable).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn get(&self, path: &str) -> HttpResponse {
        http(self.http_port, "GET", path, &[], "")
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("--- {} output\n{}", self.name, self.logs());
        }
    }
}

/// Cluster variables of a node `name` on cluster port `port` (seed `localhost`).
pub fn cluster_env(cookie: &str, name: &str, port: u16, role: &str) -> Vec<(&'static str, String)> {
    vec![
        ("MESH_CLUSTER_COOKIE", cookie.to_string()),
        ("MESH_DISCOVERY_SEED", "localhost".to_string()),
        ("MESH_NODE_NAME", name.to_string()),
        ("MESH_CLUSTER_PORT", port.to_string()),
        ("MESH_CONTINUITY_ROLE", role.to_string()),
    ]
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

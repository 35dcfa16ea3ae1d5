//! Helpers for tests that run real cluster nodes and query them with `meshc cluster`
//! (runtime-cluster §10): building a Mesh program, free ports on 127.0.0.1 and ::1, node
//! processes whose output is collected as it comes, and `meshc cluster … --json` polled
//! until a condition holds (20 s deadline). Included with `#[path = "support/cluster.rs"]`.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Every wait of §10: poll for at most this long.
pub const DEADLINE: Duration = Duration::from_secs(20);

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn meshc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshc"));
    cmd.env_remove("MESH_RT_LIB_PATH");
    cmd.env_remove("MESH_CLUSTER_COOKIE");
    cmd
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh scratch directory `target/cli-tests/<name>-<pid>`: private to this test process
/// (nextest runs each test in its own process, so tests of one file build at the same time).
pub fn scratch(name: &str) -> PathBuf {
    let dir = repo_root()
        .join("target")
        .join("cli-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Builds the program at `source` (a project directory or one file) into `exe`.
pub fn build(source: &Path, exe: &Path) {
    let out = meshc()
        .arg("build")
        .arg(source)
        .arg("-o")
        .arg(exe)
        .output()
        .expect("meshc runs");
    assert!(
        out.status.success(),
        "build of {} failed:\n{}",
        source.display(),
        text(&out.stderr)
    );
}

/// Runs `meshc test` on `project`.
pub fn meshc_test(project: &Path) -> Output {
    meshc()
        .arg("test")
        .arg(project)
        .output()
        .expect("meshc runs")
}

/// A fresh cookie per test (checked absent from every output).
pub fn cookie(tag: &str) -> String {
    format!("cookie-{tag}-{}-c0ffee5eed4242", std::process::id())
}

/// A port free on 127.0.0.1, ::1 and 127.0.0.2 (a third node of a test may use that).
pub fn free_port() -> u16 {
    loop {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        drop(l);
        if ["[::1]", "127.0.0.2"]
            .iter()
            .all(|h| TcpListener::bind(format!("{h}:{port}")).is_ok())
        {
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

/// The cluster variables every node start clears first.
const CLUSTER_VARS: &[&str] = &[
    "MESH_CLUSTER_COOKIE",
    "MESH_DISCOVERY_SEED",
    "MESH_NODE_NAME",
    "MESH_NODE_HOST",
    "MESH_CLUSTER_PORT",
    "MESH_CONTINUITY_ROLE",
    "MESH_CONTINUITY_PROMOTION_EPOCH",
    "MESH_STARTUP_WORK_DELAY_MS",
    "FLY_APP_NAME",
    "FLY_REGION",
    "FLY_MACHINE_ID",
    "FLY_PRIVATE_IP",
];

/// One node process. Its stdin stays open (a piped stdin the program may read); stdout and
/// stderr are collected as they come. Killed when dropped (its stderr is printed then if
/// the test is failing).
pub struct NodeProc {
    pub name: String,
    child: Child,
    stdin: Option<std::process::ChildStdin>,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

impl NodeProc {
    pub fn start(exe: &Path, name: &str, env: &[(&str, String)]) -> NodeProc {
        let mut cmd = Command::new(exe);
        for var in CLUSTER_VARS {
            cmd.env_remove(var);
        }
        cmd.env("MESH_DISCOVERY_INTERVAL_MS", "200");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the node starts");
        let out = collect(child.stdout.take().expect("stdout"));
        let err = collect(child.stderr.take().expect("stderr"));
        NodeProc {
            name: name.to_string(),
            stdin: child.stdin.take(),
            child,
            out,
            err,
        }
    }

    /// Writes one line to the node's stdin (the node program of `tests/dist.rs` reads
    /// commands there).
    pub fn send_line(&mut self, line: &str) {
        use std::io::Write;
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("line written");
        stdin.flush().expect("flushed");
    }

    pub fn out(&self) -> String {
        self.out.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn err(&self) -> String {
        self.err.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until stdout or stderr holds `needle`.
    pub fn wait_for(&self, needle: &str) {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if self.out().contains(needle) || self.err().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!(
            "{}: no {needle:?} within 20 s\n--- stdout\n{}--- stderr\n{}",
            self.name,
            self.out(),
            self.err()
        );
    }

    /// SIGKILL.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether the process has exited (and its status).
    pub fn try_exit(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for NodeProc {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!(
                "--- {} stdout\n{}--- {} stderr\n{}",
                self.name,
                self.out(),
                self.name,
                self.err()
            );
        }
    }
}

/// The environment of a cluster node named `name` on `port` with seed `localhost`.
pub fn node_env(cookie: &str, name: &str, port: u16, role: &str) -> Vec<(&'static str, String)> {
    vec![
        ("MESH_CLUSTER_COOKIE", cookie.to_string()),
        ("MESH_DISCOVERY_SEED", "localhost".to_string()),
        ("MESH_NODE_NAME", name.to_string()),
        ("MESH_CLUSTER_PORT", port.to_string()),
        ("MESH_CONTINUITY_ROLE", role.to_string()),
    ]
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

/// Fails if any text contains any secret.
pub fn assert_no_secret(texts: &[&str], secrets: &[&str]) {
    for t in texts {
        for s in secrets {
            assert!(!t.contains(s), "a secret leaked into:\n{t}");
        }
    }
}

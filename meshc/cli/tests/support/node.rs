//! Node processes for the tests that run real Mesh programs on loopback (`dist.rs`,
//! `dist_spawn.rs`, `cluster_runtime.rs`, and through `support/cluster.rs` and
//! `support/routes.rs` the cluster and clustered-route tests): `meshc`, scratch directories,
//! building a program, ports free on the loopback addresses, the cluster environment of a
//! node, and `NodeProc`, one node process whose stdout and stderr are collected as they come.
//! Included once per test binary, at its root, as `#[path = "support/node.rs"] mod node;`
//! (the other support modules use it as `super::node`).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The usual wait for a node (its output, its answers): poll for at most this long.
pub const DEADLINE: Duration = Duration::from_secs(20);

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `meshc` without the runtime-library and cookie variables of the caller.
pub fn meshc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshc"));
    cmd.env_remove("MESH_RT_LIB_PATH");
    cmd.env_remove("MESH_CLUSTER_COOKIE");
    cmd
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `target/cli-tests/<name>`, created when missing (what is there stays).
pub fn tests_dir(name: &str) -> PathBuf {
    let dir = repo_root().join("target").join("cli-tests").join(name);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
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
        "build of {} failed:\n{}{}",
        source.display(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// A fresh cookie per test (checked absent from every output).
pub fn cookie(tag: &str) -> String {
    format!("cookie-{tag}-{}-c0ffee5eed4242", std::process::id())
}

/// A port free on 127.0.0.1 and on each of `others` (ports are per address, so a port the
/// system hands out for 127.0.0.1 is checked on the others too).
pub fn free_port_on(others: &[&str]) -> u16 {
    loop {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        drop(l);
        if others
            .iter()
            .all(|h| TcpListener::bind(format!("{h}:{port}")).is_ok())
        {
            return port;
        }
    }
}

/// A port free on 127.0.0.1, ::1, 127.0.0.2 and 127.0.0.3 (the addresses the nodes of a
/// test listen on).
pub fn free_port() -> u16 {
    free_port_on(&["[::1]", "127.0.0.2", "127.0.0.3"])
}

/// The cluster variables of a node named `name` on `port`, finding its peers through the
/// seed `localhost`.
pub fn cluster_env(cookie: &str, name: &str, port: u16) -> Vec<(&'static str, String)> {
    seeded_env(cookie, name, port, "localhost")
}

/// `cluster_env` with the discovery seed `seed` (one where nobody listens leaves the node to
/// explicit dials).
pub fn seeded_env(cookie: &str, name: &str, port: u16, seed: &str) -> Vec<(&'static str, String)> {
    vec![
        ("MESH_CLUSTER_COOKIE", cookie.to_string()),
        ("MESH_DISCOVERY_SEED", seed.to_string()),
        ("MESH_NODE_NAME", name.to_string()),
        ("MESH_CLUSTER_PORT", port.to_string()),
    ]
}

/// `cluster_env` and the continuity role `role`.
pub fn node_env(cookie: &str, name: &str, port: u16, role: &str) -> Vec<(&'static str, String)> {
    let mut env = cluster_env(cookie, name, port);
    env.push(("MESH_CONTINUITY_ROLE", role.to_string()));
    env
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

/// The cluster variables every node start clears first (a node gets only those of its test).
const CLUSTER_VARS: &[&str] = &[
    "MESH_CLUSTER_COOKIE",
    "MESH_DISCOVERY_SEED",
    "MESH_NODE_NAME",
    "MESH_NODE_HOST",
    "MESH_CLUSTER_PORT",
    "MESH_CLUSTER_BIND",
    "MESH_CONTINUITY_ROLE",
    "MESH_CONTINUITY_PROMOTION_EPOCH",
    "MESH_STARTUP_WORK_DELAY_MS",
    "FLY_APP_NAME",
    "FLY_REGION",
    "FLY_MACHINE_ID",
    "FLY_PRIVATE_IP",
];

/// The node name `env` gives (`MESH_NODE_NAME`), or `node`.
pub fn name_in(env: &[(&str, String)]) -> String {
    env.iter()
        .find(|(k, _)| *k == "MESH_NODE_NAME")
        .map_or("node", |(_, v)| v.as_str())
        .to_string()
}

/// Removes the cluster variables of the caller from `cmd`'s environment.
pub fn clear_cluster_vars(cmd: &mut Command) {
    for var in CLUSTER_VARS {
        cmd.env_remove(var);
    }
}

/// One node process: stdout and stderr collected as they come, stdin piped (commands) or
/// null. Killed when dropped (its output is printed then if the test is failing).
pub struct NodeProc {
    pub name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

impl NodeProc {
    /// Starts `exe` with a piped stdin.
    pub fn start(exe: &Path, name: &str, env: &[(&str, String)]) -> NodeProc {
        NodeProc::spawn(Command::new(exe), name, env, Stdio::piped())
    }

    /// Starts `cmd` (the program, or a wrapper such as `ip netns exec` that runs it) with
    /// the cluster variables cleared, discovery every 200 ms, then `env`.
    pub fn spawn(mut cmd: Command, name: &str, env: &[(&str, String)], stdin: Stdio) -> NodeProc {
        clear_cluster_vars(&mut cmd);
        cmd.env("MESH_DISCOVERY_INTERVAL_MS", "200");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(stdin)
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

    /// Writes one line to the node's stdin (the node programs of `dist.rs` and
    /// `dist_spawn.rs` read commands there).
    pub fn send_line(&mut self, line: &str) {
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

    /// Stdout, then stderr.
    pub fn logs(&self) -> String {
        format!("{}{}", self.out(), self.err())
    }

    /// Waits until stdout or stderr holds `needle`; panics with both after `within`.
    pub fn wait(&self, needle: &str, within: Duration) {
        let end = Instant::now() + within;
        while Instant::now() < end {
            if self.out().contains(needle) || self.err().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{}: no {needle:?} within {within:?}\n--- stdout\n{}--- stderr\n{}",
            self.name,
            self.out(),
            self.err()
        );
    }

    /// `wait` for `secs` seconds.
    pub fn wait_secs(&self, needle: &str, secs: u64) {
        self.wait(needle, Duration::from_secs(secs));
    }

    /// `wait` for `DEADLINE`.
    pub fn wait_for(&self, needle: &str) {
        self.wait(needle, DEADLINE);
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Sends a signal to the node process (`STOP`, `KILL`, `TERM`).
    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs")
            .success();
        assert!(ok, "kill -{sig}");
    }

    /// Stops the node (SIGSTOP) and waits until every thread of it is stopped: `kill`
    /// returns once the signal is queued, and a thread running on another core (or a vCPU
    /// the host has descheduled) may run on for a moment after that.
    pub fn stop(&self) {
        self.signal("STOP");
        let tasks = format!("/proc/{}/task", self.child.id());
        let stopped = || {
            std::fs::read_dir(&tasks).is_ok_and(|dir| {
                dir.flatten().all(|t| {
                    std::fs::read_to_string(t.path().join("stat")).is_ok_and(|stat| {
                        // The state follows the command name, which is in parentheses.
                        stat.rsplit_once(") ")
                            .is_some_and(|(_, rest)| rest.starts_with('T') || rest.starts_with('t'))
                    })
                })
            })
        };
        let until = Instant::now() + Duration::from_secs(5);
        while !stopped() {
            assert!(Instant::now() < until, "the node did not stop");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// SIGKILL (the output stays readable).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether the process has exited (and its status).
    pub fn try_exit(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("wait")
    }

    /// Waits for the node process to end by itself.
    pub fn wait_exit(&mut self, within: Duration, what: &str) -> ExitStatus {
        let end = Instant::now() + within;
        loop {
            if let Some(status) = self.try_exit() {
                return status;
            }
            assert!(
                Instant::now() < end,
                "{}: {what} within {within:?}\n--- stdout\n{}--- stderr\n{}",
                self.name,
                self.out(),
                self.err()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Waits until both nodes listen, has each dial the other at once (`connect NAME` on stdin:
/// the node programs of `dist.rs` and `dist_spawn.rs`), and waits until both dials succeed.
pub fn dial_each_other(x: &mut NodeProc, nx: &str, y: &mut NodeProc, ny: &str) {
    x.wait_secs("mesh node: listening", 10);
    y.wait_secs("mesh node: listening", 10);
    x.send_line(&format!("connect {ny}"));
    y.send_line(&format!("connect {nx}"));
    x.wait_secs("connect=0", 10);
    y.wait_secs("connect=0", 10);
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

//! Real node processes for the `Node.spawn` tests: a compiled Mesh program per fixture,
//! started with the cluster variables, its stdout and stderr collected as they come.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Builds `tests/fixtures/dist/<name>.mpl` into the scratch directory.
pub fn build(name: &str) -> PathBuf {
    let dir = repo_root()
        .join("target")
        .join("cli-tests")
        .join("dist_spawn");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let exe = dir.join(name);
    let out = Command::new(env!("CARGO_BIN_EXE_meshc"))
        .env_remove("MESH_RT_LIB_PATH")
        .arg("build")
        .arg(repo_root().join(format!("tests/fixtures/dist/{name}.mpl")))
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("meshc runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

/// A fresh cookie per test (checked absent from every output).
pub fn cookie(tag: &str) -> String {
    format!("cookie-{tag}-{}-4c1d8e2b90aa", std::process::id())
}

/// A port free on 127.0.0.1, 127.0.0.2 and 127.0.0.3.
pub fn free_port() -> u16 {
    loop {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        drop(l);
        if ["127.0.0.2", "127.0.0.3"]
            .iter()
            .all(|h| TcpListener::bind(format!("{h}:{port}")).is_ok())
        {
            return port;
        }
    }
}

/// The cluster variables of a node named `name` finding its peers through `localhost`.
pub fn cluster_env(cookie: &str, name: &str, port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("MESH_CLUSTER_COOKIE", cookie.to_string()),
        ("MESH_DISCOVERY_SEED", "localhost".to_string()),
        ("MESH_NODE_NAME", name.to_string()),
        ("MESH_CLUSTER_PORT", port.to_string()),
    ]
}

pub struct Node {
    child: Child,
    stdin: Option<ChildStdin>,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
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

impl Node {
    /// Starts `exe` with only `env`'s cluster variables.
    pub fn start(exe: &Path, env: &[(&str, String)]) -> Node {
        let mut cmd = Command::new(exe);
        for var in [
            "MESH_CLUSTER_COOKIE",
            "MESH_DISCOVERY_SEED",
            "MESH_NODE_NAME",
            "MESH_NODE_HOST",
            "MESH_CLUSTER_PORT",
            "MESH_CLUSTER_BIND",
            "FLY_APP_NAME",
            "FLY_REGION",
            "FLY_MACHINE_ID",
            "FLY_PRIVATE_IP",
        ] {
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
        Node {
            stdin: child.stdin.take(),
            child,
            out,
            err,
        }
    }

    pub fn cmd(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("command written");
        stdin.flush().expect("flushed");
    }

    pub fn out(&self) -> String {
        self.out.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn err(&self) -> String {
        self.err.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until stdout or stderr holds `needle`; panics with both after `secs`.
    pub fn wait(&self, needle: &str, secs: u64) {
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if self.out().contains(needle) || self.err().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "no {needle:?} within {secs} s\n--- stdout\n{}--- stderr\n{}",
            self.out(),
            self.err()
        );
    }

    /// Sends a signal to the node process (`STOP`, `KILL`).
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

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for the node process to end by itself.
    pub fn wait_exit(&mut self, secs: u64) -> std::process::ExitStatus {
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the node did not end within {secs} s\n--- stdout\n{}--- stderr\n{}",
            self.out(),
            self.err()
        );
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!("--- a node's stderr\n{}", self.err());
        }
    }
}

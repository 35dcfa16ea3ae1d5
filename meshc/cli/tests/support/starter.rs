//! Shared by the Todo starter tests (`todo_sqlite.rs`, `todo_postgres.rs`,
//! `todo_postgres_failover.rs`, tooling spec §8.5 and §9.4): `meshc`, scratch directories, a
//! starter process serving HTTP on a loopback port with its output in log files, and one
//! HTTP/1.1 exchange on a fresh connection. Included with `#[path = "support/starter.rs"]`, beside
//! `#[path = "support/node.rs"] mod node;`.
#![allow(dead_code)]

use super::node;
#[allow(unused_imports)] // each test binary uses some of them
pub use super::node::{repo_root, scratch, text};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `meshc` without the runtime-library, cookie and `DATABASE_URL` variables of the caller.
pub fn meshc() -> Command {
    let mut cmd = node::meshc();
    cmd.env_remove("DATABASE_URL");
    cmd
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("meshc runs")
}

/// `meshc init --template todo-api --db DB NAME` in `dir`; fails unless it succeeds. The
/// output.
pub fn init_todo(dir: &Path, db: &str, name: &str) -> Output {
    let out =
        run(meshc()
            .current_dir(dir)
            .args(["init", "--template", "todo-api", "--db", db, name]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    out
}

/// `meshc test` on the generated `project` (its 2 test files pass), then `meshc build
/// --output exe`.
pub fn test_and_build(project: &Path, exe: &Path) {
    let tests = run(meshc().arg("test").arg(project));
    let report = text(&tests.stdout);
    assert!(tests.status.success(), "{report}{}", text(&tests.stderr));
    assert!(
        report.contains("0 failed; 0 compile errors; 2 files"),
        "{report}"
    );
    let built = run(meshc().arg("build").arg(project).arg("--output").arg(exe));
    assert!(built.status.success(), "{}", text(&built.stderr));
}

/// A bash script run with `env` (DATABASE_URL removed unless given): exit code and combined
/// output.
pub fn script(path: &Path, args: &[&str], cwd: &Path, env: &[(&str, String)]) -> (i32, String) {
    let mut cmd = Command::new("bash");
    cmd.arg(path)
        .args(args)
        .current_dir(cwd)
        .env_remove("DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash runs");
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

/// The staged bundle's `apply-deploy-migrations.sh todo-postgres.up.sql`, run in `bundle`
/// with `env` (see `script`).
pub fn apply_deploy_sql(bundle: &Path, env: &[(&str, String)]) -> (i32, String) {
    script(
        &bundle.join("apply-deploy-migrations.sh"),
        &["todo-postgres.up.sql"],
        bundle,
        env,
    )
}

/// An ephemeral port of 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind an ephemeral port")
        .local_addr()
        .expect("address")
        .port()
}

/// The environment of a starter node: `DATABASE_URL`, the cluster cookie, node name, port
/// and seed (`localhost`), and the continuity role.
pub fn node_env(
    url: &str,
    cookie: &str,
    node: &str,
    cluster_port: u16,
    role: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("DATABASE_URL", url.to_string()),
        ("MESH_CLUSTER_COOKIE", cookie.to_string()),
        ("MESH_NODE_NAME", node.to_string()),
        ("MESH_CLUSTER_PORT", cluster_port.to_string()),
        ("MESH_DISCOVERY_SEED", "localhost".to_string()),
        ("MESH_CONTINUITY_ROLE", role.to_string()),
    ]
}

/// A running starter: the child, its HTTP port and the files its output goes to.
pub struct Server {
    child: Child,
    pub port: u16,
    stdout: PathBuf,
    stderr: PathBuf,
}

fn log_file(path: &Path) -> std::fs::File {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("log file")
}

impl Server {
    /// Runs `cmd` (its environment set by the caller) with `PORT=port`, stdin closed, stdout
    /// appended to `stdout` and stderr to `stderr` (the same file when they are equal), and
    /// waits until 127.0.0.1:`port` takes connections; fails when the process ends first or
    /// after 20 s.
    pub fn spawn(mut cmd: Command, port: u16, stdout: &Path, stderr: &Path) -> Server {
        let out = log_file(stdout);
        let err = if stdout == stderr {
            out.try_clone().expect("log file")
        } else {
            log_file(stderr)
        };
        cmd.env("PORT", port.to_string())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let mut server = Server {
            child: cmd.spawn().expect("the starter starts"),
            port,
            stdout: stdout.to_path_buf(),
            stderr: stderr.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = server.child.try_wait().expect("wait").is_some();
            assert!(
                !exited && Instant::now() < deadline,
                "the starter did not listen: {}",
                server.logs()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// Stdout, then stderr (once when they share a file).
    pub fn logs(&self) -> String {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        if self.stdout == self.stderr {
            read(&self.stdout)
        } else {
            format!("{}{}", read(&self.stdout), read(&self.stderr))
        }
    }

    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        request(self.port, method, path, body)
    }

    /// `request` with `Content-Type: application/json`.
    pub fn request_json(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        request_json(self.port, method, path, body)
    }

    /// SIGTERM (graceful shutdown), then SIGKILL after `grace`; returns the logs.
    pub fn stop(mut self, grace: Duration) -> String {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + grace;
        while self.child.try_wait().expect("wait").is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.logs()
    }

    /// SIGKILL and reap.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One response: status, headers (names lowercased), body as JSON, and the raw text.
pub struct Reply {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Value,
    pub raw: String,
}

impl Reply {
    pub fn request_key(&self) -> Option<&str> {
        self.headers
            .get("x-mesh-continuity-request-key")
            .map(String::as_str)
    }
}

/// One HTTP/1.1 exchange on a fresh connection.
pub fn request(port: u16, method: &str, path: &str, body: Option<&str>) -> Reply {
    exchange(port, method, path, body, "")
}

/// `request` with `Content-Type: application/json`.
pub fn request_json(port: u16, method: &str, path: &str, body: Option<&str>) -> Reply {
    exchange(
        port,
        method,
        path,
        body,
        "Content-Type: application/json\r\n",
    )
}

/// One HTTP/1.1 exchange with `more_head` (whole header lines) in the request head.
fn exchange(port: u16, method: &str, path: &str, body: Option<&str>, more_head: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let body = body.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{more_head}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("write");
    stream.write_all(body.as_bytes()).expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let raw = text(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").expect("a response head");
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status code");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let json = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    Reply {
        status,
        headers,
        body: json,
        raw,
    }
}

/// `{"error": message}`.
pub fn error(message: &str) -> Value {
    serde_json::json!({ "error": message })
}

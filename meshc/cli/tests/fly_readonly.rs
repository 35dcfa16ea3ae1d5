//! scripts/verify-fly-readonly.sh (tooling §9.10) offline: `--help` with no PATH, every input
//! validation message, and live runs against a stub `fly` executable (canned JSON/TOML/logs), a
//! stub `meshc` (canned cluster answers) and a local HTTP server answering like the hosted app —
//! a passing run, and each drifted or failing answer failing in its own phase. The stubs record
//! every call: the script must only read.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const APP: &str = "mesh-todo-proof";
const COOKIE: &str = "fly-stub-cookie-5e1f0a2b9c";
const KEY: &str = "http-route::Api.Todos.handle_list_todos::7";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const STATUS: &str = r#"{"ID":"mesh-todo-proof","Name":"mesh-todo-proof","Machines":[
  {"id":"1781","state":"started","region":"ams"},{"id":"2892","state":"started","region":"ams"}]}"#;

const CONFIG: &str = r#"{"app":"mesh-todo-proof","primary_region":"ams",
  "env":{"MESH_CLUSTER_PORT":"4370","MESH_DISCOVERY_SEED":"mesh-todo-proof.internal"},
  "http_service":{"internal_port":8080,"force_https":true,"auto_stop_machines":"off"}}"#;

const CONFIG_TOML: &str = r#"app = "mesh-todo-proof"
primary_region = "ams"

[env]
  MESH_CLUSTER_PORT = "4370"
  MESH_DISCOVERY_SEED = "mesh-todo-proof.internal"

[http_service]
  internal_port = 8080
  force_https = true
  auto_stop_machines = false
"#;

const LOGS: &str = "2026-12-07T05:00:00Z app[1781] ams [info][todo-api] runtime bootstrap mode=cluster node=a@fdaa::1:4370 cluster_port=4370 discovery_seed=mesh-todo-proof.internal\n2026-12-07T05:00:01Z app[2892] ams [info][todo-api] HTTP server starting on :8080\n";

const HEALTH: &str = r#"{"status":"ok","db_backend":"postgres","migration_strategy":"meshc migrate","clustered_handler":"Work.sync_todos","rate_limit_window_seconds":60,"rate_limit_max_requests":5}"#;

const CLUSTER_STATUS: &str = r#"{"target":"a@127.0.0.1:4370","membership":{"local_node":"a@127.0.0.1:4370","peer_nodes":["b@fdaa::2:4370"],"nodes":["a@127.0.0.1:4370","b@fdaa::2:4370"]},"authority":{"cluster_role":"primary","promotion_epoch":0,"replication_health":"healthy"}}"#;

fn continuity(phase: &str) -> String {
    format!(
        r#"{{"target":"a@127.0.0.1:4370","record":{{"request_key":"{KEY}","payload_hash":"ab","attempt_id":"attempt-0","phase":"{phase}","result":"succeeded","ingress_node":"a@127.0.0.1:4370","owner_node":"a@127.0.0.1:4370","replica_node":"b@[fdaa::2]:4370","replication_count":2,"replica_status":"mirrored","cluster_role":"primary","promotion_epoch":0,"replication_health":"healthy","execution_node":"a@127.0.0.1:4370","declared_handler_runtime_name":"Api.Todos.handle_list_todos","routed_remotely":false,"fell_back_locally":false,"error":""}}}}"#
    )
}

/// A stand-in for the hosted app: answers every request with the current canned health
/// answer, records request lines.
struct App {
    port: u16,
    answer: Arc<Mutex<(u16, String)>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl App {
    fn start() -> App {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let answer = Arc::new(Mutex::new((200, HEALTH.to_string())));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (a, r) = (Arc::clone(&answer), Arc::clone(&requests));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                r.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(line.trim_end().to_string());
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let (status, body) = a.lock().unwrap_or_else(|e| e.into_inner()).clone();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        App {
            port,
            answer,
            requests,
        }
    }

    fn answer(&self, status: u16, body: &str) {
        *self.answer.lock().unwrap_or_else(|e| e.into_inner()) = (status, body.to_string());
    }
}

/// A throwaway "repository" holding a copy of the script (its artifacts go under it) and a
/// bin/ of stubs whose canned answers live in stub/.
struct Case {
    root: PathBuf,
}

fn write_exe(path: &Path, body: &str) {
    std::fs::write(path, body).expect("write stub");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

impl Case {
    fn new(tag: &str) -> Case {
        let root = repo_root().join("target/cli-tests/fly-readonly").join(tag);
        let _ = std::fs::remove_dir_all(&root);
        for dir in ["scripts/lib", "bin", "stub"] {
            std::fs::create_dir_all(root.join(dir)).expect("dir");
        }
        // The script and the library it sources.
        for file in ["scripts/verify-fly-readonly.sh", "scripts/lib/verify.sh"] {
            std::fs::copy(repo_root().join(file), root.join(file)).expect("copy script");
        }
        // The stubs answer only the read-only commands; anything else is recorded and fails.
        write_exe(
            &root.join("bin/fly"),
            r#"#!/bin/sh
d=$(dirname "$0")/../stub
echo "fly $*" >>"$d/calls.log"
case "$*" in
  "status -a mesh-todo-proof --json") cat "$d/status.json" ;;
  "config show -a mesh-todo-proof") cat "$d/config" ;;
  "logs -a mesh-todo-proof --no-tail") cat "$d/logs.txt" ;;
  *) echo "stub fly: unexpected command: $*" >&2; exit 97 ;;
esac
"#,
        );
        write_exe(
            &root.join("bin/meshc"),
            r#"#!/bin/sh
d=$(dirname "$0")/../stub
echo "meshc $*" >>"$d/calls.log"
case "$1 $2 $#" in
  "cluster status 4") cat "$d/cluster-status.json" ;;
  "cluster continuity 5") cat "$d/continuity.json" ;;
  *) echo "stub meshc: unexpected command: $*" >&2; exit 97 ;;
esac
"#,
        );
        let case = Case { root };
        case.stub("status.json", STATUS);
        case.stub("config", CONFIG);
        case.stub("logs.txt", LOGS);
        case.stub("cluster-status.json", CLUSTER_STATUS);
        case.stub("continuity.json", &continuity("completed"));
        case
    }

    fn stub(&self, file: &str, content: &str) {
        std::fs::write(self.root.join("stub").join(file), content).expect("stub answer");
    }

    fn calls(&self) -> String {
        std::fs::read_to_string(self.root.join("stub/calls.log")).unwrap_or_default()
    }

    fn artifact(&self, file: &str) -> String {
        std::fs::read_to_string(self.root.join(".tmp/verify-fly-readonly/verify").join(file))
            .unwrap_or_default()
    }

    /// Runs the script with the live-mode environment for `app` plus `extra` (a value of
    /// None removes the variable).
    fn run(&self, app: &App, extra: &[(&str, Option<&str>)]) -> Output {
        let path = format!(
            "{}:{}",
            self.root.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("bash");
        cmd.arg(self.root.join("scripts/verify-fly-readonly.sh"))
            .env("PATH", path)
            .env("CLUSTER_PROOF_FLY_APP", APP)
            .env(
                "CLUSTER_PROOF_BASE_URL",
                format!("http://{APP}.fly.dev:{}", app.port),
            )
            .env("CLUSTER_PROOF_RESOLVE", "127.0.0.1")
            .env("MESHC", self.root.join("bin/meshc"))
            .env_remove("CLUSTER_PROOF_NODE")
            .env_remove("CLUSTER_PROOF_REQUEST_KEY")
            .env_remove("MESH_CLUSTER_COOKIE");
        for (k, v) in extra {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd.output().expect("bash runs")
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

fn all(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

/// The run failed in `phase` with a message containing `needle`.
fn fails_in(case: &Case, out: &Output, phase: &str, needle: &str) {
    let said = all(out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!("verification drift: phase {phase} failed")),
        "expected a drift in {phase}:\n{said}"
    );
    assert!(said.contains(needle), "expected {needle:?}:\n{said}");
    let report = case.artifact("phase-report.txt");
    assert!(
        report.trim_end().ends_with(&format!("{phase}\tfailed")),
        "{report}"
    );
    assert_eq!(case.artifact("status.txt").trim(), "failed");
    assert!(!said.contains("verify-fly-readonly: ok"), "{said}");
}

/// Every call the stubs saw is one of the read-only commands.
fn only_reads(case: &Case) {
    for call in case.calls().lines() {
        assert!(
            call.starts_with("fly status -a ")
                || call.starts_with("fly config show -a ")
                || call.starts_with("fly logs -a ")
                || call.starts_with("meshc cluster status ")
                || call.starts_with("meshc cluster continuity "),
            "a non-read command was run: {call}"
        );
    }
}

#[test]
fn help_needs_no_tool_and_other_arguments_are_usage_errors() {
    let script = repo_root().join("scripts/verify-fly-readonly.sh");
    for flag in ["--help", "-h"] {
        let out = Command::new("/bin/bash")
            .arg(&script)
            .arg(flag)
            .env_clear()
            .output()
            .expect("bash runs");
        let usage = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", all(&out));
        assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
        for needle in [
            "CLUSTER_PROOF_FLY_APP",
            "CLUSTER_PROOF_BASE_URL",
            "CLUSTER_PROOF_REQUEST_KEY",
            "CLUSTER_PROOF_NODE",
            "fly status -a <app> --json",
            "fly config show",
            "fly logs -a <app> --no-tail",
            "meshc cluster continuity",
            "never deploys, restarts, scales, writes secrets",
            ".tmp/verify-fly-readonly/",
        ] {
            assert!(usage.contains(needle), "usage lacks {needle:?}:\n{usage}");
        }
    }
    for args in [&["--bogus"][..], &["--help", "extra"][..], &["live"][..]] {
        let out = Command::new("/bin/bash")
            .arg(&script)
            .args(args)
            .env_clear()
            .output()
            .expect("bash runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", all(&out));
        assert!(text(&out.stdout).is_empty());
        assert!(text(&out.stderr).starts_with("usage: "));
    }
}

#[test]
fn input_validation_rejects_each_bad_input_before_any_command() {
    let app = App::start();
    let port = app.port.to_string();
    let url = |s: &str| s.replace("PORT", &port);
    let long_key = "k".repeat(129);
    type Env<'a> = Vec<(&'a str, Option<String>)>;
    let cases: Vec<(Env, &str)> = vec![
        (
            vec![("CLUSTER_PROOF_FLY_APP", None)],
            "CLUSTER_PROOF_FLY_APP must be set",
        ),
        (
            vec![("CLUSTER_PROOF_BASE_URL", None)],
            "CLUSTER_PROOF_BASE_URL must be set",
        ),
        (
            vec![(
                "CLUSTER_PROOF_BASE_URL",
                Some(url("ftp://mesh-todo-proof.fly.dev:PORT")),
            )],
            "must use http or https",
        ),
        (
            vec![(
                "CLUSTER_PROOF_BASE_URL",
                Some(url("http://other.fly.dev:PORT")),
            )],
            "host must be mesh-todo-proof.fly.dev",
        ),
        (
            vec![(
                "CLUSTER_PROOF_BASE_URL",
                Some(url("http://u:p@mesh-todo-proof.fly.dev:PORT")),
            )],
            "must not contain credentials",
        ),
        (
            vec![(
                "CLUSTER_PROOF_BASE_URL",
                Some(url("http://mesh-todo-proof.fly.dev:PORT/todos")),
            )],
            "must not contain a path",
        ),
        (
            vec![(
                "CLUSTER_PROOF_BASE_URL",
                Some(url("http://mesh-todo-proof.fly.dev:PORT?x=1")),
            )],
            "must not contain a query",
        ),
        (
            vec![(
                "CLUSTER_PROOF_BASE_URL",
                Some(url("http://mesh-todo-proof.fly.dev:PORT#f")),
            )],
            "must not contain a fragment",
        ),
        (
            vec![("CLUSTER_PROOF_REQUEST_KEY", Some(KEY.into()))],
            "CLUSTER_PROOF_REQUEST_KEY requires CLUSTER_PROOF_NODE",
        ),
        (
            vec![
                ("CLUSTER_PROOF_REQUEST_KEY", Some(format!(" {KEY}"))),
                ("CLUSTER_PROOF_NODE", Some("a@127.0.0.1:4370".into())),
                ("MESH_CLUSTER_COOKIE", Some(COOKIE.into())),
            ],
            "must not have surrounding whitespace",
        ),
        (
            vec![
                ("CLUSTER_PROOF_REQUEST_KEY", Some(long_key.clone())),
                ("CLUSTER_PROOF_NODE", Some("a@127.0.0.1:4370".into())),
                ("MESH_CLUSTER_COOKIE", Some(COOKIE.into())),
            ],
            "must be 1-128 characters",
        ),
        (
            vec![
                ("CLUSTER_PROOF_REQUEST_KEY", Some("a\tb".into())),
                ("CLUSTER_PROOF_NODE", Some("a@127.0.0.1:4370".into())),
                ("MESH_CLUSTER_COOKIE", Some(COOKIE.into())),
            ],
            "must not contain control characters",
        ),
        (
            vec![
                ("CLUSTER_PROOF_NODE", Some("a@127.0.0.1".into())),
                ("MESH_CLUSTER_COOKIE", Some(COOKIE.into())),
            ],
            "CLUSTER_PROOF_NODE must be name@host:port",
        ),
        (
            vec![("CLUSTER_PROOF_NODE", Some("a@127.0.0.1:4370".into()))],
            "CLUSTER_PROOF_NODE requires MESH_CLUSTER_COOKIE",
        ),
    ];
    let case = Case::new("inputs");
    for (env, message) in &cases {
        let env: Vec<(&str, Option<&str>)> = env.iter().map(|(k, v)| (*k, v.as_deref())).collect();
        let out = case.run(&app, &env);
        fails_in(&case, &out, "input-validation", message);
        assert!(!all(&out).contains(COOKIE), "the cookie was printed");
    }
    assert!(
        case.calls().is_empty(),
        "commands ran before validation: {}",
        case.calls()
    );
    assert!(app
        .requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_empty());
}

#[test]
fn a_healthy_deployment_passes_with_read_only_commands() {
    let app = App::start();
    let case = Case::new("ok");
    let node = [
        ("CLUSTER_PROOF_NODE", Some("a@127.0.0.1:4370")),
        ("CLUSTER_PROOF_REQUEST_KEY", Some(KEY)),
        ("MESH_CLUSTER_COOKIE", Some(COOKIE)),
    ];
    let out = case.run(&app, &node);
    let said = all(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert_eq!(
        said.trim_end().lines().last(),
        Some("verify-fly-readonly: ok")
    );
    assert_eq!(case.artifact("status.txt").trim(), "ok");
    assert_eq!(case.artifact("current-phase.txt").trim(), "complete");
    let validation: serde_json::Value =
        serde_json::from_str(&case.artifact("input-validation.json")).expect("validation JSON");
    assert_eq!(
        validation["base_url"],
        format!("http://{APP}.fly.dev:{}", app.port)
    );
    assert_eq!(validation["commands"].as_array().map(Vec::len), Some(6));
    let report = case.artifact("phase-report.txt");
    for phase in [
        "preflight",
        "input-validation",
        "fly-status",
        "fly-config",
        "fly-logs",
        "health",
        "cluster",
        "redaction",
    ] {
        assert!(report.contains(&format!("{phase}\tpassed")), "{report}");
    }
    only_reads(&case);
    assert_eq!(case.calls().lines().count(), 5, "{}", case.calls());
    let requests = app
        .requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    assert_eq!(requests, vec!["GET /health HTTP/1.1".to_string()]);
    let bundle = case.artifact("latest-proof-bundle.txt");
    let manifest = std::fs::read_to_string(Path::new(bundle.trim()).join("manifest.txt"))
        .expect("bundle manifest");
    assert!(manifest.contains("input-validation.json"), "{manifest}");
    assert!(!said.contains(COOKIE));
    // The TOML form of `fly config show` is accepted too, and the cluster phase is optional.
    case.stub("config", CONFIG_TOML);
    let out = case.run(&app, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", all(&out));
    assert!(!case.artifact("phase-report.txt").contains("cluster"));
}

#[test]
fn each_drifted_or_failing_probe_fails_in_its_phase() {
    let app = App::start();
    let case = Case::new("drift");
    let node = [
        ("CLUSTER_PROOF_NODE", Some("a@127.0.0.1:4370")),
        ("CLUSTER_PROOF_REQUEST_KEY", Some(KEY)),
        ("MESH_CLUSTER_COOKIE", Some(COOKIE)),
    ];
    let check = |file: &str, bad: &str, good: &str, phase: &str, needle: &str| {
        case.stub(file, bad);
        let out = case.run(&app, &node);
        fails_in(&case, &out, phase, needle);
        case.stub(file, good);
    };
    check(
        "status.json",
        r#"{"Machines":[{"id":"1781","state":"started"}]}"#,
        STATUS,
        "fly-status",
        "found 1",
    );
    check(
        "status.json",
        r#"{"Machines":[{"id":"1","state":"started"},{"id":"2","state":"stopped"}]}"#,
        STATUS,
        "fly-status",
        "states=started,stopped",
    );
    check(
        "config",
        &CONFIG.replace("mesh-todo-proof.internal", "localhost"),
        CONFIG,
        "fly-config",
        "MESH_DISCOVERY_SEED is 'localhost'",
    );
    check(
        "config",
        &CONFIG.replace(
            r#""auto_stop_machines":"off""#,
            r#""auto_stop_machines":"stop""#,
        ),
        CONFIG,
        "fly-config",
        "auto_stop_machines is 'stop'",
    );
    check(
        "logs.txt",
        &format!("{LOGS}2026-12-07T05:00:02Z app[2892] [todo-api] runtime bootstrap failed reason=bind\n"),
        LOGS,
        "fly-logs",
        "failed runtime bootstrap",
    );
    check(
        "cluster-status.json",
        &CLUSTER_STATUS.replace(r#","b@fdaa::2:4370"]},"#, r#"]},"#),
        CLUSTER_STATUS,
        "cluster",
        "expected at least two nodes, found 1",
    );
    check(
        "continuity.json",
        &continuity("finished"),
        &continuity("completed"),
        "cluster",
        "record phase is 'finished'",
    );
    // The app itself: failing, stale and leaking answers.
    for (status, body, needle) in [
        (503, HEALTH.to_string(), "health answered 503"),
        (
            200,
            HEALTH.replace(r#""status":"ok""#, r#""status":"degraded""#),
            "status is 'degraded'",
        ),
        (
            200,
            HEALTH.replace("postgres", "sqlite"),
            "db_backend is 'sqlite'",
        ),
        (
            200,
            HEALTH.replace('}', r#","database_url":"<hidden>"}"#),
            "exposes a database_url key",
        ),
        (200, "not json".to_string(), "health body is not JSON"),
    ] {
        app.answer(status, &body);
        let out = case.run(&app, &node);
        fails_in(&case, &out, "health", needle);
    }
    app.answer(200, HEALTH);
    // Nothing listening: the probe fails, it is not hidden.
    let dead = TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead_port = dead.local_addr().expect("addr").port();
    drop(dead);
    let dead_url = format!("http://{APP}.fly.dev:{dead_port}");
    let out = case.run(&app, &[("CLUSTER_PROOF_BASE_URL", Some(&dead_url))]);
    fails_in(&case, &out, "health", "failed (curl exit");
    // A failing fly CLI is a failure too.
    write_exe(
        &case.root.join("bin/fly"),
        "#!/bin/sh\necho \"fly $*\" >>\"$(dirname \"$0\")/../stub/calls.log\"\necho 'Error: not logged in' >&2\nexit 1\n",
    );
    let out = case.run(&app, &[]);
    fails_in(&case, &out, "fly-status", "fly status failed");
    // No fly on PATH: preflight.
    std::fs::remove_file(case.root.join("bin/fly")).expect("rm stub");
    let out = case.run(&app, &[]);
    fails_in(&case, &out, "preflight", "missing tool: fly");
    only_reads(&case);
}

/// The tooling spec's Appendix A aliases shipped so far: one line each, naming a canonical
/// script that exists, forwarding arguments and exit status.
#[test]
fn appendix_a_aliases_forward_to_their_scripts() {
    let scripts = repo_root().join("scripts");
    for (alias, canonical) in [
        ("verify-m051-s02.sh", "verify-reference-backend.sh"),
        ("verify-m053-s01.sh", "verify-todo-postgres-deploy.sh"),
        ("verify-m053-s02.sh", "verify-todo-postgres-failover.sh"),
        ("verify-m045-s03.sh", "verify-todo-postgres-failover.sh"),
        ("verify-m047-s05.sh", "verify-todo-starters.sh"),
        ("verify-m049-s05.sh", "verify-todo-starters.sh"),
        ("verify-m043-s04-fly.sh", "verify-fly-readonly.sh"),
        ("verify-m047-s04.sh", "verify-clustered-scaffold.sh"),
        ("verify-m046-s04.sh", "verify-clustered-scaffold.sh"),
        ("verify-m046-s05.sh", "verify-clustered-scaffold.sh"),
        ("verify-m046-s06.sh", "verify-clustered-scaffold.sh"),
        ("verify-m045-s04.sh", "verify-clustered-scaffold.sh"),
        ("verify-m045-s05.sh", "verify-clustered-scaffold.sh"),
        ("verify-m047-s06.sh", "verify-docs-contract.sh"),
        (
            "verify-production-proof-surface.sh",
            "verify-docs-contract.sh",
        ),
    ] {
        let body = std::fs::read_to_string(scripts.join(alias)).expect("alias exists");
        let lines: Vec<&str> = body.lines().filter(|l| !l.starts_with("#!")).collect();
        assert_eq!(lines.len(), 1, "{alias}: {body}");
        assert!(
            lines[0].starts_with(&format!(
                "exec bash \"$(dirname \"${{BASH_SOURCE[0]}}\")/{canonical}\" \"$@\""
            )),
            "{alias}: {body}"
        );
        assert!(scripts.join(canonical).is_file(), "{canonical} missing");
    }
    let alias = scripts.join("verify-m043-s04-fly.sh");
    let help = Command::new("bash")
        .arg(&alias)
        .arg("--help")
        .output()
        .expect("bash");
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("CLUSTER_PROOF_FLY_APP"));
    let bad = Command::new("bash")
        .arg(&alias)
        .arg("--bogus")
        .output()
        .expect("bash");
    assert_eq!(bad.status.code(), Some(2));
    // The docs aliases pass their arguments and forward the failure of the canonical script
    // (a site directory that does not exist: every built page is missing).
    let missing = "target/no-such-site";
    let run = |script: &str| {
        Command::new("bash")
            .arg(scripts.join(script))
            .arg(missing)
            .output()
            .expect("bash")
    };
    let canonical = run("verify-docs-contract.sh");
    assert_eq!(
        canonical.status.code(),
        Some(1),
        "{}",
        text(&canonical.stdout)
    );
    for alias in ["verify-m047-s06.sh", "verify-production-proof-surface.sh"] {
        let out = run(alias);
        assert_eq!(out.status.code(), Some(1), "{alias}");
        assert_eq!(text(&out.stdout), text(&canonical.stdout), "{alias}");
    }
}

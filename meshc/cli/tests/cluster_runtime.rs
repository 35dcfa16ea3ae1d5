//! Clustered startup work with real node processes on loopback (runtime-cluster §4.2–§4.4,
//! §6.2–§6.3, §9), observed through the §9 log lines on stderr: the program is
//! `tests/fixtures/cluster/startup` (`@cluster pub fn add()` in `work.mpl`, a route-free
//! `main` that bootstraps from the environment). Standalone it runs its startup work once and
//! exits; two nodes (primary `a@127.0.0.1:P`, standby `b@[::1]:P`) run it once, on the
//! primary, mirrored on the standby, and keep running; a primary killed during the dispatch
//! window is replaced by the standby, which promotes itself and re-runs the work under a new
//! attempt. (The operator-based §10 scenarios are in `e2e_cluster.rs`.)

#[path = "support/node.rs"]
mod node;

use node::{build, cluster_env as node_env, cookie, free_port, repo_root, tests_dir, NodeProc};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Builds the fixture project `tests/fixtures/cluster/<fixture>`.
fn build_fixture(fixture: &str) -> PathBuf {
    let exe = tests_dir(&format!("cluster_runtime-{}", std::process::id())).join(fixture);
    build(
        &repo_root().join("tests/fixtures/cluster").join(fixture),
        &exe,
    );
    exe
}

/// The startup-work program, built once per test run.
fn program() -> &'static Path {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| build_fixture("startup"))
}

/// One running program with its output collected as it comes.
type Proc = NodeProc;

/// Starts the program with `env` (stdin closed).
fn start(env: &[(&str, String)]) -> Proc {
    NodeProc::spawn(
        Command::new(program()),
        &node::name_in(env),
        env,
        Stdio::null(),
    )
}

/// A line of a program's stderr, waited for.
trait WaitLine {
    /// Waits until stderr has a line containing every one of `needles`; returns that line.
    fn wait_line(&self, needles: &[&str], secs: u64) -> String;
}

impl WaitLine for Proc {
    fn wait_line(&self, needles: &[&str], secs: u64) -> String {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(line) = lines(&self.err(), needles).first() {
                return line.clone();
            }
            assert!(
                Instant::now() < until,
                "no line with {needles:?} within {secs} s\nstdout:\n{}\nstderr:\n{}",
                self.out(),
                self.err()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The lines of `text` containing every one of `needles`.
fn lines(text: &str, needles: &[&str]) -> Vec<String> {
    text.lines()
        .filter(|l| needles.iter().all(|n| l.contains(n)))
        .map(str::to_string)
        .collect()
}

const STARTUP: &str = "[mesh-rt startup] transition=";
const CONTINUITY: &str = "[mesh-rt continuity] transition=";

fn count(text: &str, needles: &[&str]) -> usize {
    lines(text, needles).len()
}

#[test]
fn standalone_startup_work_runs_once_and_the_program_exits() {
    let mut p = start(&[]);
    let until = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = p.try_exit() {
            break status;
        }
        assert!(Instant::now() < until, "still running:\n{}", p.err());
        std::thread::sleep(Duration::from_millis(20));
    };
    // The collectors finish once the pipes close.
    std::thread::sleep(Duration::from_millis(100));
    let (out, err) = (p.out(), p.err());
    assert_eq!(status.code(), Some(0), "{err}");
    assert_eq!(count(&out, &["[work] add ran"]), 1, "{out}");
    let key = "request_key=startup::Work.add";
    for t in ["startup_registered", "startup_trigger", "startup_completed"] {
        assert_eq!(
            count(
                &err,
                &[&format!("{STARTUP}{t} runtime_name=Work.add "), key]
            ),
            1,
            "{t}:\n{err}"
        );
    }
    let done = lines(&err, &[&format!("{STARTUP}startup_completed")]).remove(0);
    for field in [
        "attempt_id=attempt-1",
        "owner=standalone@local",
        "execution_node=standalone@local",
        "replication_health=local_only",
        "replica= ",
    ] {
        assert!(done.contains(field), "{field} in {done}");
    }
    let trigger = lines(&err, &[&format!("{STARTUP}startup_trigger")]).remove(0);
    assert!(
        trigger.contains("required_replicas=0 membership=standalone@local"),
        "{trigger}"
    );
    assert_eq!(count(&err, &["startup_rejected"]), 0, "{err}");
    assert_eq!(count(&err, &["mesh node: listening"]), 0, "{err}");
}

/// Starts the standby and the primary (same port, [::1] and 127.0.0.1).
fn two_nodes(tag: &str, extra: &[(&'static str, String)]) -> (Proc, Proc, String, String) {
    let port = free_port();
    let cookie = cookie(tag);
    let a = format!("a@127.0.0.1:{port}");
    let b = format!("b@[::1]:{port}");
    let mut env_a = node_env(&cookie, &a, port);
    env_a.extend_from_slice(extra);
    let mut env_b = node_env(&cookie, &b, port);
    env_b.push(("MESH_CONTINUITY_ROLE", "standby".to_string()));
    env_b.extend_from_slice(extra);
    // The standby first: the primary's convergence wait (2 s without a peer) then always
    // finds it listening, however slowly the processes start.
    let pb = start(&env_b);
    pb.wait_line(&["mesh node: listening", "role=standby"], 10);
    let pa = start(&env_a);
    (pa, pb, a, b)
}

#[test]
fn two_nodes_run_startup_work_once_on_the_primary() {
    let (mut pa, mut pb, a, b) = two_nodes("once", &[]);
    let done = pa.wait_line(&[&format!("{STARTUP}startup_completed")], 20);
    for field in [
        "attempt_id=attempt-1".to_string(),
        format!("owner={a}"),
        format!("replica={b}"),
        format!("execution_node={a}"),
        "replica_status=mirrored".to_string(),
        "replication_health=healthy".to_string(),
    ] {
        assert!(done.contains(&field), "{field} in {done}");
    }
    let trigger = pa.wait_line(&[&format!("{STARTUP}startup_trigger")], 1);
    assert!(
        trigger.contains("required_replicas=1") && trigger.contains(&format!("membership={a},{b}")),
        "{trigger}"
    );
    pa.wait_line(
        &[&format!("{CONTINUITY}replica_ack"), "attempt_id=attempt-1"],
        1,
    );
    pb.wait_line(
        &[
            &format!("{CONTINUITY}replica_prepare"),
            "attempt_id=attempt-1",
        ],
        10,
    );
    pb.wait_line(
        &[
            &format!("{STARTUP}startup_skipped runtime_name=Work.add"),
            "reason=startup_skipped:standby_authority",
        ],
        10,
    );
    // Cluster nodes with startup work keep running after main returned (§4.2).
    std::thread::sleep(Duration::from_millis(500));
    assert!(pa.try_exit().is_none(), "primary exited");
    assert!(pb.try_exit().is_none(), "standby exited");
    let (ea, eb) = (pa.err(), pb.err());
    assert_eq!(count(&pa.out(), &["[work] add ran"]), 1, "{}", pa.out());
    assert_eq!(count(&pb.out(), &["[work] add ran"]), 0, "{}", pb.out());
    assert_eq!(count(&ea, &["startup_trigger"]), 1, "{ea}");
    assert_eq!(count(&eb, &["startup_trigger"]), 0, "{eb}");
    assert_eq!(count(&ea, &["startup_completed"]), 1, "{ea}");
    for e in [&ea, &eb] {
        assert_eq!(count(e, &["startup_rejected"]), 0, "{e}");
        assert_eq!(count(e, &["startup_convergence_timeout"]), 0, "{e}");
        assert!(!e.contains(&cookie("once")), "cookie leaked");
    }
    assert!(
        ea.contains(&format!("mesh node: connected peer={b}")),
        "{ea}"
    );
    assert!(
        eb.contains(&format!("mesh node: connected peer={a}")),
        "{eb}"
    );
    // SIGTERM ends a kept-alive node with status 0; its peer sees a closed socket (§11).
    let term = Command::new("kill")
        .arg("-TERM")
        .arg(pb.id().to_string())
        .status()
        .expect("kill runs");
    assert!(term.success());
    let until = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = pb.try_exit() {
            break status;
        }
        assert!(Instant::now() < until, "standby ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    pa.wait_line(
        &[&format!("mesh node: disconnected peer={b} reason=closed")],
        10,
    );
    pa.kill();
}

#[test]
fn killed_primary_during_the_dispatch_window_is_replaced_by_the_standby() {
    let window = [("MESH_STARTUP_WORK_DELAY_MS", "20000".to_string())];
    let (mut pa, pb, a, b) = two_nodes("failover", &window);
    let line = pa.wait_line(&[&format!("{STARTUP}startup_dispatch_window")], 20);
    assert!(
        line.contains("attempt_id=attempt-1") && line.contains("runtime_name=Work.add"),
        "{line}"
    );
    pb.wait_line(
        &[
            &format!("{CONTINUITY}replica_prepare"),
            "attempt_id=attempt-1",
        ],
        5,
    );
    let killed = Instant::now();
    pa.kill();
    let promotion = pb.wait_line(&[&format!("{CONTINUITY}automatic_promotion ")], 10);
    for field in [
        "cluster_role=primary".to_string(),
        "promotion_epoch=1".to_string(),
        format!("reason=peer_lost:{a}"),
        "previous_epoch=0".to_string(),
        format!("disconnected_node={a}"),
    ] {
        assert!(promotion.contains(&field), "{field} in {promotion}");
    }
    assert!(
        killed.elapsed() < Duration::from_secs(10),
        "promotion took {:?}",
        killed.elapsed()
    );
    let rollover = pb.wait_line(&[&format!("{CONTINUITY}recovery_rollover")], 5);
    assert!(
        rollover.contains("attempt_id=attempt-2") && rollover.contains(&format!("owner={b}")),
        "{rollover}"
    );
    let recovery = pb.wait_line(&[&format!("{CONTINUITY}automatic_recovery ")], 5);
    assert!(
        recovery.contains("attempt_id=attempt-2")
            && recovery.contains("request_key=startup::Work.add")
            && recovery.contains("previous_attempt_id=attempt-1")
            && recovery.contains("runtime_name=Work.add"),
        "{recovery}"
    );
    let done = pb.wait_line(&[&format!("{STARTUP}startup_completed")], 10);
    for field in [
        "attempt_id=attempt-2".to_string(),
        format!("owner={b}"),
        format!("execution_node={b}"),
        "replica= ".to_string(),
        "promotion_epoch=1".to_string(),
    ] {
        assert!(done.contains(&field), "{field} in {done}");
    }
    // The primary died before running it: the work ran once, on the standby.
    assert_eq!(count(&pa.out(), &["[work] add ran"]), 0, "{}", pa.out());
    assert_eq!(count(&pb.out(), &["[work] add ran"]), 1, "{}", pb.out());
    let eb = pb.err();
    assert_eq!(
        count(&eb, &[&format!("{STARTUP}startup_completed")]),
        1,
        "{eb}"
    );
    assert_eq!(count(&eb, &["automatic_promotion "]), 1, "{eb}");
}

#[test]
fn http_serve_triggers_startup_work_after_the_listening_line() {
    let port = free_port();
    let p = start(&[("MESH_TEST_HTTP_PORT", port.to_string())]);
    p.wait_line(
        &[
            &format!("{STARTUP}startup_completed"),
            "attempt_id=attempt-1",
        ],
        20,
    );
    let err = p.err();
    let at = |needle: &str| {
        err.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing:\n{err}"))
    };
    let listening = at(&format!("[mesh-rt] HTTP server listening on [::]:{port}"));
    assert!(
        listening < at(&format!("{STARTUP}startup_trigger")),
        "{err}"
    );
    assert!(
        at(&format!("{STARTUP}startup_registered")) < listening,
        "{err}"
    );
    assert_eq!(count(&p.out(), &["[work] add ran"]), 1, "{}", p.out());
    assert_eq!(count(&err, &["startup_trigger"]), 1, "{err}");
}

#[test]
fn continuity_functions_in_a_standalone_program() {
    let out = Command::new(build_fixture("continuity"))
        .output()
        .expect("program runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pending =
        "phase=submitted result=pending owner=standalone@local execution= status=unassigned \
                   health=local_only role=primary epoch=0 count=1 remote=false local=true error=";
    let expected = [
        "submit outcome=created conflict=".to_string(),
        format!("submit key=job-1 attempt=attempt-1 {pending}"),
        "again outcome=duplicate conflict=".to_string(),
        format!("again key=job-1 attempt=attempt-1 {pending}"),
        "conflict outcome=conflict conflict=request_key_conflict".to_string(),
        format!("conflict key=job-1 attempt=attempt-1 {pending}"),
        format!("status key=job-1 attempt=attempt-1 {pending}"),
        "missing error=request_key_not_found".to_string(),
        "done key=job-1 attempt=attempt-1 phase=completed result=succeeded owner=standalone@local \
         execution=standalone@local status=unassigned health=local_only role=primary epoch=0 \
         count=1 remote=false local=true error="
            .to_string(),
        "stale error=attempt_id_mismatch".to_string(),
        "declared outcome=created conflict=".to_string(),
        format!("declared key=sum-1 attempt=attempt-2 {pending}"),
        "undeclared error=declared_handler_not_registered:Work.nope".to_string(),
        "ack error=replica_node_missing".to_string(),
        "authority role=primary epoch=0 health=local_only".to_string(),
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
    // Each write's transition has its log line.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        count(
            &stderr,
            &[&format!("{CONTINUITY}submit "), "request_key=job-1"]
        ),
        1
    );
    assert_eq!(
        count(
            &stderr,
            &[&format!("{CONTINUITY}duplicate "), "request_key=job-1"]
        ),
        1
    );
    assert_eq!(
        count(
            &stderr,
            &[&format!("{CONTINUITY}conflict "), "request_key=job-1"]
        ),
        1
    );
    assert_eq!(
        count(
            &stderr,
            &[&format!("{CONTINUITY}completed "), "request_key=job-1"]
        ),
        1
    );
    assert_eq!(
        count(
            &stderr,
            &[
                &format!("{CONTINUITY}completion_rejected "),
                "request_key=job-1"
            ]
        ),
        1
    );
}

#[test]
fn idle_failover_then_the_old_primary_rejoins_fenced() {
    let port = free_port();
    let cookie = cookie("rejoin");
    let a = format!("a@127.0.0.1:{port}");
    let b = format!("b@[::1]:{port}");
    let env_a = node_env(&cookie, &a, port);
    let mut env_b = node_env(&cookie, &b, port);
    env_b.push(("MESH_CONTINUITY_ROLE", "standby".to_string()));
    let pb = start(&env_b);
    pb.wait_line(&["mesh node: listening", "role=standby"], 10);
    let mut pa = start(&env_a);
    pa.wait_line(
        &[
            &format!("{STARTUP}startup_completed"),
            "attempt_id=attempt-1",
        ],
        20,
    );
    // Idle: nothing pending, the standby still promotes (§6.3, §10.9).
    pa.kill();
    let promotion = pb.wait_line(&[&format!("{CONTINUITY}automatic_promotion ")], 10);
    assert!(
        promotion.contains("promotion_epoch=1") && promotion.contains("previous_epoch=0"),
        "{promotion}"
    );
    // The old primary comes back with its original env (primary, epoch 0): fenced.
    let pa2 = start(&env_a);
    let fenced = pa2.wait_line(&[&format!("{CONTINUITY}fenced_rejoin")], 20);
    for field in [
        "cluster_role=standby",
        "promotion_epoch=1",
        "previous_role=primary",
        "previous_epoch=0",
    ] {
        assert!(fenced.contains(field), "{field} in {fenced}");
    }
    pa2.wait_line(
        &[
            &format!("{STARTUP}startup_skipped"),
            "reason=startup_skipped:standby_authority",
        ],
        10,
    );
    std::thread::sleep(Duration::from_millis(300));
    let e2 = pa2.err();
    assert_eq!(count(&pa2.out(), &["[work] add ran"]), 0, "{}", pa2.out());
    assert_eq!(count(&e2, &["startup_trigger"]), 0, "{e2}");
    // The promoted node kept its authority.
    assert_eq!(count(&pb.err(), &["fenced_rejoin"]), 0, "{}", pb.err());
    assert_eq!(count(&pb.err(), &["[work] add ran"]), 0);
    assert_eq!(count(&pb.out(), &["[work] add ran"]), 0, "{}", pb.out());
}

#[test]
fn a_test_build_never_triggers_startup_work() {
    let out = Command::new(env!("CARGO_BIN_EXE_meshc"))
        .env_remove("MESH_RT_LIB_PATH")
        .current_dir(repo_root().join("tests/fixtures/cluster/startup"))
        .arg("test")
        .output()
        .expect("meshc runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("1 passed; 0 failed"), "{stdout}");
    // The only run of `add` is the test's own call; the work is registered, never triggered.
    assert_eq!(count(&stdout, &["[work] add ran"]), 1, "{stdout}");
    assert_eq!(count(&stderr, &["startup_registered"]), 1, "{stderr}");
    assert_eq!(count(&stderr, &["startup_trigger"]), 0, "{stderr}");
    assert_eq!(count(&stderr, &[CONTINUITY]), 0, "{stderr}");
}

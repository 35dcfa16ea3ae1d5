//! The continuity runtime in a standalone program (runtime-cluster §4.2–§4.3, §5, §11): the
//! API of `cluster::runtime` driven from a real `main` on the scheduler, and startup work
//! triggered when `main` returns: it runs once in a fresh actor, completes on
//! `standalone@local`, a crash rejects its record with `declared_work_crashed:<reason>`,
//! `N > 2` is rejected, and the program ends once every startup record is terminal.
//! (Everything runs in one `run_main`: one program per test binary.)

use mesh_rt::cluster::node::{SubmitOutcome, SubmitRequest};
use mesh_rt::cluster::runtime;
use mesh_rt::cluster::{Health, Phase, ReplicaStatus};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

static RUNS: AtomicU64 = AtomicU64::new(0);
static SLOW_RUNS: AtomicU64 = AtomicU64::new(0);
static RESULTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn log(line: String) {
    RESULTS.lock().unwrap_or_else(|e| e.into_inner()).push(line);
}

extern "C-unwind" fn work_add() {
    RUNS.fetch_add(1, Ordering::SeqCst);
}

extern "C-unwind" fn work_slow() {
    // Longer than main: the program must wait for it.
    mesh_rt::sched::park(Some(mesh_rt::sched::deadline_after(300)));
    SLOW_RUNS.fetch_add(1, Ordering::SeqCst);
}

extern "C-unwind" fn work_crash() {
    mesh_rt::fail::panic_with("boom at startup");
}

fn request(key: &str, hash: &str) -> SubmitRequest {
    let me = runtime::local_node();
    SubmitRequest {
        request_key: key.into(),
        payload_hash: hash.into(),
        ingress_node: me.clone(),
        owner_node: me,
        replica_node: String::new(),
        required_replicas: 0,
        replication_count: 1,
        declared_handler_runtime_name: "Work.add".into(),
        routed_remotely: false,
        fell_back_locally: true,
    }
}

extern "C-unwind" fn entry() {
    // The API from an ordinary actor (main): submit, duplicate, conflict, completion.
    let created = runtime::submit(request("job-1", "h1")).expect("submit");
    log(format!("created {}", created.outcome.as_str()));
    let attempt = created.record.attempt_id();
    let dup = runtime::submit(request("job-1", "h1")).expect("submit");
    log(format!(
        "duplicate {}",
        dup.outcome == SubmitOutcome::Duplicate
    ));
    let conflict = runtime::submit(request("job-1", "h2")).expect("submit");
    log(format!(
        "conflict {} {}",
        conflict.outcome.as_str(),
        conflict.conflict_reason
    ));
    let done = runtime::complete("job-1", &attempt, &runtime::local_node()).expect("complete");
    log(format!(
        "completed {} {}",
        done.phase.as_str(),
        done.execution_node
    ));
    let stale = runtime::complete("job-1", "attempt-99", "x");
    log(format!("stale completion refused {}", stale.is_err()));
    let rejected = runtime::submit(request("job-2", "h")).expect("submit");
    let rejected =
        runtime::reject("job-2", &rejected.record.attempt_id(), "no_reason").expect("reject");
    log(format!(
        "rejected {} {}",
        rejected.phase.as_str(),
        rejected.error
    ));
    log(format!(
        "startup ran before main returned {}",
        RUNS.load(Ordering::SeqCst)
    ));
}

#[test]
fn standalone_runtime_and_startup_work() {
    runtime::declare("Work.add", work_add as *const () as usize, 2, 0).expect("declared");
    runtime::declare("Work.slow", work_slow as *const () as usize, 1, 0).expect("declared");
    runtime::declare("Work.crash", work_crash as *const () as usize, 2, 0).expect("declared");
    runtime::declare("Work.big", work_add as *const () as usize, 3, 0).expect("declared");
    runtime::declare("Api.route", work_add as *const () as usize, 1, 1).expect("declared");
    let status = mesh_rt::actor::run_main_then(entry, runtime::main_returned);
    assert_eq!(status, 0);
    let results = RESULTS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(
        results,
        [
            "created created",
            "duplicate true",
            "conflict conflict request_key_conflict",
            "completed completed standalone@local",
            "stale completion refused true",
            "rejected rejected no_reason",
            "startup ran before main returned 0",
        ]
    );
    // The program ended only after every startup record was terminal; each ran once.
    assert_eq!(RUNS.load(Ordering::SeqCst), 1, "Work.add ran once");
    assert_eq!(SLOW_RUNS.load(Ordering::SeqCst), 1, "Work.slow ran");
    runtime::with_node(|node| {
        assert_eq!(node.node_name(), "standalone@local");
        // Rejected records make the authority-level health `unavailable` (§5.1).
        assert_eq!(node.replication_health(), Health::Unavailable);
        let add = node.record("startup::Work.add").expect("Work.add record");
        assert_eq!(add.phase, Phase::Completed);
        assert_eq!(add.owner_node, "standalone@local");
        assert_eq!(add.execution_node, "standalone@local");
        assert_eq!(add.payload_hash, "startup-payload::Work.add");
        assert_eq!(add.replica_node, "");
        assert_eq!(add.replica_status, ReplicaStatus::Unassigned);
        assert_eq!(add.replication_health, Health::LocalOnly);
        assert_eq!(add.error, "");
        let slow = node.record("startup::Work.slow").expect("Work.slow record");
        assert_eq!(slow.phase, Phase::Completed);
        let crash = node
            .record("startup::Work.crash")
            .expect("Work.crash record");
        assert_eq!(crash.phase, Phase::Rejected);
        assert_eq!(crash.error, "declared_work_crashed:boom_at_startup");
        let big = node.record("startup::Work.big").expect("Work.big record");
        assert_eq!(big.phase, Phase::Rejected);
        assert_eq!(big.error, "unsupported_replication_count:3");
        assert!(node.record("startup::Api.route").is_none());
        let names: Vec<(String, Option<String>)> = node
            .diagnostics(None)
            .entries
            .iter()
            .filter(|e| e.transition.is_startup())
            .map(|e| {
                (
                    e.transition.name().to_string(),
                    e.meta("runtime_name").map(str::to_string),
                )
            })
            .collect();
        let count = |t: &str, n: &str| {
            names
                .iter()
                .filter(|(a, b)| a == t && b.as_deref() == Some(n))
                .count()
        };
        for n in ["Work.add", "Work.slow", "Work.crash", "Work.big"] {
            assert_eq!(count("startup_registered", n), 1, "{n} registered");
            assert_eq!(count("startup_trigger", n), 1, "{n} triggered");
        }
        assert_eq!(count("startup_completed", "Work.add"), 1);
        assert_eq!(count("startup_completed", "Work.slow"), 1);
        assert_eq!(count("startup_completed", "Work.crash"), 0);
        assert_eq!(count("startup_rejected", "Work.crash"), 1);
        assert_eq!(count("startup_rejected", "Work.big"), 1);
        assert_eq!(count("startup_dispatch_window", "Work.add"), 0);
        // Sequence numbers strictly increase (one ring, one numbering).
        let seqs: Vec<u64> = node
            .diagnostics(None)
            .entries
            .iter()
            .map(|e| e.sequence)
            .collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    });
}

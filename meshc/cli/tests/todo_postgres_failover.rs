//! Failover proof of the PostgreSQL Todo starter (tooling spec §9.4, `todo_postgres_staged_failover`):
//! one staged bundle of a `meshc init --template todo-api --db postgres` project, its deploy SQL
//! applied to an isolated database, and the staged binary run as two cluster nodes — primary on
//! 127.0.0.1, standby on [::1] — with the startup work held pending for 20 s. The primary is
//! killed inside that window: the standby promotes, recovers the startup work and serves CRUD;
//! the old primary, restarted with its original environment, rejoins fenced as a standby.
//!
//! The server comes from MESH_TEST_DATABASE_URL (`bash scripts/pg.sh run cargo nextest run -p
//! meshc --test todo_postgres_failover`); without a reachable server the test fails. HTTP
//! snapshots, cluster JSON, node logs and `scenario-meta.json` are written to
//! `$TODO_PG_FAILOVER_ARTIFACTS` (default: the test's scratch directory) and scanned for secrets.

#[path = "support/cluster.rs"]
mod cluster;
#[path = "../../../libmesh_rt/tests/db/common.rs"]
mod common;
#[path = "support/node.rs"]
mod node;
#[path = "support/starter.rs"]
mod starter;

use cluster::{
    cluster_json, completed_by, entries, free_port, meta, poll, poll_keyed_entry, poll_record,
    sorted, strings,
};
use serde_json::{json, Value};
use starter::{apply_deploy_sql, init_todo, scratch, script, text, Server as Node};
use std::path::{Path, PathBuf};
use std::process::Command;

const KEY: &str = "startup::Work.sync_todos";

/// Where snapshots go; every write is recorded for the final secret scan.
struct Artifacts {
    dir: PathBuf,
}

impl Artifacts {
    fn save(&self, name: &str, content: &str) {
        std::fs::write(self.dir.join(name), content).expect("artifact is writable");
    }

    fn json(&self, name: &str, v: &Value) {
        self.save(
            &format!("{name}.json"),
            &serde_json::to_string_pretty(v).expect("json"),
        );
    }
}

/// Starts one node of the staged binary in `cwd` with only `env` (and PATH, PORT); its
/// output is appended to `log` (in the artifacts).
fn start(binary: &Path, cwd: &Path, log: PathBuf, port: u16, env: &[(&str, String)]) -> Node {
    let mut cmd = Command::new(binary);
    cmd.current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Node::spawn(cmd, port, &log, &log)
}

/// Every file below `dir` (recursively) must be free of the URL, any postgres URL, a
/// `DATABASE_URL=` assignment and the cookie.
fn scan_for_secrets(dir: &Path, url: &str, cookie: &str) {
    for entry in std::fs::read_dir(dir).expect("artifacts dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            scan_for_secrets(&path, url, cookie);
            continue;
        }
        let content = text(&std::fs::read(&path).expect("artifact"));
        for secret in [url, "postgres://", "postgresql://", "DATABASE_URL=", cookie] {
            assert!(
                !content.contains(secret),
                "{} holds a secret",
                path.display()
            );
        }
    }
}

#[test]
fn todo_postgres_staged_failover() {
    let dir = scratch("todo_postgres_failover");
    let artifacts = Artifacts {
        dir: std::env::var_os("TODO_PG_FAILOVER_ARTIFACTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| dir.join("artifacts")),
    };
    let _ = std::fs::remove_dir_all(&artifacts.dir);
    std::fs::create_dir_all(&artifacts.dir).expect("artifacts dir");

    // The staged bundle of a fresh project, outside the project directory.
    init_todo(&dir, "postgres", "todo-postgres");
    let project = dir.join("todo-postgres");
    let bundle = dir.join("bundle");
    let (code, staged) = script(
        &project.join("scripts/stage-deploy.sh"),
        &[bundle.to_str().expect("utf-8 path")],
        &project,
        &[("MESHC", env!("CARGO_BIN_EXE_meshc").to_string())],
    );
    assert_eq!(code, 0, "{staged}");
    assert!(
        staged.contains("[stage-deploy] bundle ready dir="),
        "{staged}"
    );
    artifacts.save("stage-deploy.log", &staged);
    let binary = bundle.join("todo-postgres");
    assert!(binary.is_file(), "{staged}");

    let db = common::TestDb::new("todo_pg_failover");
    let url = db.url();
    let (code, applied) = apply_deploy_sql(&bundle, &[("DATABASE_URL", url.clone())]);
    assert_eq!(code, 0, "{applied}");
    assert!(
        applied.contains("[deploy-apply] schema ready table=todos index=idx_todos_created_at"),
        "{applied}"
    );
    artifacts.save("apply-deploy-migrations.log", &applied);

    // 1. Two nodes of one binary: same cookie, seed and cluster port, startup work delayed.
    let cp = free_port();
    let cookie = format!("todo-pg-failover-cookie-{}", std::process::id());
    let p = format!("todo-postgres-primary@127.0.0.1:{cp}");
    let s = format!("todo-postgres-standby@[::1]:{cp}");
    let env = |node: &str, role: &str| {
        let mut env = starter::node_env(&url, &cookie, node, cp, role);
        env.push(("MESH_CONTINUITY_PROMOTION_EPOCH", "0".to_string()));
        env.push(("MESH_STARTUP_WORK_DELAY_MS", "20000".to_string()));
        env
    };
    let (p_env, s_env) = (env(&p, "primary"), env(&s, "standby"));
    let p_port = free_port();
    let mut s_port = free_port();
    while s_port == p_port {
        s_port = free_port();
    }
    let start_staged = |log: &str, port: u16, env: &[(&str, String)]| {
        start(&binary, &bundle, artifacts.dir.join(log), port, env)
    };
    let mut primary = start_staged("primary.log", p_port, &p_env);
    let standby = start_staged("standby.log", s_port, &s_env);

    // 2. Health on both.
    for (tag, node) in [("primary", &primary), ("standby", &standby)] {
        let h = node.request_json("GET", "/health", None);
        artifacts.save(&format!("02-health-{tag}.http"), &h.raw);
        assert_eq!(h.status, 200, "{}", h.raw);
        assert_eq!(h.body["status"], "ok", "{}", h.raw);
        assert_eq!(h.body["db_backend"], "postgres", "{}", h.raw);
        assert_eq!(h.body["clustered_handler"], "Work.sync_todos", "{}", h.raw);
        assert!(!h.raw.contains("postgres://") && !h.raw.contains(&url));
    }

    // 3. Membership and authority on each node.
    for (me, peer, role) in [(&p, &s, "primary"), (&s, &p, "standby")] {
        let st = poll(&["status", me], &cookie, "formed and healthy", |v| {
            strings(&v["membership"]["peer_nodes"]) == [peer.clone()]
                && v["authority"]["replication_health"] == "healthy"
        });
        artifacts.json(&format!("03-status-{role}"), &st);
        assert_eq!(st["membership"]["local_node"], me.as_str(), "{st}");
        assert_eq!(
            sorted(strings(&st["membership"]["nodes"])),
            sorted(vec![p.clone(), s.clone()]),
            "{st}"
        );
        assert_eq!(st["authority"]["cluster_role"], role, "{st}");
        assert_eq!(st["authority"]["promotion_epoch"], 0, "{st}");
    }

    // 4. The startup record, pending and mirrored.
    let rp = poll_record(&p, KEY, &cookie, "pending and prepared", |r| {
        r["phase"] == "submitted"
            && (r["replica_status"] == "preparing" || r["replica_status"] == "mirrored")
    });
    let rs = poll_record(&s, KEY, &cookie, "mirrored on the standby", |r| {
        r["phase"] == "submitted" && r["replica_status"] == "mirrored"
    });
    artifacts.json("04-startup-record-primary", &rp);
    artifacts.json("04-startup-record-standby", &rs);
    for r in [&rp, &rs] {
        assert_eq!(r["result"], "pending", "{r}");
        assert_eq!(r["owner_node"], p.as_str(), "{r}");
        assert_eq!(r["replica_node"], s.as_str(), "{r}");
        assert_eq!(r["execution_node"], "", "{r}");
        assert_eq!(r["error"], "", "{r}");
    }
    let initial_attempt = rs["attempt_id"].as_str().unwrap_or_default().to_string();
    assert!(!initial_attempt.is_empty(), "{rs}");

    // 5. A todo through the primary; no route records yet.
    let created =
        primary.request_json("POST", "/todos", Some(r#"{"title":"failover smoke todo"}"#));
    artifacts.save("05-create.http", &created.raw);
    assert_eq!(created.status, 201, "{}", created.raw);
    assert_eq!(
        created.body["title"], "failover smoke todo",
        "{}",
        created.raw
    );
    assert_eq!(created.body["completed"], false, "{}", created.raw);
    let todo_id = created.body["id"].as_str().expect("an id").to_string();
    for (tag, node) in [("primary", &p), ("standby", &s)] {
        let list = cluster_json(&["continuity", node], &cookie);
        artifacts.json(&format!("05-continuity-{tag}"), &list);
        assert_eq!(list["total_records"], 1, "{list}");
        assert_eq!(list["records"][0]["request_key"], KEY, "{list}");
    }

    // 6. A list through the primary: a route record, completed on both nodes.
    let listed = primary.request_json("GET", "/todos", None);
    artifacts.save("06-list.http", &listed.raw);
    assert_eq!(listed.status, 200, "{}", listed.raw);
    assert_eq!(listed.body, json!([created.body.clone()]), "{}", listed.raw);
    let list_key = listed
        .headers
        .get("x-mesh-continuity-request-key")
        .expect("a clustered route's key")
        .clone();
    for (tag, node) in [("primary", &p), ("standby", &s)] {
        let r = poll(
            &["continuity", node, &list_key],
            &cookie,
            "the list record completed",
            |v| v["record"]["phase"] == "completed",
        )["record"]
            .clone();
        artifacts.json(&format!("06-list-record-{tag}"), &r);
        assert_eq!(r["result"], "succeeded", "{r}");
        assert_eq!(r["replication_count"], 1, "{r}");
    }

    // 7. One dispatch window cluster-wide (the owner records it), no startup completion.
    let dp = poll(
        &["diagnostics", &p],
        &cookie,
        "in the dispatch window",
        |d| !entries(d, "startup_dispatch_window").is_empty(),
    );
    let ds = cluster_json(&["diagnostics", &s], &cookie);
    artifacts.json("07-diagnostics-primary", &dp);
    artifacts.json("07-diagnostics-standby", &ds);
    let windows: Vec<&Value> = [&dp, &ds]
        .iter()
        .flat_map(|d| entries(d, "startup_dispatch_window"))
        .filter(|e| e["request_key"] == KEY)
        .collect();
    assert_eq!(windows.len(), 1, "{dp}\n{ds}");
    assert_eq!(meta(windows[0], "pending_window_ms"), Some("20000"));
    let completions = [&dp, &ds]
        .iter()
        .flat_map(|d| entries(d, "startup_completed"))
        .filter(|e| e["request_key"] == KEY)
        .count();
    assert_eq!(completions, 0, "{dp}\n{ds}");

    // 8. The primary dies inside the window.
    primary.kill();

    // 9. The standby promotes.
    let st = poll(&["status", &s], &cookie, "promoted", |v| {
        v["authority"]["cluster_role"] == "primary"
    });
    artifacts.json("09-status-standby", &st);
    assert_eq!(st["membership"]["local_node"], s.as_str(), "{st}");
    assert_eq!(
        strings(&st["membership"]["peer_nodes"]),
        Vec::<String>::new()
    );
    assert_eq!(
        strings(&st["membership"]["nodes"]),
        std::slice::from_ref(&s)
    );
    assert_eq!(st["authority"]["promotion_epoch"], 1, "{st}");
    let health = st["authority"]["replication_health"].as_str().unwrap_or("");
    assert!(
        ["unavailable", "local_only", "healthy"].contains(&health),
        "{st}"
    );

    // 11. (polled first: the recovery has to finish) The standby ran the startup work.
    let r = poll_record(&s, KEY, &cookie, "completed by the standby", |r| {
        completed_by(r, &s)
    });
    artifacts.json("11-startup-record-standby", &r);
    let failover_attempt = r["attempt_id"].as_str().unwrap_or_default().to_string();
    assert_ne!(failover_attempt, initial_attempt, "{r}");
    assert!(!failover_attempt.is_empty(), "{r}");
    assert_eq!(r["replica_node"], "", "{r}");
    assert_eq!(r["cluster_role"], "primary", "{r}");
    assert_eq!(r["promotion_epoch"], 1, "{r}");
    assert_eq!(r["error"], "", "{r}");

    // 10. The standby's diagnostics explain it.
    let ds = cluster_json(&["diagnostics", &s], &cookie);
    artifacts.json("10-diagnostics-standby", &ds);
    let promotion = entries(&ds, "automatic_promotion");
    assert_eq!(promotion.len(), 1, "{ds}");
    assert_eq!(promotion[0]["cluster_role"], "primary", "{ds}");
    assert_eq!(promotion[0]["promotion_epoch"], 1, "{ds}");
    assert!(
        promotion[0]["reason"] == format!("peer_lost:{p}")
            || meta(promotion[0], "disconnected_node") == Some(p.as_str()),
        "{ds}"
    );
    assert_eq!(meta(promotion[0], "previous_epoch"), Some("0"), "{ds}");
    let recovery: Vec<&Value> = entries(&ds, "automatic_recovery")
        .into_iter()
        .filter(|e| e["request_key"] == KEY)
        .collect();
    assert_eq!(recovery.len(), 1, "{ds}");
    assert_eq!(
        meta(recovery[0], "previous_attempt_id"),
        Some(initial_attempt.as_str()),
        "{ds}"
    );
    assert_eq!(
        meta(recovery[0], "runtime_name"),
        Some("Work.sync_todos"),
        "{ds}"
    );
    assert_eq!(recovery[0]["attempt_id"], failover_attempt.as_str(), "{ds}");
    let rollover = entries(&ds, "recovery_rollover")
        .into_iter()
        .find(|e| e["attempt_id"] == failover_attempt.as_str())
        .unwrap_or_else(|| panic!("no recovery_rollover for the new attempt: {ds}"));
    assert_eq!(rollover["owner_node"], s.as_str(), "{ds}");
    assert_eq!(rollover["cluster_role"], "primary", "{ds}");
    assert_eq!(rollover["promotion_epoch"], 1, "{ds}");
    assert_eq!(
        meta(rollover, "previous_attempt_id"),
        Some(initial_attempt.as_str()),
        "{ds}"
    );

    // 12. CRUD on the promoted standby.
    let path = format!("/todos/{todo_id}");
    let got = standby.request_json("GET", &path, None);
    artifacts.save("12-get.http", &got.raw);
    assert_eq!(got.status, 200, "{}", got.raw);
    assert_eq!(got.body["completed"], false, "{}", got.raw);
    let toggled = standby.request_json("PUT", &path, None);
    artifacts.save("12-put.http", &toggled.raw);
    assert_eq!(toggled.status, 200, "{}", toggled.raw);
    assert_eq!(toggled.body["completed"], true, "{}", toggled.raw);
    let got = standby.request_json("GET", &path, None);
    artifacts.save("12-get-toggled.http", &got.raw);
    assert_eq!(got.body["completed"], true, "{}", got.raw);
    let deleted = standby.request_json("DELETE", &path, None);
    artifacts.save("12-delete.http", &deleted.raw);
    assert_eq!(deleted.status, 200, "{}", deleted.raw);
    assert_eq!(deleted.body["status"], "deleted", "{}", deleted.raw);
    let gone = standby.request_json("GET", &path, None);
    artifacts.save("12-get-deleted.http", &gone.raw);
    assert_eq!(gone.status, 404, "{}", gone.raw);
    assert_eq!(
        gone.body,
        json!({"error": "todo not found"}),
        "{}",
        gone.raw
    );

    // 13. The old primary comes back with its original env, fenced.
    let rejoined = start_staged("primary-rejoined.log", p_port, &p_env);
    let st = poll(&["status", &p], &cookie, "fenced", |v| {
        v["authority"]["cluster_role"] == "standby"
            && v["authority"]["promotion_epoch"] == 1
            && strings(&v["membership"]["peer_nodes"]) == [s.clone()]
    });
    artifacts.json("13-status-old-primary", &st);
    let health = st["authority"]["replication_health"].as_str().unwrap_or("");
    assert!(["healthy", "local_only"].contains(&health), "{st}");
    let ss = cluster_json(&["status", &s], &cookie);
    artifacts.json("13-status-standby", &ss);
    assert_eq!(ss["authority"]["cluster_role"], "primary", "{ss}");
    assert_eq!(ss["authority"]["promotion_epoch"], 1, "{ss}");

    // 14. The fenced rejoin in the old primary's diagnostics.
    let (dp, fenced) = poll_keyed_entry(&p, KEY, "fenced_rejoin", &cookie);
    artifacts.json("14-diagnostics-old-primary", &dp);
    assert_eq!(fenced["attempt_id"], failover_attempt.as_str(), "{dp}");
    assert_eq!(fenced["cluster_role"], "standby", "{dp}");
    assert_eq!(fenced["promotion_epoch"], 1, "{dp}");
    assert_eq!(meta(&fenced, "previous_role"), Some("primary"), "{dp}");
    assert_eq!(meta(&fenced, "previous_epoch"), Some("0"), "{dp}");

    // 15. The failover's record on both.
    let rp = poll_record(&p, KEY, &cookie, "the failover's record", |r| {
        r["attempt_id"] == failover_attempt.as_str()
    });
    let rs = poll_record(&s, KEY, &cookie, "the failover's record", |r| {
        r["attempt_id"] == failover_attempt.as_str()
    });
    artifacts.json("15-startup-record-old-primary", &rp);
    artifacts.json("15-startup-record-standby", &rs);
    for (r, role) in [(&rp, "standby"), (&rs, "primary")] {
        assert!(completed_by(r, &s), "{r}");
        assert_eq!(r["cluster_role"], role, "{r}");
        assert_eq!(r["promotion_epoch"], 1, "{r}");
    }

    // 16. Everything retained, nothing secret.
    drop(rejoined);
    drop(standby);
    artifacts.json(
        "scenario-meta",
        &json!({
            "primary_node": p,
            "standby_node": s,
            "startup_request_key": KEY,
            "list_request_key": list_key,
            "initial_attempt_id": initial_attempt,
            "failover_attempt_id": failover_attempt,
            "todo_id": todo_id,
        }),
    );
    scan_for_secrets(&artifacts.dir, &url, &cookie);
    // The project and the staged binary (tens of MB) are not part of the retained evidence.
    let _ = std::fs::remove_dir_all(&project);
    let _ = std::fs::remove_file(&binary);
}

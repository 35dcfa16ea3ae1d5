//! Real container tests (issue 20 items 5–6): static Mesh executables in `FROM scratch` images on
//! private Docker networks, a PostgreSQL container made from a debootstrap root file system
//! (scripts/docker/images.sh; nothing is pulled from a registry), name resolution through
//! Docker's embedded DNS, and `docker kill`. Without a Docker engine every test fails with the
//! reason; none is skipped. Building blocks are in `containers/docker.rs` (ARCHITECTURE.md,
//! "Container tests", says how to add the PostgreSQL starter's test).

#[path = "containers/docker.rs"]
mod docker;

use docker::*;
use std::time::{Duration, Instant};

/// `meshc build --static` output runs in an empty image, resolves a network alias and a
/// container name through Docker's DNS (no NSS in the image: the runtime's own resolver), and
/// reports an unknown name as a DNS failure. The TLS roots are inside the binary.
#[test]
fn static_binary_in_scratch_resolves_a_network_alias() {
    require_engine();
    let dir = scratch("probe");
    let exe = dir.join("probe");
    build_static(&repo_root().join("tests/fixtures/containers/probe"), &exe);
    let bytes = std::fs::read(&exe).expect("binary");
    assert!(
        bytes.windows(12).any(|w| w == b"ISRG Root X1"),
        "the web PKI roots are not compiled into the static binary"
    );
    let image = app_image(&unique("probe"), &exe, &[]);
    let net = Network::new("probe");
    let server = Container::run(
        &unique("probe-server"),
        &[
            "--network",
            &net.name,
            "--network-alias",
            "probe-alias",
            "-e",
            "GREETING=hello-through-the-alias",
            &image.name,
        ],
    );
    server.wait_log("probe serving on :8080", 20);
    let client = |url: &str| {
        let out = docker_raw(&[
            "run",
            "--rm",
            "--network",
            &net.name,
            "-e",
            &format!("PROBE_URL={url}"),
            &image.name,
        ]);
        format!("{}{}", text(&out.stdout), text(&out.stderr))
    };
    let by_alias = client("http://probe-alias:8080/");
    assert!(
        by_alias.contains("probe ok http://probe-alias:8080/ body=hello-through-the-alias"),
        "{by_alias}"
    );
    let by_name = client(&format!("http://{}:8080/", server.name));
    assert!(
        by_name.contains("body=hello-through-the-alias"),
        "{by_name}"
    );
    let unknown = client("http://no-such-host-here:8080/");
    assert!(
        unknown.contains("probe failed") && unknown.contains("DNS_FAILURE: no-such-host-here"),
        "{unknown}"
    );
    let user = docker(&["image", "inspect", "-f", "{{.Config.User}}", &image.name]);
    assert_eq!(user, "65532:65532");
}

/// The SQLite starter (examples/todo-sqlite) built with its own Dockerfile: CRUD from the
/// container as the unprivileged user, data kept in the volume across a new container.
#[test]
fn todo_sqlite_image_serves_crud_from_a_volume() {
    require_engine();
    let dir = scratch("todo-sqlite");
    let project = dir.join("todo-sqlite");
    copy_tree(&repo_root().join("examples/todo-sqlite"), &project);
    build_static(&project, &project.join("todo-sqlite"));
    let image = Image::build(&unique("todo-sqlite"), &project);
    let size = image.size();
    eprintln!(
        "[containers] todo-sqlite image size: {size} bytes ({:.1} MB)",
        size as f64 / 1e6
    );
    assert!(size < 15_000_000, "image of {size} bytes");
    let volume = unique("todo-data");
    let run = |tag: &str| {
        Container::run(
            &unique(tag),
            &[
                "-p",
                "127.0.0.1::8080",
                "-v",
                &format!("{volume}:/var/lib/todo"),
                &image.name,
            ],
        )
    };
    let first = run("todo1");
    let port = first.host_port(8080);
    let health = wait_http_ok(port, "/health", 30);
    let health: serde_json::Value = serde_json::from_str(&health).expect("health JSON");
    assert_eq!(health["db_path"], "/var/lib/todo/todo.sqlite3");
    assert_eq!(health["db_backend"], "sqlite");
    let (status, created) = http_json(port, "POST", "/todos", Some(r#"{"title":"  ship it "}"#));
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["title"], "ship it");
    let id = created["id"].as_str().expect("id").to_string();
    let (status, listed) = http_json(port, "GET", "/todos", None);
    assert_eq!((status, listed.as_array().map(Vec::len)), (200, Some(1)));
    let (status, toggled) = http_json(port, "PUT", &format!("/todos/{id}"), None);
    assert_eq!(
        (status, &toggled["completed"]),
        (200, &serde_json::json!(true))
    );
    let (status, second) = http_json(port, "POST", "/todos", Some(r#"{"title":"keep me"}"#));
    assert_eq!(status, 201, "{second}");
    let (status, deleted) = http_json(port, "DELETE", &format!("/todos/{id}"), None);
    assert_eq!((status, &deleted["id"]), (200, &serde_json::json!(id)));
    let (status, _) = http_json(port, "GET", &format!("/todos/{id}"), None);
    assert_eq!(status, 404);
    let logs = first.logs();
    assert!(
        logs.contains("[todo-api] SQLite schema ready path=/var/lib/todo/todo.sqlite3"),
        "{logs}"
    );
    drop(first);
    // A new container on the same volume sees the surviving row.
    let again = run("todo2");
    let port = again.host_port(8080);
    wait_http_ok(port, "/health", 30);
    let (status, listed) = http_json(port, "GET", "/todos", None);
    assert_eq!(status, 200);
    let titles: Vec<_> = listed
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["title"].clone())
        .collect();
    assert_eq!(titles, vec![serde_json::json!("keep me")]);
    drop(again);
    let _ = docker_raw(&["volume", "rm", "-f", &volume]);
}

/// The reference backend as a static `FROM scratch` image against the debootstrap PostgreSQL
/// container on a private network (reached by its alias): schema applied from the deploy SQL
/// with the image's psql, `/health`, jobs created, fetched and processed by the worker; the
/// database password never reaches the logs.
#[test]
fn reference_backend_image_against_a_postgres_container() {
    require_engine();
    let dir = scratch("reference-backend");
    let exe = dir.join("reference-backend");
    build_static(&repo_root().join("reference-backend"), &exe);
    let net = Network::new("refback");
    let password = format!("pw-{}-c0ffee", std::process::id());
    let (pg, url) = start_postgres(&net, &unique("refback-pg"), "db", "refback", &password);
    let sql = std::fs::read(repo_root().join("reference-backend/deploy/reference-backend.up.sql"))
        .expect("deploy SQL");
    pg.exec_stdin(
        &[
            "psql",
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-U",
            "postgres",
            "-d",
            "refback",
        ],
        &sql,
    );
    let image = app_image(&unique("refback"), &exe, &["PORT=8080", "JOB_POLL_MS=200"]);
    let app = Container::run(
        &unique("refback-app"),
        &[
            "--network",
            &net.name,
            "-p",
            "127.0.0.1::8080",
            "-e",
            &format!("DATABASE_URL={url}"),
            &image.name,
        ],
    );
    let port = app.host_port(8080);
    wait_http_ok(port, "/health", 60);
    // The worker reports `degraded` while its start-up recovery runs, then `ok`.
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, health) = http_json(port, "GET", "/health", None);
        assert_eq!(status, 200, "{health}");
        if health["status"] == "ok" {
            break;
        }
        assert!(Instant::now() < end, "health never ok: {health}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let (status, job) = http_json(port, "POST", "/jobs", Some(r#"{"kind":"container","n":7}"#));
    assert_eq!(status, 201, "{job}");
    let id = job["id"].as_str().expect("job id").to_string();
    assert_eq!(
        job["payload"],
        serde_json::json!({"kind":"container","n":7})
    );
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, fetched) = http_json(port, "GET", &format!("/jobs/{id}"), None);
        assert_eq!(status, 200, "{fetched}");
        if fetched["status"] == "processed" {
            assert_eq!(fetched["attempts"], 1);
            break;
        }
        assert!(Instant::now() < end, "job never processed: {fetched}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let (status, missing) = http_json(
        port,
        "GET",
        "/jobs/00000000-0000-0000-0000-000000000000",
        None,
    );
    assert_eq!(status, 404, "{missing}");
    let (status, _) = http_json(port, "POST", "/jobs", Some("not json"));
    assert_eq!(status, 400);
    let rows = pg.exec_stdin(
        &["psql", "-At", "-U", "postgres", "-d", "refback"],
        b"SELECT count(*) FROM jobs WHERE status = 'processed';",
    );
    assert_eq!(rows.trim(), "1");
    let logs = app.logs();
    assert!(logs.contains("[reference-backend]"), "{logs}");
    assert!(
        !logs.contains(&password) && !logs.contains("postgres://"),
        "secret in logs:\n{logs}"
    );
}

/// Two node containers started with the same network alias find each other through it
/// (`MESH_DISCOVERY_SEED` = the alias, runtime-cluster §2.5); `docker kill` of one is seen by
/// the other as a disconnect.
#[test]
fn two_nodes_discover_through_an_alias_and_see_a_kill() {
    require_engine();
    let dir = scratch("nodes");
    let exe = dir.join("node");
    build_static(&repo_root().join("tests/fixtures/containers/node"), &exe);
    let image = app_image(&unique("node"), &exe, &[]);
    let net = Network::new("nodes");
    let cookie = format!("container-cookie-{}-5be1a7", std::process::id());
    let start = |host: &str, role: &str| {
        Container::run(
            &unique(host),
            &[
                "--network",
                &net.name,
                "--hostname",
                host,
                "--network-alias",
                host,
                "--network-alias",
                "mesh-cluster",
                "-e",
                &format!("MESH_CLUSTER_COOKIE={cookie}"),
                "-e",
                "MESH_DISCOVERY_SEED=mesh-cluster",
                "-e",
                "MESH_DISCOVERY_INTERVAL_MS=300",
                "-e",
                "MESH_CLUSTER_PORT=4370",
                "-e",
                &format!("MESH_NODE_HOST={host}"),
                "-e",
                &format!("MESH_CONTINUITY_ROLE={role}"),
                "-e",
                "MESH_NODE_DOWN_AFTER_MS=2000",
                &image.name,
            ],
        )
    };
    let node1 = start("node1", "primary");
    let node2 = start("node2", "standby");
    node1.wait_log("bootstrap mode=cluster", 20);
    node2.wait_log("bootstrap mode=cluster", 20);
    let logs1 = node1.wait_log("peers=node2@node2:4370", 30);
    let logs2 = node2.wait_log("peers=node1@node1:4370", 30);
    for logs in [&logs1, &logs2] {
        assert!(logs.contains("provider=dns seed=mesh-cluster"), "{logs}");
        assert!(!logs.contains(&cookie), "the cookie was logged:\n{logs}");
    }
    let killed_at = Instant::now();
    node2.kill();
    let logs = node1.wait_log("mesh node: disconnected peer=node2@node2:4370", 20);
    eprintln!(
        "[containers] node1 saw the kill after {:.1}s",
        killed_at.elapsed().as_secs_f64()
    );
    assert!(!logs.contains(&cookie), "the cookie was logged:\n{logs}");
    node1.wait_log("\npeers=\n", 20);
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A compose file of the PostgreSQL starter's shape (tests/fixtures/containers/compose):
/// `config` resolves `${POSTGRES_IMAGE:-postgres:16}` both ways; `up` with the local
/// PostgreSQL image runs the health check, the one-shot psql migrate job, and two nodes that
/// find each other through the alias.
#[test]
fn compose_file_with_postgres_migrate_and_two_nodes() {
    require_engine();
    let dir = scratch("compose");
    copy_tree(&repo_root().join("tests/fixtures/containers/compose"), &dir);
    build_static(
        &repo_root().join("tests/fixtures/containers/node"),
        &dir.join("node"),
    );
    let default = Compose::new(&dir, "compose-default", &[]);
    let config = default.run(&["config"]);
    assert!(config.contains("image: postgres:16"), "{config}");
    let image = postgres_image();
    let compose = Compose::new(&dir, "compose", &[("POSTGRES_IMAGE", &image)]);
    let config = compose.run(&["config"]);
    assert!(config.contains(&format!("image: {image}")), "{config}");
    let started = Instant::now();
    compose.run(&["up", "-d", "--build"]);
    eprintln!(
        "[containers] compose up in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let node1 = compose.container("node1");
    let node2 = compose.container("node2");
    node1.wait_log("peers=node2@node2:4370", 60);
    node2.wait_log("peers=node1@node1:4370", 60);
    let pg = compose.container("postgres");
    let note = pg.exec_stdin(
        &["psql", "-At", "-U", "postgres", "-d", "cluster"],
        b"SELECT note FROM compose_proof WHERE id = 1;",
    );
    assert_eq!(note.trim(), "migrated");
}

/// The PostgreSQL starter as issue 20 ships it: `examples/todo-postgres` built `--static` into
/// its own `FROM scratch` Dockerfile (under 15 MB, user 65532), PostgreSQL in a container, the
/// deploy SQL applied, two node containers discovering each other through a network alias;
/// CRUD through both nodes (the clustered reads answered on either); `docker kill` of the
/// primary → the standby promotes itself and keeps serving reads and writes; the shipped
/// compose file validates with and without `POSTGRES_IMAGE`. No secret in any log.
#[test]
fn todo_postgres_image_two_nodes_crud_and_failover() {
    require_engine();
    let dir = scratch("todo-postgres");
    let project = dir.join("todo-postgres");
    copy_tree(&repo_root().join("examples/todo-postgres"), &project);
    build_static(&project, &project.join("todo-postgres"));
    let image = Image::build(&unique("todo-postgres"), &project);
    let size = image.size();
    eprintln!(
        "[containers] todo-postgres image size: {size} bytes ({:.1} MB)",
        size as f64 / 1e6
    );
    assert!(size < 15_000_000, "image of {size} bytes");
    let user = docker(&["image", "inspect", "-f", "{{.Config.User}}", &image.name]);
    assert_eq!(user.trim(), "65532:65532");

    let net = Network::new("todo-pg");
    let password = format!("pw-{}-7d0d0", std::process::id());
    let (pg, url) = start_postgres(&net, &unique("todo-pg-db"), "db", "todo", &password);
    let sql = std::fs::read(project.join("deploy/todo-postgres.up.sql")).expect("deploy SQL");
    pg.exec_stdin(
        &[
            "psql",
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-U",
            "postgres",
            "-d",
            "todo",
        ],
        &sql,
    );
    let cookie = format!("todo-pg-cookie-{}-51ab", std::process::id());
    let start = |host: &str, role: &str| {
        Container::run(
            &unique(host),
            &[
                "--network",
                &net.name,
                "--hostname",
                host,
                "--network-alias",
                host,
                "--network-alias",
                "todo-cluster",
                "-p",
                "127.0.0.1::8080",
                "-e",
                &format!("DATABASE_URL={url}"),
                "-e",
                &format!("MESH_CLUSTER_COOKIE={cookie}"),
                "-e",
                "MESH_DISCOVERY_SEED=todo-cluster",
                "-e",
                "MESH_DISCOVERY_INTERVAL_MS=300",
                "-e",
                &format!("MESH_NODE_HOST={host}"),
                "-e",
                &format!("MESH_CONTINUITY_ROLE={role}"),
                "-e",
                "MESH_NODE_DOWN_AFTER_MS=2000",
                "-e",
                "TODO_RATE_LIMIT_MAX_REQUESTS=1000",
                &image.name,
            ],
        )
    };
    let primary = start("node1", "primary");
    let standby = start("node2", "standby");
    let (p1, p2) = (primary.host_port(8080), standby.host_port(8080));
    wait_http_ok(p1, "/health", 60);
    wait_http_ok(p2, "/health", 60);
    primary.wait_log("mesh node: connected peer=node2@node2:4370", 30);
    standby.wait_log("mesh node: connected peer=node1@node1:4370", 30);

    // A write through one node is read through both (reads are clustered routes, answered
    // wherever placement puts them).
    let (status, todo) = http_json(p1, "POST", "/todos", Some(r#"{"title":"in a container"}"#));
    assert_eq!(status, 201, "{todo}");
    let id = todo["id"].as_str().expect("todo id").to_string();
    for port in [p1, p2] {
        let (status, list) = http(port, "GET", "/todos", None);
        assert_eq!(status, 200, "{list}");
        assert!(list.contains("in a container"), "{list}");
        let (status, one) = http_json(port, "GET", &format!("/todos/{id}"), None);
        assert_eq!(status, 200, "{one}");
        assert_eq!(one["completed"], false);
    }

    // The primary's container is killed: the standby promotes itself and serves on.
    primary.kill();
    standby.wait_log("transition=automatic_promotion", 30);
    let (status, toggled) = http_json(p2, "PUT", &format!("/todos/{id}"), None);
    assert_eq!(status, 200, "{toggled}");
    assert_eq!(toggled["completed"], true);
    let (status, one) = http_json(p2, "GET", &format!("/todos/{id}"), None);
    assert_eq!(status, 200, "{one}");
    assert_eq!(one["completed"], true);
    let (status, list) = http(p2, "GET", "/todos", None);
    assert_eq!(status, 200, "{list}");
    assert!(list.contains("in a container"), "{list}");

    for logs in [primary.logs(), standby.logs()] {
        assert!(
            !logs.contains(&password) && !logs.contains(&cookie) && !logs.contains("postgres://"),
            "secret in logs:\n{logs}"
        );
    }

    // The shipped compose file: valid with the default PostgreSQL image and with an override.
    for env in [vec![], vec![("POSTGRES_IMAGE", "local/postgres:test")]] {
        let mut all = vec![
            ("DATABASE_URL", "postgres://todo:secret@db:5432/todo"),
            ("MESH_CLUSTER_COOKIE", "compose-cookie"),
            ("POSTGRES_PASSWORD", "secret"),
        ];
        all.extend(env.iter().copied());
        let compose = Compose::new(&project, "todo-pg-compose", &all);
        let config = compose.run(&["config"]);
        let want = env.first().map_or("postgres:16", |(_, v)| v);
        assert!(config.contains(&format!("image: {want}")), "{config}");
    }
}

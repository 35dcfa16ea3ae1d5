//! `Node.spawn` / `Node.spawn_link` (stdlib §17.1, runtime-cluster §3.5 `SPAWN` /
//! `SPAWN_REPLY`) between real node processes on loopback: each node is the compiled Mesh
//! program `tests/fixtures/dist/spawn.mpl` driven by commands on stdin (each command runs
//! in an actor of its own, so a failed spawn's panic shows its reason on stderr);
//! `spawn_other.mpl` is another build of different functions. Also `MESH_CLUSTER_BIND`
//! (runtime-cluster §2.3, P2), with the same nodes.

#[path = "dist_spawn/harness.rs"]
mod harness;

use harness::{build, cluster_env, cookie, dial_each_other, free_port, seeded_env, start};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// The remote ends of the established TCP connections to local port `port` (`ss`).
fn established(port: u16) -> BTreeSet<String> {
    let out = std::process::Command::new("ss")
        .args(["-Htn", "state", "established"])
        .arg(format!("( sport = :{port} )"))
        .output()
        .expect("ss runs");
    assert!(out.status.success(), "ss failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().last().map(String::from))
        .collect()
}

fn spawn_exe() -> &'static PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| build("spawn"))
}

/// Two nodes of one build: a process spawned on the other node runs there, its pid takes
/// sends, monitors and links from the caller's node; `spawn_link` links both ways at once;
/// closures cannot cross; unknown nodes and the loss of the node before it replies fail the
/// caller with the reason.
#[test]
fn spawn_starts_processes_on_the_other_node_and_their_pids_work() {
    let c = cookie("spawn");
    let port = free_port();
    let (na, nb) = (format!("a@127.0.0.1:{port}"), format!("b@127.0.0.2:{port}"));
    let mut a = start(spawn_exe(), &cluster_env(&c, &na, port));
    a.wait_secs("mesh node: listening node=", 10);
    let b = start(spawn_exe(), &cluster_env(&c, &nb, port));
    a.wait_secs(&format!("mesh node: connected peer={nb}"), 15);
    b.wait_secs(&format!("mesh node: connected peer={na}"), 5);

    // It runs on b and answers a pid of a.
    a.send_line(&format!("spawn {nb}"));
    a.wait_secs(&format!("reply: worker on {nb} got 42"), 10);
    // Its pid takes a send from a.
    a.send_line(&format!("send {nb}"));
    b.wait_secs(&format!("waiter on {nb} got hello from {na}"), 5);
    // A monitor from a sees its crash with the reason.
    a.send_line(&format!("monitor {nb}"));
    a.wait_secs("down reason=asked to crash", 5);
    // spawn_link: a trapping caller gets `Exit`; one that does not trap is killed.
    a.send_line(&format!("link {nb}"));
    a.wait_secs("linked", 5);
    a.wait_secs("exit reason=asked to crash", 5);
    a.send_line(&format!("linkdie {nb}"));
    a.wait_secs("caller down reason=linked #PID<", 5);
    a.wait_secs("crashed: asked to crash", 1);
    // Spawning on this node itself works too.
    a.send_line(&format!("spawn {na}"));
    a.wait_secs(&format!("reply: worker on {na} got 42"), 5);
    // A closure cannot leave its node (runtime-cluster §3.6): the caller panics.
    a.send_line(&format!("closure {nb}"));
    a.wait_secs(
        "crashed: remote send failed: Fun values cannot leave their node",
        5,
    );
    assert!(!a.out().contains("closure spawned"));
    // A node that is not connected.
    a.send_line("spawn nosuch@127.0.0.3:1");
    a.wait_secs(
        "crashed: Node.spawn on nosuch@127.0.0.3:1 failed: not connected to that node",
        5,
    );

    // A link made by spawn_link breaks with `noconnection` when the node is lost, and a
    // request b never answers fails when its connection goes.
    a.send_line(&format!("linkhold {nb}"));
    a.wait_secs("holding link to #PID<", 5);
    b.stop();
    a.send_line(&format!("spawn {nb}"));
    std::thread::sleep(Duration::from_millis(300));
    let replies = format!("reply: worker on {nb}");
    assert_eq!(
        a.out().matches(&replies).count(),
        1,
        "a stopped node replied"
    );
    b.signal("KILL");
    a.wait_secs("held exit reason=noconnection", 5);
    a.wait_secs(
        &format!("crashed: Node.spawn on {nb} failed: the connection was lost before the reply"),
        5,
    );
    for n in [&a, &b] {
        assert!(
            !n.out().contains(&c) && !n.err().contains(&c),
            "cookie leaked"
        );
    }
}

/// A node of another build: a function missing from the receiver's table and one whose
/// arguments differ are refused with the receiver's reason; a node that was never started
/// cannot spawn at all.
#[test]
fn spawn_from_another_build_or_without_a_node_fails_with_the_reason() {
    let c = cookie("other");
    let port = free_port();
    let (na, no) = (format!("a@127.0.0.1:{port}"), format!("o@127.0.0.3:{port}"));
    let a = start(spawn_exe(), &cluster_env(&c, &na, port));
    a.wait_secs("mesh node: listening node=", 10);
    let mut env = cluster_env(&c, &no, port);
    env.push(("MESH_SPAWN_TARGET", na.clone()));
    let mut o = start(&build("spawn_other"), &env);
    o.wait_secs("connected=true", 15);
    o.wait_secs(
        &format!(
            "crashed: Node.spawn on {na} failed: Main.stranger<()> is not in its function table (not the same program build)"
        ),
        5,
    );
    o.wait_secs(
        &format!(
            "crashed: Node.spawn on {na} failed: its Main.worker<()> takes other arguments (not the same program build): message of another type"
        ),
        5,
    );
    assert!(o
        .wait_exit(Duration::from_secs(10), "did not end")
        .success());
    assert!(!o.out().contains("spawned"), "{}", o.out());
    assert!(!a.out().contains("ran") && !a.out().contains("other build"));

    // Standalone (no cluster variables): no node to spawn from.
    let mut s = start(spawn_exe(), &[]);
    s.wait_secs("bootstrap mode=standalone", 10);
    s.send_line(&format!("spawn {na}"));
    s.wait_secs(
        &format!("crashed: Node.spawn on {na} failed: this node is not started (Node.start or Node.start_from_env first)"),
        5,
    );
}

/// `MESH_CLUSTER_BIND` moves the listener without changing the identity: a node named on
/// 127.0.0.2 but bound on 127.0.0.1 is found through the seed `localhost` under its name, and
/// nothing listens on its advertised address. A value that is not `addr:port` is a bootstrap
/// error.
#[test]
fn cluster_bind_overrides_the_listener_address_not_the_identity() {
    let c = cookie("bind");
    let port = free_port();
    let (na, nb) = (format!("a@127.0.0.2:{port}"), format!("b@127.0.0.3:{port}"));
    let mut env = cluster_env(&c, &na, port);
    env.push(("MESH_CLUSTER_BIND", format!("127.0.0.1:{port}")));
    let a = start(spawn_exe(), &env);
    a.wait_secs(
        &format!("mesh node: listening node={na} bind=127.0.0.1:{port} "),
        10,
    );
    assert!(
        std::net::TcpStream::connect(("127.0.0.2", port)).is_err(),
        "nothing listens on the advertised address"
    );
    let mut b = start(spawn_exe(), &cluster_env(&c, &nb, port));
    b.wait_secs(&format!("mesh node: connected peer={na}"), 15);
    b.send_line(&format!("spawn {na}"));
    b.wait_secs(&format!("reply: worker on {na} got 42"), 10);
    // Discovery keeps reaching a through 127.0.0.1, an address its name does not give: the
    // live connection stays (it is not replaced every tick, which could lose frames).
    let before = established(port);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(established(port), before, "the session was replaced");
    assert_eq!(before.len(), 1, "{before:?}");

    let mut env = cluster_env(&c, "x@127.0.0.1:1", 1);
    env.push(("MESH_CLUSTER_BIND", "0.0.0.0".into()));
    let x = start(spawn_exe(), &env);
    x.wait_secs(
        "bootstrap error: mesh bootstrap start failed node=x@127.0.0.1:1: invalid MESH_CLUSTER_BIND (expected addr:port)",
        10,
    );
}

/// Two nodes dialling each other at the same moment converge on one connection without a
/// node loss in between (no `disconnected`, one `connected` each), and each reaches the other.
#[test]
fn simultaneous_dials_report_no_node_loss() {
    let c = cookie("simul");
    for round in 0..6 {
        let port = free_port();
        let (nx, ny) = (format!("x@127.0.0.1:{port}"), format!("y@127.0.0.3:{port}"));
        // A seed where nobody listens: only the dials below connect.
        let env = |name: &str| seeded_env(&c, name, port, "127.0.0.9");
        let mut x = start(spawn_exe(), &env(&nx));
        let mut y = start(spawn_exe(), &env(&ny));
        dial_each_other(&mut x, &nx, &mut y, &ny);
        x.send_line(&format!("spawn {ny}"));
        y.send_line(&format!("spawn {nx}"));
        x.wait_secs(&format!("reply: worker on {ny} got 42"), 10);
        y.wait_secs(&format!("reply: worker on {nx} got 42"), 10);
        std::thread::sleep(Duration::from_millis(300));
        for n in [&x, &y] {
            let err = n.err();
            assert!(!err.contains("disconnected"), "round {round}:\n{err}");
            assert_eq!(
                err.matches("connected peer=").count(),
                1,
                "round {round}:\n{err}"
            );
        }
    }
}

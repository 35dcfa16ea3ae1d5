//! Node distribution with real node processes (runtime-cluster §2–§3, stdlib §17.1–§17.2): each
//! node is the compiled Mesh program `tests/fixtures/dist/node.mpl`, driven by commands on its
//! stdin, on loopback addresses (127.0.0.1, [::1], 127.0.0.x) and, for the silent-node case, in
//! network namespaces this test creates (it runs as root in CI; if namespaces cannot be made
//! the test fails).

#[path = "support/node.rs"]
mod node;

use node::{build, clear_cluster_vars, cluster_env as node_env, cookie, free_port, repo_root};
use node::{dial_each_other, name_in, scratch, seeded_env, NodeProc as Node};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The node program, built once per test run.
fn node_exe() -> &'static Path {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        // Private to this test process: nextest runs the tests of this file in parallel
        // processes, each building the node program.
        let exe = scratch("dist").join("node");
        build(&repo_root().join("tests/fixtures/dist/node.mpl"), &exe);
        exe
    })
}

/// Starts a node with `env` (the cluster variables); `netns` runs it in a namespace.
fn start_node(env: &[(&str, String)], netns: Option<&str>) -> Node {
    let cmd = match netns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", ns]).arg(node_exe());
            c
        }
        None => Command::new(node_exe()),
    };
    Node::spawn(cmd, &name_in(env), env, Stdio::piped())
}

/// The peer list of a node, asked for with its `list` command.
trait Peers {
    /// Runs `list` until the peers are exactly `want` (sorted, comma-joined).
    fn wait_peers(&mut self, want: &[&str], secs: u64);
}

impl Peers for Node {
    fn wait_peers(&mut self, want: &[&str], secs: u64) {
        let mut want: Vec<&str> = want.to_vec();
        want.sort();
        let line = format!("peers={}\n", want.join(","));
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            self.send_line("list");
            std::thread::sleep(Duration::from_millis(100));
            if self.out().lines().last().map(|l| format!("{l}\n")) == Some(line.clone()) {
                return;
            }
        }
        panic!(
            "peers never became {line:?}\n--- stdout\n{}--- stderr\n{}",
            self.out(),
            self.err()
        );
    }
}

fn assert_no_secret(nodes: &[&Node], secrets: &[&str]) {
    for n in nodes {
        for s in secrets {
            assert!(
                !n.out().contains(s) && !n.err().contains(s),
                "a cookie leaked:\n{}{}",
                n.out(),
                n.err()
            );
        }
    }
}

/// Three nodes find each other from the seed `localhost` and peer lists, talk through the
/// Global registry, forward a pid through a third node, monitor and link across nodes, and
/// a killed node is noticed at once by links, monitors and `Node.monitor`.
#[test]
fn three_nodes_form_a_cluster_and_processes_talk_across_it() {
    let c = cookie("three");
    let port = free_port();
    let (na, nb, nc) = (
        format!("a@127.0.0.1:{port}"),
        format!("b@[::1]:{port}"),
        format!("c@127.0.0.2:{port}"),
    );
    let mut a = start_node(&node_env(&c, &na, port), None);
    a.wait_secs("mesh node: listening node=", 10);
    let mut b = start_node(&node_env(&c, &nb, port), None);
    let mut cc = start_node(&node_env(&c, &nc, port), None);
    a.wait_peers(&[&nb, &nc], 15);
    b.wait_peers(&[&na, &nc], 15);
    cc.wait_peers(&[&na, &nb], 15);
    for n in [&a, &b, &cc] {
        n.wait_secs("mesh node: connected peer=", 1);
    }
    a.wait_secs("bootstrap mode=cluster node=a@127.0.0.1", 1);
    // Remote send through a global name, the reply to a pid of the asking node.
    a.send_line("serve echo_a");
    a.wait_secs("registered=0", 5);
    b.send_line("whereis echo_a");
    b.wait_secs("found echo_a=true", 8);
    b.send_line("ask echo_a hello");
    b.wait_secs(&format!("reply: echo hello from {na}"), 5);
    // A pid of a, sent by b to c's relay: c reaches a with it.
    cc.send_line("relay relay_c");
    cc.wait_secs("registered=0", 5);
    b.send_line("whereis relay_c");
    b.wait_secs("found relay_c=true", 8);
    b.send_line("forward echo_a relay_c");
    cc.wait_secs(&format!("relay got: echo relayed from {na}"), 5);
    // A monitor and a link across nodes see a crash with its reason.
    a.send_line("serve victim");
    a.wait_secs("registered=0", 5);
    b.send_line("whereis victim");
    b.wait_secs("found victim=true", 8);
    b.send_line("monitor victim");
    b.wait_secs("monitoring", 5);
    cc.send_line("whereis victim");
    cc.wait_secs("found victim=true", 8);
    cc.send_line("link victim");
    cc.wait_secs("linked", 5);
    std::thread::sleep(Duration::from_millis(200));
    b.send_line("crash victim");
    b.wait_secs("down reason=asked to crash", 5);
    cc.wait_secs("exit reason=asked to crash", 5);
    // A killed node: links, monitors and Node.monitor learn at once.
    a.send_line("serve survivor");
    a.wait_secs("registered=0", 5);
    b.send_line("whereis survivor");
    b.wait_secs("found survivor=true", 8);
    b.send_line("monitor survivor");
    cc.send_line("whereis survivor");
    cc.wait_secs("found survivor=true", 8);
    cc.send_line("link survivor");
    b.send_line(&format!("nodemon {na}"));
    b.wait_secs("node monitor set", 5);
    std::thread::sleep(Duration::from_millis(300));
    let killed = Instant::now();
    a.kill();
    b.wait_secs(&format!("node event nodedown {na}"), 3);
    b.wait_secs("down reason=noconnection", 3);
    cc.wait_secs("exit reason=noconnection", 3);
    b.wait_secs(
        &format!("mesh node: disconnected peer={na} reason=closed"),
        3,
    );
    assert!(
        killed.elapsed() < Duration::from_secs(3),
        "a killed node is noticed at once"
    );
    b.wait_peers(&[&nc], 5);
    // Its global names went with it.
    b.send_line("whereis echo_a");
    b.wait_secs("found echo_a=false", 10);
    assert_no_secret(&[&a, &b, &cc], &[&c]);
}

/// Two nodes dialling each other at the same moment end with one session each way (the
/// connection the lower-named node initiated), and messages from one sender arrive in order.
#[test]
fn simultaneous_dials_converge_and_sends_keep_their_order() {
    let c = cookie("simul");
    let port = free_port();
    let (nx, ny) = (format!("x@127.0.0.1:{port}"), format!("y@127.0.0.3:{port}"));
    // A seed where nobody listens: only the explicit dials below connect.
    let env = |name: &str| seeded_env(&c, name, port, "127.0.0.9");
    let mut x = start_node(&env(&nx), None);
    let mut y = start_node(&env(&ny), None);
    dial_each_other(&mut x, &nx, &mut y, &ny);
    x.wait_peers(&[&ny], 5);
    y.wait_peers(&[&nx], 5);
    x.send_line("sink sink_x");
    x.wait_secs("registered=0", 5);
    y.send_line("whereis sink_x");
    y.wait_secs("found sink_x=true", 8);
    y.send_line("burst sink_x 2000");
    x.wait_secs("sink got 2000 in order=true", 20);
    x.wait_peers(&[&ny], 2);
    y.wait_peers(&[&nx], 2);
}

/// Peak resident memory of a running node, in KiB.
fn peak_rss_kib(node: &Node) -> u64 {
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", node.id())).expect("the node's status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// 3,000 messages of 64 KiB (190 MiB) from one node to a process on another arrive whole
/// and in order, and neither node holds more than a small part of them at once: the sender
/// waits while 1 MiB is queued for its session, the receiving session's reader lets the
/// receiver run between batches of frames, and the receiver's heap collects what it got.
#[test]
fn a_stream_of_large_messages_arrives_in_order_in_bounded_memory() {
    let c = cookie("large");
    let port = free_port();
    let (nx, ny) = (format!("x@127.0.0.1:{port}"), format!("y@127.0.0.2:{port}"));
    let mut x = start_node(&node_env(&c, &nx, port), None);
    x.wait_secs("mesh node: listening", 10);
    let mut y = start_node(&node_env(&c, &ny, port), None);
    x.wait_secs(&format!("mesh node: connected peer={ny}"), 15);
    x.send_line("bigsink big_x");
    x.wait_secs("registered=0", 5);
    y.send_line("whereis big_x");
    y.wait_secs("found big_x=true", 8);
    y.send_line("bigburst big_x 3000");
    x.wait_secs("big sink got 3000 in order=true", 120);
    let (rx, tx) = (peak_rss_kib(&x), peak_rss_kib(&y));
    assert!(rx < 96 * 1024, "the receiving node peaked at {rx} KiB");
    assert!(tx < 96 * 1024, "the sending node peaked at {tx} KiB");
    assert_no_secret(&[&x, &y], &[&c]);
}

/// A node with another cookie is refused on both sides with the spec's lines, never joins,
/// and neither cookie appears anywhere.
#[test]
fn a_wrong_cookie_is_rejected_on_both_sides() {
    let (good, bad) = (cookie("good"), cookie("bad"));
    let port = free_port();
    let (na, nd) = (format!("a@127.0.0.1:{port}"), format!("d@[::1]:{port}"));
    let mut a = start_node(&node_env(&good, &na, port), None);
    a.wait_secs("mesh node: listening", 10);
    let mut d = start_node(&node_env(&bad, &nd, port), None);
    d.wait_secs(
        &format!("mesh node: handshake failed target=127.0.0.1:{port} reason=authentication failed (cookie mismatch)"),
        10,
    );
    a.wait_secs(
        &format!("claimed_name={nd} purpose=node reason=auth_failed"),
        5,
    );
    assert!(
        a.err().contains("mesh node: handshake rejected remote="),
        "{}",
        a.err()
    );
    d.send_line(&format!("connect {na}"));
    d.wait_secs("connect=-3", 10);
    a.wait_peers(&[], 2);
    d.wait_peers(&[], 2);
    assert!(!a.err().contains("connected peer="), "{}", a.err());
    assert_no_secret(&[&a, &d], &[&good, &bad]);
}

/// Reads the handshake frames a raw client gets until the node closes.
fn read_until_closed(s: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = s.read_to_end(&mut got);
    got
}

/// Oversized, malformed and stalled handshakes are dropped (the stalled one after the 5 s
/// step deadline) while the node keeps serving other nodes.
#[test]
fn hostile_clients_are_dropped_and_the_node_keeps_serving() {
    let c = cookie("hostile");
    let port = free_port();
    let (na, nb) = (format!("a@127.0.0.1:{port}"), format!("b@127.0.0.3:{port}"));
    let mut a = start_node(&node_env(&c, &na, port), None);
    a.wait_secs("mesh node: listening", 10);
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    // A client that connects and says nothing.
    let stalled = TcpStream::connect(addr).expect("connect");
    let stall_start = Instant::now();
    // A frame length over the 4 KiB handshake limit.
    let mut big = TcpStream::connect(addr).expect("connect");
    big.write_all(&(64 * 1024u32).to_be_bytes()).expect("write");
    let reply = read_until_closed(&mut big);
    assert!(reply.ends_with(b"frame_too_large"), "{reply:?}");
    a.wait_secs("purpose= reason=frame_too_large", 5);
    // A HELLO whose payload is garbage.
    let mut junk = TcpStream::connect(addr).expect("connect");
    junk.write_all(&[0, 0, 0, 4, 1, 1, 9, 9]).expect("write");
    read_until_closed(&mut junk);
    a.wait_secs("reason=malformed_frame", 5);
    // A HELLO of another protocol version.
    let mut old = TcpStream::connect(addr).expect("connect");
    old.write_all(&[0, 0, 0, 2, 1, 7]).expect("write");
    let reply = read_until_closed(&mut old);
    assert!(reply.ends_with(b"version_unsupported"), "{reply:?}");
    // Meanwhile a real node joins.
    let mut b = start_node(&node_env(&c, &nb, port), None);
    b.send_line(&format!("connect {na}"));
    b.wait_secs("connect=0", 10);
    a.wait_peers(&[&nb], 5);
    assert!(
        stall_start.elapsed() < Duration::from_secs(5),
        "the node served others while a client stalled"
    );
    // The staller is dropped at the step deadline.
    let mut stalled = stalled;
    let reply = read_until_closed(&mut stalled);
    assert!(reply.ends_with(b"handshake_timeout"), "{reply:?}");
    let waited = stall_start.elapsed();
    assert!(
        waited >= Duration::from_millis(4500) && waited < Duration::from_secs(9),
        "{waited:?}"
    );
    a.wait_secs("reason=handshake_timeout", 2);
    a.wait_peers(&[&nb], 2);
}

/// Every bootstrap error string of runtime-cluster §2.1–§2.2 as `Node.start_from_env()`
/// returns it, a port in use, and the standalone and Fly results.
#[test]
fn bootstrap_results_and_error_strings() {
    let port = free_port();
    let run = |env: &[(&str, &str)]| -> String {
        let mut cmd = Command::new(node_exe());
        clear_cluster_vars(&mut cmd);
        cmd.env("MESH_TEST_REPL", "0");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("runs");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let cookie = ("MESH_CLUSTER_COOKIE", "0123456789abcdef-bootstrap");
    let seed = ("MESH_DISCOVERY_SEED", "localhost");
    let p = port.to_string();
    let cport = ("MESH_CLUSTER_PORT", p.as_str());
    assert_eq!(
        run(&[]),
        "bootstrap mode=standalone node= cluster_port=4370 discovery_seed="
    );
    let err = |text: &str| format!("bootstrap error: {text}");
    assert_eq!(
        run(&[("MESH_CLUSTER_PORT", "0")]),
        err("Invalid MESH_CLUSTER_PORT: expected a positive integer")
    );
    assert_eq!(
        run(&[seed]),
        err("MESH_CLUSTER_COOKIE is required when discovery or identity env is set")
    );
    assert_eq!(
        run(&[cookie]),
        err("Missing required environment variable MESH_DISCOVERY_SEED")
    );
    assert_eq!(
        run(&[cookie, seed, ("MESH_CONTINUITY_ROLE", "boss")]),
        err("Invalid MESH_CONTINUITY_ROLE: expected primary or standby")
    );
    assert_eq!(
        run(&[cookie, seed, ("MESH_CONTINUITY_PROMOTION_EPOCH", "-1")]),
        err("Invalid MESH_CONTINUITY_PROMOTION_EPOCH: expected a non-negative integer")
    );
    let named = |value: &str| run(&[cookie, seed, cport, ("MESH_NODE_NAME", value)]);
    for (value, text) in [
        ("a b@127.0.0.1:1", "value cannot contain spaces"),
        ("a127.0.0.1:1", "expected name@host:port"),
        ("@127.0.0.1:1", "node name cannot be blank"),
        ("a@:1", "host cannot be blank"),
        ("a@::1:1", "IPv6 host must use [addr]:port"),
        ("a@bad!host:1", "host is invalid"),
        ("a@127.0.0.1:x", "port must be a positive integer"),
        ("a@127.0.0.1:1", "port must match MESH_CLUSTER_PORT"),
    ] {
        assert_eq!(
            named(value),
            err(&format!("Invalid MESH_NODE_NAME: {text}")),
            "{value}"
        );
    }
    assert_eq!(
        run(&[cookie, seed, ("FLY_APP_NAME", "x")]),
        err("Invalid cluster identity: Fly cluster identity requires FLY_APP_NAME, FLY_REGION, FLY_MACHINE_ID, and FLY_PRIVATE_IP")
    );
    assert_eq!(
        run(&[cookie, seed, ("MESH_NODE_HOST", "a@b")]),
        err("Invalid cluster identity: advertised host cannot contain @")
    );
    // Fly identities bracket IPv6 hosts; ::1 binds here.
    assert_eq!(
        run(&[
            cookie,
            seed,
            cport,
            ("FLY_APP_NAME", "todo"),
            ("FLY_REGION", "ams"),
            ("FLY_MACHINE_ID", "m1"),
            ("FLY_PRIVATE_IP", "::1"),
        ]),
        format!("bootstrap mode=cluster node=todo-ams-m1@[::1]:{port} cluster_port={port} discovery_seed=localhost")
    );
    // A port in use.
    let busy = TcpListener::bind(format!("127.0.0.1:{port}")).expect("bind");
    let name = format!("a@127.0.0.1:{port}");
    assert_eq!(
        named(&name),
        err(&format!(
            "mesh bootstrap start failed node={name}: listener bind failed"
        ))
    );
    drop(busy);
}

/// Runs `ip` with `args`; panics with its output when it fails.
fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("ip runs");
    assert!(
        out.status.success(),
        "ip {args:?} failed (network namespaces are required): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Two namespaces joined by a veth pair; removed on drop.
struct Netns {
    names: [String; 2],
}

impl Netns {
    fn new() -> Netns {
        let tag = std::process::id() % 100_000;
        let names = [format!("meshA{tag}"), format!("meshB{tag}")];
        let (va, vb) = (format!("vmA{tag}"), format!("vmB{tag}"));
        let ns = Netns { names };
        let [a, b] = &ns.names;
        ip(&["netns", "add", a]);
        ip(&["netns", "add", b]);
        ip(&["link", "add", &va, "type", "veth", "peer", "name", &vb]);
        ip(&["link", "set", &va, "netns", a]);
        ip(&["link", "set", &vb, "netns", b]);
        ip(&["-n", a, "addr", "add", "10.213.0.1/24", "dev", &va]);
        ip(&["-n", b, "addr", "add", "10.213.0.2/24", "dev", &vb]);
        for (n, v) in [(a, &va), (b, &vb)] {
            ip(&["-n", n, "link", "set", v, "up"]);
            ip(&["-n", n, "link", "set", "lo", "up"]);
        }
        ns
    }

    /// Silently drops every packet between the two (no FIN, no RST: a partition).
    fn cut(&self) {
        let tag = std::process::id() % 100_000;
        let va = format!("vmA{tag}");
        ip(&["-n", &self.names[0], "link", "set", &va, "down"]);
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        for n in &self.names {
            let _ = Command::new("ip").args(["netns", "delete", n]).output();
        }
    }
}

/// A silent peer (the link between two namespaces cut) is lost after the heartbeat timeout
/// (`MESH_NODE_DOWN_AFTER_MS`, here 2 000 ms) with `reason=heartbeat_timeout`.
#[test]
fn a_silent_node_is_lost_after_the_heartbeat_timeout() {
    let ns = Netns::new();
    let c = cookie("netns");
    let port = 4370;
    let (na, nb) = (
        format!("a@10.213.0.1:{port}"),
        format!("b@10.213.0.2:{port}"),
    );
    let with = |name: &str| {
        let mut env = seeded_env(&c, name, port, "10.213.0.1");
        env.push(("MESH_NODE_DOWN_AFTER_MS", "2000".into()));
        env
    };
    let mut a = start_node(&with(&na), Some(&ns.names[0]));
    let mut b = start_node(&with(&nb), Some(&ns.names[1]));
    a.wait_peers(&[&nb], 15);
    b.wait_peers(&[&na], 5);
    // Heartbeats keep an idle session up past the timeout.
    std::thread::sleep(Duration::from_millis(3000));
    b.wait_peers(&[&na], 1);
    ns.cut();
    let cut = Instant::now();
    b.wait_secs(
        &format!("mesh node: disconnected peer={na} reason=heartbeat_timeout"),
        6,
    );
    let took = cut.elapsed();
    assert!(
        took >= Duration::from_millis(1500) && took < Duration::from_millis(4000),
        "{took:?}"
    );
    // The side whose interface went down may see a routing error first.
    a.wait_secs(&format!("mesh node: disconnected peer={nb} reason="), 4);
    b.wait_peers(&[], 2);
    assert_no_secret(&[&a, &b], &[&c]);
}

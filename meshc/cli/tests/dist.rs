//! Node distribution with real node processes (runtime-cluster §2–§3, stdlib §17.1–§17.2): each
//! node is the compiled Mesh program `tests/fixtures/dist/node.mpl`, driven by commands on its
//! stdin, on loopback addresses (127.0.0.1, [::1], 127.0.0.x) and, for the silent-node case, in
//! network namespaces this test creates (it runs as root in CI; if namespaces cannot be made
//! the test fails).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The node program, built once per test run.
fn node_exe() -> &'static Path {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        // Private to this test process: nextest runs the tests of this file in parallel
        // processes, each building the node program.
        let dir = repo_root()
            .join("target")
            .join("cli-tests")
            .join(format!("dist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let exe = dir.join("node");
        let out = Command::new(env!("CARGO_BIN_EXE_meshc"))
            .env_remove("MESH_RT_LIB_PATH")
            .arg("build")
            .arg(repo_root().join("tests/fixtures/dist/node.mpl"))
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
    })
}

/// A fresh cookie per test (checked absent from every output).
fn cookie(tag: &str) -> String {
    format!("cookie-{tag}-{}-7f3a9c1e55d2", std::process::id())
}

/// A port free on 127.0.0.1, ::1 and 127.0.0.2/3 (ports are per address, so a port the
/// system hands out for 127.0.0.1 is checked on the others too).
fn free_port() -> u16 {
    loop {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        drop(l);
        let others = ["[::1]", "127.0.0.2", "127.0.0.3"];
        if others
            .iter()
            .all(|h| TcpListener::bind(format!("{h}:{port}")).is_ok())
        {
            return port;
        }
    }
}

/// One node process: its stdin for commands, its stdout and stderr collected as they come.
struct Node {
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
    /// Starts a node with `env` (the cluster variables); `netns` runs it in a namespace.
    fn start(env: &[(&str, String)], netns: Option<&str>) -> Node {
        let mut cmd = match netns {
            Some(ns) => {
                let mut c = Command::new("ip");
                c.args(["netns", "exec", ns]).arg(node_exe());
                c
            }
            None => Command::new(node_exe()),
        };
        for var in [
            "MESH_CLUSTER_COOKIE",
            "MESH_DISCOVERY_SEED",
            "MESH_NODE_NAME",
            "MESH_NODE_HOST",
            "MESH_CLUSTER_PORT",
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

    fn cmd(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("command written");
        stdin.flush().expect("flushed");
    }

    fn out(&self) -> String {
        self.out.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn err(&self) -> String {
        self.err.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until stdout (or stderr) holds `needle`; panics with both after `secs`.
    fn wait(&self, needle: &str, secs: u64) {
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

    /// Runs `list` until the peers are exactly `want` (sorted, comma-joined).
    fn wait_peers(&mut self, want: &[&str], secs: u64) {
        let mut want: Vec<&str> = want.to_vec();
        want.sort();
        let line = format!("peers={}\n", want.join(","));
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            self.cmd("list");
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

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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

fn node_env(cookie: &str, name: &str, port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("MESH_CLUSTER_COOKIE", cookie.to_string()),
        ("MESH_DISCOVERY_SEED", "localhost".to_string()),
        ("MESH_NODE_NAME", name.to_string()),
        ("MESH_CLUSTER_PORT", port.to_string()),
    ]
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
    let mut a = Node::start(&node_env(&c, &na, port), None);
    a.wait("mesh node: listening node=", 10);
    let mut b = Node::start(&node_env(&c, &nb, port), None);
    let mut cc = Node::start(&node_env(&c, &nc, port), None);
    a.wait_peers(&[&nb, &nc], 15);
    b.wait_peers(&[&na, &nc], 15);
    cc.wait_peers(&[&na, &nb], 15);
    for n in [&a, &b, &cc] {
        n.wait("mesh node: connected peer=", 1);
    }
    a.wait("bootstrap mode=cluster node=a@127.0.0.1", 1);
    // Remote send through a global name, the reply to a pid of the asking node.
    a.cmd("serve echo_a");
    a.wait("registered=0", 5);
    b.cmd("whereis echo_a");
    b.wait("found echo_a=true", 8);
    b.cmd("ask echo_a hello");
    b.wait(&format!("reply: echo hello from {na}"), 5);
    // A pid of a, sent by b to c's relay: c reaches a with it.
    cc.cmd("relay relay_c");
    cc.wait("registered=0", 5);
    b.cmd("whereis relay_c");
    b.wait("found relay_c=true", 8);
    b.cmd("forward echo_a relay_c");
    cc.wait(&format!("relay got: echo relayed from {na}"), 5);
    // A monitor and a link across nodes see a crash with its reason.
    a.cmd("serve victim");
    a.wait("registered=0", 5);
    b.cmd("whereis victim");
    b.wait("found victim=true", 8);
    b.cmd("monitor victim");
    b.wait("monitoring", 5);
    cc.cmd("whereis victim");
    cc.wait("found victim=true", 8);
    cc.cmd("link victim");
    cc.wait("linked", 5);
    std::thread::sleep(Duration::from_millis(200));
    b.cmd("crash victim");
    b.wait("down reason=asked to crash", 5);
    cc.wait("exit reason=asked to crash", 5);
    // A killed node: links, monitors and Node.monitor learn at once.
    a.cmd("serve survivor");
    a.wait("registered=0", 5);
    b.cmd("whereis survivor");
    b.wait("found survivor=true", 8);
    b.cmd("monitor survivor");
    cc.cmd("whereis survivor");
    cc.wait("found survivor=true", 8);
    cc.cmd("link survivor");
    b.cmd(&format!("nodemon {na}"));
    b.wait("node monitor set", 5);
    std::thread::sleep(Duration::from_millis(300));
    let killed = Instant::now();
    a.kill();
    b.wait(&format!("node event nodedown {na}"), 3);
    b.wait("down reason=noconnection", 3);
    cc.wait("exit reason=noconnection", 3);
    b.wait(
        &format!("mesh node: disconnected peer={na} reason=closed"),
        3,
    );
    assert!(
        killed.elapsed() < Duration::from_secs(3),
        "a killed node is noticed at once"
    );
    b.wait_peers(&[&nc], 5);
    // Its global names went with it.
    b.cmd("whereis echo_a");
    b.wait("found echo_a=false", 10);
    assert_no_secret(&[&a, &b, &cc], &[&c]);
}

/// Two nodes dialling each other at the same moment end with one session each way (the
/// connection the lower-named node initiated), and messages from one sender arrive in order.
#[test]
fn simultaneous_dials_converge_and_sends_keep_their_order() {
    let c = cookie("simul");
    let port = free_port();
    let (nx, ny) = (format!("x@127.0.0.1:{port}"), format!("y@127.0.0.3:{port}"));
    let env = |name: &str| {
        let mut env = node_env(&c, name, port);
        // A seed where nobody listens: only the explicit dials below connect.
        env[1].1 = "127.0.0.9".into();
        env
    };
    let mut x = Node::start(&env(&nx), None);
    let mut y = Node::start(&env(&ny), None);
    x.wait("mesh node: listening", 10);
    y.wait("mesh node: listening", 10);
    x.cmd(&format!("connect {ny}"));
    y.cmd(&format!("connect {nx}"));
    x.wait("connect=0", 10);
    y.wait("connect=0", 10);
    x.wait_peers(&[&ny], 5);
    y.wait_peers(&[&nx], 5);
    x.cmd("sink sink_x");
    x.wait("registered=0", 5);
    y.cmd("whereis sink_x");
    y.wait("found sink_x=true", 8);
    y.cmd("burst sink_x 2000");
    x.wait("sink got 2000 in order=true", 20);
    x.wait_peers(&[&ny], 2);
    y.wait_peers(&[&nx], 2);
}

/// Peak resident memory of a running node, in KiB.
fn peak_rss_kib(node: &Node) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", node.child.id()))
        .expect("the node's status");
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
    let mut x = Node::start(&node_env(&c, &nx, port), None);
    x.wait("mesh node: listening", 10);
    let mut y = Node::start(&node_env(&c, &ny, port), None);
    x.wait(&format!("mesh node: connected peer={ny}"), 15);
    x.cmd("bigsink big_x");
    x.wait("registered=0", 5);
    y.cmd("whereis big_x");
    y.wait("found big_x=true", 8);
    y.cmd("bigburst big_x 3000");
    x.wait("big sink got 3000 in order=true", 120);
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
    let mut a = Node::start(&node_env(&good, &na, port), None);
    a.wait("mesh node: listening", 10);
    let mut d = Node::start(&node_env(&bad, &nd, port), None);
    d.wait(
        &format!("mesh node: handshake failed target=127.0.0.1:{port} reason=authentication failed (cookie mismatch)"),
        10,
    );
    a.wait(
        &format!("claimed_name={nd} purpose=node reason=auth_failed"),
        5,
    );
    assert!(
        a.err().contains("mesh node: handshake rejected remote="),
        "{}",
        a.err()
    );
    d.cmd(&format!("connect {na}"));
    d.wait("connect=-3", 10);
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
    let mut a = Node::start(&node_env(&c, &na, port), None);
    a.wait("mesh node: listening", 10);
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    // A client that connects and says nothing.
    let stalled = TcpStream::connect(addr).expect("connect");
    let stall_start = Instant::now();
    // A frame length over the 4 KiB handshake limit.
    let mut big = TcpStream::connect(addr).expect("connect");
    big.write_all(&(64 * 1024u32).to_be_bytes()).expect("write");
    let reply = read_until_closed(&mut big);
    assert!(reply.ends_with(b"frame_too_large"), "{reply:?}");
    a.wait("purpose= reason=frame_too_large", 5);
    // A HELLO whose payload is garbage.
    let mut junk = TcpStream::connect(addr).expect("connect");
    junk.write_all(&[0, 0, 0, 4, 1, 1, 9, 9]).expect("write");
    read_until_closed(&mut junk);
    a.wait("reason=malformed_frame", 5);
    // A HELLO of another protocol version.
    let mut old = TcpStream::connect(addr).expect("connect");
    old.write_all(&[0, 0, 0, 2, 1, 7]).expect("write");
    let reply = read_until_closed(&mut old);
    assert!(reply.ends_with(b"version_unsupported"), "{reply:?}");
    // Meanwhile a real node joins.
    let mut b = Node::start(&node_env(&c, &nb, port), None);
    b.cmd(&format!("connect {na}"));
    b.wait("connect=0", 10);
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
    a.wait("reason=handshake_timeout", 2);
    a.wait_peers(&[&nb], 2);
}

/// Every bootstrap error string of runtime-cluster §2.1–§2.2 as `Node.start_from_env()`
/// returns it, a port in use, and the standalone and Fly results.
#[test]
fn bootstrap_results_and_error_strings() {
    let port = free_port();
    let run = |env: &[(&str, &str)]| -> String {
        let mut cmd = Command::new(node_exe());
        for var in [
            "MESH_CLUSTER_COOKIE",
            "MESH_DISCOVERY_SEED",
            "MESH_NODE_NAME",
            "MESH_NODE_HOST",
            "MESH_CLUSTER_PORT",
            "FLY_APP_NAME",
            "FLY_REGION",
            "FLY_MACHINE_ID",
            "FLY_PRIVATE_IP",
        ] {
            cmd.env_remove(var);
        }
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
        let mut env = node_env(&c, name, port);
        env[1].1 = "10.213.0.1".into();
        env.push(("MESH_NODE_DOWN_AFTER_MS", "2000".into()));
        env
    };
    let mut a = Node::start(&with(&na), Some(&ns.names[0]));
    let mut b = Node::start(&with(&nb), Some(&ns.names[1]));
    a.wait_peers(&[&nb], 15);
    b.wait_peers(&[&na], 5);
    // Heartbeats keep an idle session up past the timeout.
    std::thread::sleep(Duration::from_millis(3000));
    b.wait_peers(&[&na], 1);
    ns.cut();
    let cut = Instant::now();
    b.wait(
        &format!("mesh node: disconnected peer={na} reason=heartbeat_timeout"),
        6,
    );
    let took = cut.elapsed();
    assert!(
        took >= Duration::from_millis(1500) && took < Duration::from_millis(4000),
        "{took:?}"
    );
    // The side whose interface went down may see a routing error first.
    a.wait(&format!("mesh node: disconnected peer={nb} reason="), 4);
    b.wait_peers(&[], 2);
    assert_no_secret(&[&a, &b], &[&c]);
}

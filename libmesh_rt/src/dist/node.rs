//! The node: its identity, cookie and incarnation, its listener, the table of sessions by
//! peer name, the node slots that remote pids carry in their node bits, and `Node.*`'s
//! operations (start, connect, list, monitor). One node per program (`NODE`).

use super::env::{self, Plan, Role, Settings};
use super::handshake::random_u64;
use super::session::{self, Session};
use super::{discovery, global, remote};
use crate::net::TcpListener;
use crate::sched::{self, Pid};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// A started node.
pub struct Node {
    pub name: String,
    /// The HMAC key of handshakes; never printed.
    cookie: Vec<u8>,
    pub incarnation: u64,
    pub port: u16,
    /// The address the listener is bound to.
    pub bound: SocketAddr,
    pub settings: Settings,
    /// (role, epoch): this node's continuity authority.
    pub authority: Mutex<(Role, u64)>,
    state: Mutex<State>,
}

/// What the sessions share, under one lock.
#[derive(Default)]
pub struct State {
    /// Live sessions by peer name.
    pub sessions: HashMap<String, Arc<Session>>,
    /// `Node.monitor` subscribers: (node name, process).
    pub subscribers: Vec<(String, Pid)>,
    /// Names being dialled now (a second dial of one waits for the first).
    dialing: std::collections::HashSet<String>,
}

static NODE: OnceLock<Node> = OnceLock::new();

/// The started node, if any.
pub fn node() -> Option<&'static Node> {
    NODE.get()
}

impl Node {
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cookie, for the handshake's MACs only.
    pub(super) fn cookie(&self) -> &[u8] {
        &self.cookie
    }

    pub fn authority(&self) -> (Role, u64) {
        *self.authority.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    /// The live session of a node slot (None when its incarnation is gone).
    pub fn session_of_slot(&self, slot: u16) -> Option<Arc<Session>> {
        let id = super::node_of_slot(slot).filter(|_| slot != 0)?;
        self.sessions
            .get(&*id.name)
            .filter(|s| s.incarnation == id.incarnation)
            .cloned()
    }
}

/// The `BootstrapStatus` of `Node.start_from_env()`.
#[derive(Debug, PartialEq, Eq)]
pub struct BootstrapStatus {
    pub mode: &'static str,
    pub node_name: String,
    pub cluster_port: u16,
    pub discovery_seed: String,
}

/// Why a node did not start (step 8 reasons; `Node.start`'s codes).
#[derive(Debug, PartialEq, Eq)]
pub enum StartError {
    AlreadyStarted,
    BindFailed,
    Invalid,
    /// `MESH_CLUSTER_BIND` is not `addr:port`.
    BadBind,
}

impl StartError {
    pub fn reason(&self) -> &'static str {
        match self {
            StartError::AlreadyStarted => "node already started",
            StartError::BindFailed => "listener bind failed",
            StartError::Invalid => "invalid node name or cookie",
            StartError::BadBind => "invalid MESH_CLUSTER_BIND (expected addr:port)",
        }
    }
    pub fn code(&self) -> i64 {
        match self {
            StartError::AlreadyStarted => -1,
            StartError::BindFailed | StartError::BadBind => -2,
            StartError::Invalid => -3,
        }
    }
}

/// `Node.start_from_env()` (runtime-cluster §2.1).
pub fn start_from_env() -> Result<BootstrapStatus, String> {
    let lookup = |k: &str| -> Result<Option<String>, ()> {
        match std::env::var_os(k) {
            None => Ok(None),
            Some(v) => v.into_string().map(Some).map_err(|_| ()),
        }
    };
    match env::plan(&lookup, &env::system_hostname)? {
        Plan::Standalone { port } => Ok(BootstrapStatus {
            mode: "standalone",
            node_name: String::new(),
            cluster_port: port,
            discovery_seed: String::new(),
        }),
        Plan::Cluster {
            name,
            host,
            port,
            seed,
            cookie,
            settings,
        } => {
            start_node(
                &name,
                &host,
                port,
                cookie.0.as_bytes(),
                Some(&seed),
                settings,
            )
            .map_err(|e| format!("mesh bootstrap start failed node={name}: {}", e.reason()))?;
            Ok(BootstrapStatus {
                mode: "cluster",
                node_name: name,
                cluster_port: port,
                discovery_seed: seed,
            })
        }
    }
}

/// `Node.start(name, cookie)`: 0, or -1 already started, -2 bind failed, -3 invalid.
pub fn start(name: &str, cookie: &str) -> i64 {
    let Ok((_, host, port)) = env::parse_name(name, false) else {
        return StartError::Invalid.code();
    };
    if cookie.is_empty() {
        return StartError::Invalid.code();
    }
    let port = port.unwrap_or(env::DEFAULT_PORT);
    let name = if name.ends_with(&format!(":{port}")) && env::valid_identity(name) {
        name.to_string()
    } else {
        format!("{name}:{port}")
    };
    let lookup = |k: &str| -> Result<Option<String>, ()> {
        Ok(std::env::var(k)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty()))
    };
    let down_after_ms = lookup("MESH_NODE_DOWN_AFTER_MS")
        .ok()
        .flatten()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&v| v > 0)
        .unwrap_or(env::DEFAULT_DOWN_AFTER_MS);
    let settings = Settings {
        down_after_ms,
        ..Settings::default()
    };
    match start_node(&name, &host, port, cookie.as_bytes(), None, settings) {
        Ok(()) => 0,
        Err(e) => e.code(),
    }
}

/// The addresses of `host` (an IP literal, bracketed or not, or a name resolved by DNS on
/// the blocking pool) with `port`.
pub fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let bare = bare.to_string();
    sched::blocking(move || crate::net::resolve::lookup(&bare, port))
}

/// `MESH_CLUSTER_BIND` (`addr:port`, IPv6 bracketed) when set and not blank.
fn bind_override() -> Result<Option<SocketAddr>, StartError> {
    let Some(value) = std::env::var_os("MESH_CLUSTER_BIND") else {
        return Ok(None);
    };
    let value = value.to_str().ok_or(StartError::BadBind)?.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<SocketAddr>()
        .map(Some)
        .map_err(|_| StartError::BadBind)
}

/// Starts the node: listener on the identity's host (or `MESH_CLUSTER_BIND`), acceptor,
/// discovery.
fn start_node(
    name: &str,
    host: &str,
    port: u16,
    cookie: &[u8],
    seed: Option<&str>,
    settings: Settings,
) -> Result<(), StartError> {
    if NODE.get().is_some() {
        return Err(StartError::AlreadyStarted);
    }
    if cookie.is_empty() || !env::valid_identity(name) {
        return Err(StartError::Invalid);
    }
    // runtime-cluster §2.3 (P2): `MESH_CLUSTER_BIND` overrides the bind address, not the
    // identity (a container that advertises a service name but binds 0.0.0.0).
    let addrs = match bind_override()? {
        Some(addr) => vec![addr],
        None => resolve(host, port).map_err(|_| StartError::BindFailed)?,
    };
    let listener = addrs
        .iter()
        .find_map(|&a| TcpListener::bind(a).ok())
        .ok_or(StartError::BindFailed)?;
    let bound = listener.local_addr().map_err(|_| StartError::BindFailed)?;
    let role = settings.role;
    let epoch = settings.epoch;
    let interval = settings.discovery_interval_ms.clone();
    let node = Node {
        name: name.to_string(),
        cookie: cookie.to_vec(),
        incarnation: random_u64(),
        port,
        bound,
        authority: Mutex::new((role, epoch)),
        settings,
        state: Mutex::new(State::default()),
    };
    let incarnation = node.incarnation;
    if NODE.set(node).is_err() {
        return Err(StartError::AlreadyStarted);
    }
    super::set_local_node(name, incarnation);
    remote::install();
    eprintln!(
        "mesh node: listening node={name} bind={bound} role={} epoch={epoch}",
        role.as_str()
    );
    if cookie.len() < 16 {
        eprintln!(
            "mesh node: warning: cluster cookie is shorter than 16 bytes; use a long random value"
        );
    }
    session::spawn_daemon("node listener", move || session::accept_loop(listener));
    if let Some(seed) = seed {
        match interval {
            Ok(ms) => {
                let seed = seed.to_string();
                session::spawn_daemon("node discovery", move || discovery::run(&seed, port, ms));
            }
            Err(reason) => {
                eprintln!("mesh discovery: provider=dns status=disabled reason={reason}")
            }
        }
    }
    Ok(())
}

/// `Node.connect(name)`: 0 connected (or already), -1 not started, -2 TCP failure, -3
/// handshake failure or bad address.
pub fn connect(name: &str) -> i64 {
    let Some(node) = node() else { return -1 };
    if name == node.name || node.state().sessions.contains_key(name) {
        return 0;
    }
    let Ok((_, host, Some(port))) = env::parse_name(name, true) else {
        return -3;
    };
    if !node.state().dialing.insert(name.to_string()) {
        // Another process dials it: wait for its outcome.
        let until = sched::deadline_after(12_000);
        while node.state().dialing.contains(name) && sched::now_ns() < until {
            sched::park(Some(sched::deadline_after(20)));
        }
        return if node.state().sessions.contains_key(name) {
            0
        } else {
            -2
        };
    }
    let result = dial_name(node, name, &host, port);
    node.state().dialing.remove(name);
    result
}

fn dial_name(node: &Node, name: &str, host: &str, port: u16) -> i64 {
    let Ok(addrs) = resolve(host, port) else {
        return -3;
    };
    let mut result = -2;
    for addr in addrs {
        match session::dial(addr, Some(name), name) {
            Ok(()) => return 0,
            Err(session::DialError::Tcp) => {}
            Err(_) => result = -3,
        }
    }
    if node.state().sessions.contains_key(name) {
        return 0;
    }
    result
}

/// `Node.self()`.
pub fn self_name() -> String {
    node().map(|n| n.name.clone()).unwrap_or_default()
}

/// `Node.list()`: connected peers, sorted.
pub fn list() -> Vec<String> {
    let Some(node) = node() else {
        return Vec::new();
    };
    let mut names: Vec<String> = node.state().sessions.keys().cloned().collect();
    names.sort();
    names
}

/// `Node.monitor(name)`: 0 subscribed, 1 when the node is not started or the name empty.
pub fn monitor(name: &str) -> i64 {
    let (Some(node), Some(me)) = (node(), sched::current()) else {
        return 1;
    };
    if name.is_empty() {
        return 1;
    }
    node.state().subscribers.push((name.to_string(), me.pid));
    0
}

/// Tells `Node.monitor` subscribers of `peer` that it came up or went down.
pub fn notify_subscribers(peer: &str, up: bool) {
    let Some(node) = node() else { return };
    let subs: Vec<Pid> = node
        .state()
        .subscribers
        .iter()
        .filter(|(n, _)| n == peer)
        .map(|&(_, p)| p)
        .collect();
    for pid in subs {
        remote::send_node_event(pid, if up { "nodeup" } else { "nodedown" }, peer);
    }
}

/// Forgets a lost peer's global names (a hook for `global.rs`).
pub fn forget_global(peer: &str) {
    global::node_lost(peer);
}

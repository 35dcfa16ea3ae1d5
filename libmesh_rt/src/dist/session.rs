//! Connections between nodes (runtime-cluster §3.1–§3.4): the acceptor, the handshake in both
//! directions with its 5 s step deadlines, session registration (simultaneous dials converge on
//! the connection the lower-named node initiated; a new incarnation replaces the old session),
//! the session start frames, and per session one reader and one writer process (daemons: they
//! never keep the program running). The writer drains the outbound queue and sends `PING`
//! after 1 s of silence; the reader treats 5 s without a frame (`MESH_NODE_DOWN_AFTER_MS`) as
//! node loss, as it does a closed socket.

use super::frame::{self, kind, FrameError, FrameReader, MacState, Rd, Wr};
use super::handshake::{self as hs, Challenge, Hello, Purpose};
use super::node::{node, notify_subscribers, Node};
use super::{convergence, env, global, remote};
use crate::cluster::runtime::transport as cluster_transport;
use crate::net::{NetError, TcpListener, TcpStream};
use crate::sched::{self, Process};
use std::collections::VecDeque;
use std::io::IoSlice;
use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// Each handshake step's deadline.
const HANDSHAKE_STEP: Duration = Duration::from_secs(5);
/// How long one write of queued frames may take before the session is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Silence after which the writer sends `PING` (at most; shorter when the down timeout is).
const PING_AFTER_MS: u64 = 1_000;
/// Starts a runtime daemon process (it never keeps the program running).
pub fn spawn_daemon(name: &'static str, f: impl FnOnce() + 'static) -> sched::Pid {
    crate::actor::spawn_daemon(name, f)
}

/// A live (or superseded) session with a peer.
pub struct Session {
    pub peer: String,
    pub incarnation: u64,
    /// This node dialled.
    pub outgoing: bool,
    /// The node slot of (peer, incarnation).
    pub slot: u16,
    stream: Arc<TcpStream>,
    out: Mutex<Outbox>,
    /// The writer process, to wake when frames are queued.
    writer: OnceLock<Arc<Process>>,
    /// Closed: replaced by another connection of the same peer incarnation (its end is not
    /// a node loss) or lost.
    ended: AtomicBool,
    /// The peer's `SYNC_DONE` arrived.
    pub converged: AtomicBool,
    /// The peer's (role, epoch) from `AUTHORITY`.
    pub peer_authority: Mutex<Option<(u8, u64)>>,
    unknown_logged: AtomicBool,
}

struct Outbox {
    frames: VecDeque<(u8, Vec<u8>)>,
    /// Payload bytes in `frames`.
    bytes: usize,
    /// Processes waiting in [`Session::send_paced`] for the queue to drain.
    waiting: Vec<Arc<Process>>,
    closed: bool,
}

/// Queued payload bytes from which a process sending messages to the peer waits for the
/// writer (a fast sender cannot queue without bound: memory stays flat and the bytes it
/// queues are still in cache when they are written).
const BUSY_BYTES: usize = 1 << 20;

impl Session {
    fn outbox(&self) -> MutexGuard<'_, Outbox> {
        self.out.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a frame for the writer. Frames of one session are written in queue order.
    pub fn send(&self, kind: u8, payload: Vec<u8>) {
        {
            let mut out = self.outbox();
            if out.closed {
                return;
            }
            out.bytes += payload.len();
            out.frames.push_back((kind, payload));
        }
        self.wake_writer();
    }

    /// As [`Session::send`] for a message a process sends: while more than [`BUSY_BYTES`]
    /// are queued, the calling process waits for the writer to take them (outside a process
    /// the frame is queued at once). Returns the payload, not queued, when the session
    /// closed while the caller waited (the caller may send it on a session that replaced
    /// this one); a frame for a session already closed is dropped, as on any lost session.
    pub fn send_paced(&self, kind: u8, payload: Vec<u8>) -> Option<Vec<u8>> {
        let me = sched::current_arc();
        let mut waited = false;
        loop {
            {
                let mut out = self.outbox();
                if out.closed {
                    return waited.then_some(payload);
                }
                match &me {
                    Some(me) if out.bytes >= BUSY_BYTES => out.waiting.push(Arc::clone(me)),
                    _ => {
                        out.bytes += payload.len();
                        out.frames.push_back((kind, payload));
                        break;
                    }
                }
            }
            waited = true;
            self.wake_writer();
            sched::park(None);
        }
        self.wake_writer();
        None
    }

    fn wake_writer(&self) {
        if let Some(w) = self.writer.get() {
            sched::wake_process(w);
        }
    }

    /// The initiator's name of this connection.
    fn initiator<'a>(&'a self, me: &'a str) -> &'a str {
        if self.outgoing {
            me
        } else {
            &self.peer
        }
    }

    /// Closes the socket (both processes then end) and the queue.
    fn close(&self) {
        let waiting = {
            let mut out = self.outbox();
            out.closed = true;
            std::mem::take(&mut out.waiting)
        };
        let _ = self.stream.shutdown(Shutdown::Both);
        self.wake_writer();
        for p in waiting {
            sched::wake_process(&p);
        }
    }
}

/// The listener's process: one process per accepted connection.
pub fn accept_loop(listener: TcpListener) {
    loop {
        match listener.accept(None) {
            Ok((stream, peer)) => {
                spawn_daemon("node connection", move || accept(stream, peer));
            }
            Err(_) => sched::park(Some(sched::deadline_after(10))),
        }
    }
}

/// Logs `line` unless the same `key` was logged in the last minute (a peer retrying with a
/// wrong cookie every discovery tick logs once a minute, not every tick).
fn log_limited(key: String, line: &str) {
    static LAST: OnceLock<Mutex<std::collections::HashMap<String, Instant>>> = OnceLock::new();
    let mut last = LAST
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    if last
        .get(&key)
        .is_some_and(|&t| now.duration_since(t) < Duration::from_secs(60))
    {
        return;
    }
    if last.len() > 1024 {
        last.clear();
    }
    last.insert(key, now);
    eprintln!("{line}");
}

fn step_deadline() -> Option<Instant> {
    Some(Instant::now() + HANDSHAKE_STEP)
}

fn write_frame(stream: &TcpStream, kind: u8, payload: &[u8]) -> Result<(), NetError> {
    let mut buf = Vec::new();
    frame::encode(&mut buf, kind, payload, None);
    stream.write_all(&buf, step_deadline())
}

/// Why reading a handshake frame failed.
pub(super) enum ReadError {
    Timeout,
    Closed,
    Frame(FrameError),
    Io(String),
}

impl ReadError {
    fn reason(&self) -> String {
        match self {
            ReadError::Timeout => "handshake_timeout".into(),
            ReadError::Closed => "closed".into(),
            ReadError::Frame(e) => e.reason().into(),
            ReadError::Io(e) => format!("error:{e}"),
        }
    }
}

/// Reads the next frame (a handshake step: 5 s).
pub(super) fn read_frame(
    stream: &TcpStream,
    reader: &mut FrameReader,
) -> Result<(u8, Vec<u8>), ReadError> {
    let deadline = step_deadline();
    let mut buf = vec![0u8; 4096];
    loop {
        if let Some(f) = reader.next_frame().map_err(ReadError::Frame)? {
            return Ok(f);
        }
        match stream.read(&mut buf, deadline) {
            Ok(0) => return Err(ReadError::Closed),
            Ok(n) => reader.feed(&buf[..n]),
            Err(NetError::TimedOut) => return Err(ReadError::Timeout),
            Err(e) => return Err(ReadError::Io(e.to_string())),
        }
    }
}

fn reject(stream: &TcpStream, reason: &str) {
    let _ = write_frame(stream, kind::REJECT, &Wr::new().str(reason).done());
    let _ = stream.shutdown(Shutdown::Both);
}

/// The acceptor's side of a handshake, on the connection's own process.
fn accept(stream: TcpStream, remote_addr: SocketAddr) {
    let Some(me) = node() else { return };
    let _ = stream.set_nodelay(true);
    let mut reader = FrameReader::new(frame::HANDSHAKE_LIMIT);
    let log_reject = |claimed: &str, purpose: &str, reason: &str| {
        log_limited(
            format!("rejected {} {claimed} {purpose} {reason}", remote_addr.ip()),
            &format!(
                "mesh node: handshake rejected remote={remote_addr} claimed_name={claimed} purpose={purpose} reason={reason}"
            ),
        );
    };
    let hello = match read_frame(&stream, &mut reader) {
        Ok((kind::HELLO, payload)) => match Hello::decode(&payload) {
            Ok(h) => h,
            Err(e) => {
                log_reject("", "", e.reason());
                return reject(&stream, e.reason());
            }
        },
        Ok(_) => {
            log_reject("", "", "malformed_frame");
            return reject(&stream, "malformed_frame");
        }
        Err(e) => {
            log_reject("", "", &e.reason());
            return reject(&stream, &e.reason());
        }
    };
    let purpose = hello.purpose.as_str();
    if hello.version != hs::VERSION {
        log_reject("", "", "version_unsupported");
        return reject(&stream, "version_unsupported");
    }
    let name_ok = match hello.purpose {
        Purpose::Node => env::valid_identity(&hello.name),
        Purpose::Operator => hello.name.starts_with("mesh-operator@"),
    };
    if !name_ok || hello.name.chars().any(|c| c.is_control()) {
        log_reject(&printable(&hello.name), purpose, "name_invalid");
        return reject(&stream, "name_invalid");
    }
    if hello.name == me.name {
        // Discovery dialled this node's own address.
        let _ = stream.shutdown(Shutdown::Both);
        return;
    }
    let _handshaking =
        (hello.purpose == Purpose::Node).then(|| convergence::Handshaking::new(&hello.name));
    let challenge = Challenge {
        version: hs::VERSION,
        name: me.name.clone(),
        incarnation: me.incarnation,
        nonce: hs::fresh_nonce(),
    };
    if write_frame(&stream, kind::CHALLENGE, &challenge.encode()).is_err() {
        return;
    }
    let t = hs::transcript(&hello, &challenge);
    let proof = match read_frame(&stream, &mut reader) {
        Ok((kind::PROOF, p)) => p,
        Ok((kind::REJECT, _)) => return,
        Ok(_) => {
            log_reject(&hello.name, purpose, "malformed_frame");
            return reject(&stream, "malformed_frame");
        }
        Err(e) => {
            log_reject(&hello.name, purpose, &e.reason());
            return reject(&stream, &e.reason());
        }
    };
    if !hs::proof_matches(&hs::initiator_proof(me.cookie(), &t), &proof) {
        log_reject(&hello.name, purpose, "auth_failed");
        return reject(&stream, "auth_failed");
    }
    if write_frame(&stream, kind::PROOF, &hs::acceptor_proof(me.cookie(), &t)).is_err() {
        return;
    }
    let key = hs::session_key(me.cookie(), &t);
    if hello.purpose == Purpose::Operator {
        // One query, one reply, on this connection's process; never a session (§8.1).
        return super::operator::serve(stream, reader, &key, remote_addr);
    }
    reader.mac = Some(MacState::new(&key, 0));
    reader.limit = frame::SESSION_LIMIT;
    start_session(
        me,
        stream,
        reader,
        MacState::new(&key, 1),
        &hello.name,
        hello.incarnation,
        false,
    );
}

/// A name as it may appear in a log line (no spaces or control characters).
fn printable(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '?'
            } else {
                c
            }
        })
        .take(256)
        .collect()
}

/// Why a dial failed.
#[derive(Debug, PartialEq, Eq)]
pub enum DialError {
    /// The TCP connection failed (`Node.connect`'s -2).
    Tcp,
    /// The handshake failed (logged).
    Handshake(String),
    /// The address is this node's own.
    SelfDial,
    /// A dial by address reached a node already connected under the same incarnation (its
    /// name gives another address, e.g. it binds elsewhere with `MESH_CLUSTER_BIND`).
    AlreadyConnected,
}

/// Dials `addr` and runs the initiator's side of the handshake on the calling process; on
/// success the session is registered. `expected` is the known name dialled (its acceptor
/// must have that name); `target` is how logs name the target.
pub fn dial(addr: SocketAddr, expected: Option<&str>, target: &str) -> Result<(), DialError> {
    let Some(me) = node() else {
        return Err(DialError::Tcp);
    };
    let stream = TcpStream::connect(addr, step_deadline()).map_err(|_| DialError::Tcp)?;
    let _ = stream.set_nodelay(true);
    let fail = |reason: &str| {
        log_limited(
            format!("failed {target} {reason}"),
            &format!("mesh node: handshake failed target={target} reason={reason}"),
        );
        DialError::Handshake(reason.to_string())
    };
    let hello = Hello {
        version: hs::VERSION,
        purpose: Purpose::Node,
        name: me.name.clone(),
        incarnation: me.incarnation,
        nonce: hs::fresh_nonce(),
    };
    if write_frame(&stream, kind::HELLO, &hello.encode()).is_err() {
        return Err(DialError::Tcp);
    }
    let mut reader = FrameReader::new(frame::HANDSHAKE_LIMIT);
    let challenge = match read_frame(&stream, &mut reader) {
        Ok((kind::CHALLENGE, p)) => match Challenge::decode(&p) {
            Ok(c) => c,
            Err(e) => return Err(fail(e.reason())),
        },
        Ok((kind::REJECT, p)) => return Err(fail(&rejected(&p))),
        Ok(_) => return Err(fail("malformed_frame")),
        // The acceptor closes at once when we dialled ourselves.
        Err(ReadError::Closed) => return Err(DialError::SelfDial),
        Err(e) => return Err(fail(&e.reason())),
    };
    if challenge.name == me.name {
        let _ = stream.shutdown(Shutdown::Both);
        return Err(DialError::SelfDial);
    }
    if challenge.version != hs::VERSION {
        reject(&stream, "version_unsupported");
        return Err(fail("version_unsupported"));
    }
    if !env::valid_identity(&challenge.name) {
        reject(&stream, "name_invalid");
        return Err(fail("name_invalid"));
    }
    if expected.is_some_and(|e| e != challenge.name) {
        reject(&stream, "name_mismatch");
        return Err(fail("name_mismatch"));
    }
    if expected.is_none() {
        let live = me
            .state()
            .sessions
            .get(&challenge.name)
            .is_some_and(|s| s.incarnation == challenge.incarnation);
        if live {
            // Replacing the live session would only lose frames in flight.
            reject(&stream, "already_connected");
            return Err(DialError::AlreadyConnected);
        }
    }
    let _handshaking = convergence::Handshaking::new(&challenge.name);
    let t = hs::transcript(&hello, &challenge);
    if write_frame(&stream, kind::PROOF, &hs::initiator_proof(me.cookie(), &t)).is_err() {
        return Err(DialError::Tcp);
    }
    match read_frame(&stream, &mut reader) {
        Ok((kind::PROOF, p)) if hs::proof_matches(&hs::acceptor_proof(me.cookie(), &t), &p) => {}
        Ok((kind::PROOF, _)) => {
            reject(&stream, "auth_failed");
            return Err(fail("authentication failed (cookie mismatch)"));
        }
        Ok((kind::REJECT, p)) => return Err(fail(&rejected(&p))),
        Ok(_) => return Err(fail("malformed_frame")),
        Err(e) => return Err(fail(&e.reason())),
    }
    let key = hs::session_key(me.cookie(), &t);
    reader.mac = Some(MacState::new(&key, 1));
    reader.limit = frame::SESSION_LIMIT;
    start_session(
        me,
        stream,
        reader,
        MacState::new(&key, 0),
        &challenge.name,
        challenge.incarnation,
        true,
    );
    Ok(())
}

/// The text logged for a `REJECT` payload.
fn rejected(payload: &[u8]) -> String {
    let reason = Rd(payload).str().unwrap_or("malformed_frame").to_string();
    match reason.as_str() {
        "auth_failed" => "authentication failed (cookie mismatch)".into(),
        r => printable(r),
    }
}

/// Registers an authenticated connection as the session with `peer` and starts its reader
/// and writer; a losing duplicate is closed instead.
fn start_session(
    me: &'static Node,
    stream: TcpStream,
    reader: FrameReader,
    mac: MacState,
    peer: &str,
    incarnation: u64,
    outgoing: bool,
) {
    let stream = Arc::new(stream);
    let (session, replaced) = {
        let Some(slot) = super::slot_of(peer, incarnation) else {
            return;
        };
        let mut st = me.state();
        let session = Arc::new(Session {
            peer: peer.to_string(),
            incarnation,
            outgoing,
            slot,
            stream: Arc::clone(&stream),
            out: Mutex::new(Outbox {
                frames: VecDeque::new(),
                bytes: 0,
                waiting: Vec::new(),
                closed: false,
            }),
            writer: OnceLock::new(),
            ended: AtomicBool::new(false),
            converged: AtomicBool::new(false),
            peer_authority: Mutex::new(None),
            unknown_logged: AtomicBool::new(false),
        });
        let replaced = match st.sessions.get(peer).cloned() {
            // A session its peer closed while this handshake ran (`convergence.rs`): the
            // same incarnation takes its place without a node loss.
            None => convergence::take_deferred(peer).map(|old| {
                let other = old.incarnation != incarnation;
                (old, other)
            }),
            Some(old) if old.incarnation != incarnation => Some((old, true)),
            Some(old) => {
                // Same incarnation: keep the connection the lower-named node initiated (a
                // second connection from the same initiator replaces a stale one).
                let keep_new = old.initiator(&me.name) == session.initiator(&me.name)
                    || session.initiator(&me.name) < old.initiator(&me.name);
                if !keep_new {
                    drop(st);
                    session.ended.store(true, Ordering::SeqCst);
                    let _ = stream.shutdown(Shutdown::Both);
                    return;
                }
                Some((old, false))
            }
        };
        if let Some((old, _)) = &replaced {
            old.ended.store(true, Ordering::SeqCst);
            // Frames not written yet move to the new connection, in order (senders waiting
            // on the old one resend on this one when its close wakes them).
            let (mut moved, bytes) = {
                let mut out = old.outbox();
                (
                    std::mem::take(&mut out.frames),
                    std::mem::take(&mut out.bytes),
                )
            };
            let mut out = session.outbox();
            moved.extend(out.frames.drain(..));
            out.frames = moved;
            out.bytes += bytes;
        }
        st.sessions.insert(peer.to_string(), Arc::clone(&session));
        (session, replaced)
    };
    let fresh = !matches!(replaced, Some((_, false)));
    match replaced {
        Some((old, true)) => {
            old.close();
            lost_effects(me, &old, "replaced");
        }
        Some((old, false)) => old.close(),
        None => {}
    }
    if fresh {
        eprintln!(
            "mesh node: connected peer={peer} direction={}",
            if outgoing { "outgoing" } else { "incoming" }
        );
    }
    // The session-start frames (§3.3) come from the continuity layer's answer to PeerUp,
    // queued before the reader can hand it the peer's first frame. Also on a connection that
    // replaces one of the same incarnation: the start frames the old one carried may have
    // been written to a socket its peer closed unread; both sides replace theirs, so both
    // send authority and snapshot again and converge again (merging a snapshot twice is
    // harmless).
    cluster_transport::session_started(&session);
    let w = Arc::clone(&session);
    spawn_daemon("node writer", move || writer(w, mac));
    let r = Arc::clone(&session);
    spawn_daemon("node reader", move || read_loop(r, reader));
    if fresh {
        // The other peers learn of the new one too, so sessions started at the same time
        // still form a full mesh (runtime-cluster §2.5).
        let others: Vec<Arc<Session>> = me
            .state()
            .sessions
            .values()
            .filter(|s| s.peer != peer)
            .cloned()
            .collect();
        for other in others {
            other.send(kind::PEER_LIST, peer_list(me, &other.peer));
        }
        notify_subscribers(peer, true);
    }
}

/// `PEER_LIST` for `to`: the names of this node's other peers.
pub fn peer_list(me: &Node, to: &str) -> Vec<u8> {
    let peers: Vec<String> = me
        .state()
        .sessions
        .keys()
        .filter(|n| n.as_str() != to)
        .cloned()
        .collect();
    let mut list = Wr::new().u64(peers.len() as u64);
    for p in &peers {
        list = list.str(p);
    }
    list.done()
}

/// The writer: drains the queue (MACs are computed here, in queue order) and pings after a
/// silence.
fn writer(session: Arc<Session>, mut mac: MacState) {
    let Some(me) = node() else { return };
    let Some(p) = sched::current_arc() else {
        return;
    };
    let _ = session.writer.set(p);
    let ping_after = PING_AFTER_MS.min(me.settings.down_after_ms / 4).max(10);
    let mut last_sent = sched::now_ns();
    let mut buf = Vec::new();
    // The batch being written; swapped with the (empty) queue so neither is reallocated.
    let mut frames = VecDeque::new();
    loop {
        frames.clear();
        let (closed, waiting) = {
            let mut out = session.outbox();
            std::mem::swap(&mut frames, &mut out.frames);
            out.bytes = 0;
            (out.closed, std::mem::take(&mut out.waiting))
        };
        // The queue is empty again: senders go on filling it while this batch is written.
        for p in waiting {
            sched::wake_process(&p);
        }
        if frames.is_empty() {
            if closed {
                return;
            }
            let due = last_sent + ping_after * 1_000_000;
            if sched::now_ns() >= due {
                let body = hs::random_u64().to_be_bytes().to_vec();
                session.outbox().frames.push_back((kind::PING, body));
                continue;
            }
            sched::park(Some(due));
            continue;
        }
        let deadline = Some(Instant::now() + WRITE_TIMEOUT);
        if let Err(e) = write_frames(&session.stream, &frames, &mut mac, &mut buf, deadline) {
            lost(&session, &format!("error:{e}"));
            return;
        }
        last_sent = sched::now_ns();
    }
}

/// Payloads from this size on are written from where they are (a gathered write) instead of
/// being copied behind their frame's head.
const GATHER_FROM: usize = 8 * 1024;
/// Large payloads per gathered write (two pieces each, well under the system's 1,024).
const GATHER_MAX: usize = 256;

/// Writes `frames` in order, tagged by `mac`: small frames are encoded into `buf` and go out
/// together; a large payload is not copied, the write gathers it between its head and tag.
fn write_frames(
    stream: &TcpStream,
    frames: &VecDeque<(u8, Vec<u8>)>,
    mac: &mut MacState,
    buf: &mut Vec<u8>,
    deadline: Option<Instant>,
) -> Result<(), NetError> {
    let mut next = 0;
    while next < frames.len() {
        buf.clear();
        // (offset in `buf`, index in `frames`) of each payload written from its own place.
        let mut gathered: Vec<(usize, usize)> = Vec::new();
        while next < frames.len() && gathered.len() < GATHER_MAX {
            let (k, payload) = &frames[next];
            if payload.len() >= GATHER_FROM {
                gathered.push((frame::encode_around(buf, *k, payload, Some(mac)), next));
            } else {
                frame::encode(buf, *k, payload, Some(mac));
            }
            next += 1;
        }
        if gathered.is_empty() {
            stream.write_all(buf, deadline)?;
            continue;
        }
        let mut pieces = Vec::with_capacity(2 * gathered.len() + 1);
        let mut from = 0;
        for &(at, i) in &gathered {
            pieces.push(IoSlice::new(&buf[from..at]));
            pieces.push(IoSlice::new(&frames[i].1));
            from = at;
        }
        pieces.push(IoSlice::new(&buf[from..]));
        stream.write_all_vectored(&mut pieces, deadline)?;
    }
    Ok(())
}

/// The reader yields (lets the processes it delivered to run) after this many frames or
/// payload bytes.
const YIELD_FRAMES: usize = 64;
const YIELD_BYTES: usize = 256 * 1024;

/// The reader: every frame is proof of life; silence for the down timeout is node loss.
fn read_loop(session: Arc<Session>, mut reader: FrameReader) {
    let Some(me) = node() else { return };
    let down_after = Duration::from_millis(me.settings.down_after_ms);
    // Frames and payload bytes handled since the reader last yielded.
    let mut delivered = (0usize, 0usize);
    loop {
        loop {
            match reader.next_frame_ref() {
                Ok(Some((k, payload))) => {
                    delivered = (delivered.0 + 1, delivered.1 + payload.len());
                    if let Err(e) = handle(me, &session, k, payload) {
                        eprintln!(
                            "mesh node: closing session peer={} reason={}",
                            session.peer,
                            e.reason()
                        );
                        return lost(&session, &format!("error:{}", e.reason()));
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    eprintln!(
                        "mesh node: closing session peer={} reason={}",
                        session.peer,
                        e.reason()
                    );
                    return lost(&session, &format!("error:{}", e.reason()));
                }
            }
        }
        // A reader whose socket always has more (a fast sender) would rarely really wait,
        // and the processes it delivered to would wait behind it: after a good batch they go
        // first. (Not after every frame: a request/reply exchange would pay a trip through
        // the global queue per message.)
        if delivered.0 >= YIELD_FRAMES || delivered.1 >= YIELD_BYTES {
            delivered = (0, 0);
            sched::yield_now();
        }
        let deadline = Some(Instant::now() + down_after);
        match reader.fill(|room| session.stream.read(room, deadline)) {
            Ok(0) => return lost(&session, "closed"),
            Ok(_) => {}
            Err(NetError::TimedOut) => return lost(&session, "heartbeat_timeout"),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionReset) => {
                return lost(&session, "closed")
            }
            Err(e) => return lost(&session, &format!("error:{e}")),
        }
    }
}

/// Handles one frame of a live session.
fn handle(me: &Node, session: &Arc<Session>, k: u8, payload: &[u8]) -> Result<(), FrameError> {
    let mut rd = Rd(payload);
    match k {
        kind::PING => session.send(kind::PONG, payload.to_vec()),
        kind::PONG => {}
        kind::PEER_LIST => {
            let n = rd.u64()?;
            let mut names = Vec::new();
            for _ in 0..n.min(4096) {
                names.push(rd.str()?.to_string());
            }
            rd.end()?;
            for name in names {
                let known = name == me.name || me.state().sessions.contains_key(&name);
                if !known && env::valid_identity(&name) {
                    spawn_daemon("node dial", move || {
                        let _ = super::node::connect(&name);
                    });
                }
            }
        }
        kind::GLOBAL_SYNC | kind::GLOBAL_REGISTER | kind::GLOBAL_UNREGISTER => {
            global::received(session, k, payload)?;
        }
        kind::AUTHORITY..=kind::SYNC_DONE => cluster_transport::received(session, k, payload)?,
        kind::ROUTE_CALL | kind::ROUTE_REPLY => super::route::received(session, k, payload)?,
        kind::SPAWN | kind::SPAWN_REPLY => super::spawn::received(session, k, payload)?,
        kind::SEND
        | kind::REG_SEND
        | kind::LINK
        | kind::UNLINK
        | kind::EXIT
        | kind::MONITOR
        | kind::DEMONITOR
        | kind::MONITOR_EXIT => remote::received(session, k, payload)?,
        kind::HELLO | kind::CHALLENGE | kind::PROOF | kind::REJECT => {
            return Err(FrameError::Malformed)
        }
        other => {
            if !session.unknown_logged.swap(true, Ordering::SeqCst) {
                eprintln!(
                    "mesh node: skipped unknown frame kind={other} peer={}",
                    session.peer
                );
            }
        }
    }
    Ok(())
}

/// The session's connection ended: a node loss when it was the peer's live session.
fn lost(session: &Arc<Session>, reason: &str) {
    session.close();
    let Some(me) = node() else { return };
    {
        let mut st = me.state();
        if session.ended.swap(true, Ordering::SeqCst) {
            return;
        }
        match st.sessions.get(&session.peer) {
            Some(s) if Arc::ptr_eq(s, session) => {
                st.sessions.remove(&session.peer);
            }
            _ => return,
        }
        if reason == "closed" && convergence::defer_loss(session) {
            return;
        }
    }
    lost_effects(me, session, reason);
}

/// Node loss, in the order of runtime-cluster §3.4 (the session is already removed).
pub(super) fn lost_effects(_me: &Node, session: &Session, reason: &str) {
    eprintln!(
        "mesh node: disconnected peer={} reason={reason}",
        session.peer
    );
    remote::node_lost(session.slot);
    super::spawn::node_lost(session.slot);
    notify_subscribers(&session.peer, false);
    global::node_lost(&session.peer);
    cluster_transport::session_lost(&session.peer, reason);
}

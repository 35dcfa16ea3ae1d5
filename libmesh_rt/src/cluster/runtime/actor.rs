//! The continuity actor: the one `Node` of this process and the runtime process that feeds
//! it. Everything that changes the node is an `Input` pushed on the actor's inbox (in the
//! order pushed: a session's `PeerUp` before its frames, a frame before the next), and the
//! actor performs each input's outputs in order before taking the next input. Readers
//! (operator queries, placement, the startup actors) take the node's lock for a snapshot
//! (`with_node`); only the actor changes it.
//!
//! A client (a submit, a completion) gets a fresh `ClientId`, registers a waiter and parks
//! until the actor performs the `Reply` with that id. Waits carry a deadline so a parked
//! client keeps the program running (language §7), and they work from plain threads too
//! (Rust tests).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use crate::cluster::node::{ClientId, Config, Input, Node, Output, Reply};
use crate::cluster::record::Role;
use crate::cluster::transition::Entry;
use crate::sched::{self, Process};

use super::{execute, transport};

/// The continuity layer of this process.
pub struct Continuity {
    node: Mutex<Node>,
    inbox: Mutex<Inbox>,
    waiters: Mutex<HashMap<ClientId, Arc<Waiter>>>,
    next_client: AtomicU64,
    /// The node was made for a started cluster node (not `standalone@local`).
    pub cluster: bool,
    /// `MESH_STARTUP_WORK_DELAY_MS` (§4.4).
    pub startup_window_ms: Option<u64>,
}

#[derive(Default)]
struct Inbox {
    queue: VecDeque<Input>,
    actor: Option<Arc<Process>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

static CONTINUITY: OnceLock<Continuity> = OnceLock::new();
/// Entries recorded before the node existed (`startup_registered` runs before `main`, and so
/// before `Node.start_from_env()` decides the node's identity): already logged, put in the
/// ring buffer when the node is made.
static EARLY: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// The continuity layer, made on first use: for the started cluster node if there is one,
/// else standalone (`standalone@local`, primary/0, runtime-cluster §2.4). The authority is read
/// here, once.
pub fn get() -> &'static Continuity {
    if let Some(c) = CONTINUITY.get() {
        return c;
    }
    let mut spawn = false;
    let c = CONTINUITY.get_or_init(|| {
        spawn = true;
        make()
    });
    if spawn {
        crate::actor::spawn_daemon("continuity", run);
    }
    c
}

/// The layer if something made it already.
pub fn existing() -> Option<&'static Continuity> {
    CONTINUITY.get()
}

fn make() -> Continuity {
    let (config, cluster, window) = match crate::dist::node::node() {
        Some(n) => {
            let (role, epoch) = n.authority();
            let role = match role {
                crate::dist::env::Role::Primary => Role::Primary,
                crate::dist::env::Role::Standby => Role::Standby,
            };
            let mut config = Config::new(&n.name, role, epoch);
            config.max_records = usize::try_from(n.settings.max_records)
                .unwrap_or(usize::MAX)
                .max(1);
            (config, true, n.settings.startup_work_delay_ms)
        }
        None => (Config::standalone(), false, None),
    };
    let mut node = Node::new(config);
    for name in super::declared_names() {
        node.register_handler(&name);
    }
    for entry in std::mem::take(&mut *lock(&EARLY)) {
        node.note(entry);
    }
    Continuity {
        node: Mutex::new(node),
        inbox: Mutex::new(Inbox::default()),
        waiters: Mutex::new(HashMap::new()),
        next_client: AtomicU64::new(1),
        cluster,
        startup_window_ms: window,
    }
}

/// Records an entry made outside the core and logs it (exactly one log line per entry).
/// Before the node exists the entry waits for it.
pub fn note(entry: Entry) {
    eprintln!("{}", entry.log_line());
    match CONTINUITY.get() {
        Some(c) => {
            c.node().note(entry);
        }
        None => lock(&EARLY).push(entry),
    }
}

/// Who waits for a reply.
struct Waiter {
    reply: Mutex<Option<Reply>>,
    wake: Wake,
}

enum Wake {
    Process(Arc<Process>),
    Thread(std::thread::Thread),
}

impl Waiter {
    fn new() -> Waiter {
        let wake = match sched::current_arc() {
            Some(p) => Wake::Process(p),
            None => Wake::Thread(std::thread::current()),
        };
        Waiter {
            reply: Mutex::new(None),
            wake,
        }
    }

    fn fill(&self, reply: Reply) {
        *lock(&self.reply) = Some(reply);
        match &self.wake {
            Wake::Process(p) => sched::wake_process(p),
            Wake::Thread(t) => t.unpark(),
        }
    }

    fn wait(&self) -> Reply {
        loop {
            if let Some(reply) = lock(&self.reply).take() {
                return reply;
            }
            match &self.wake {
                Wake::Process(_) => sched::park(Some(sched::deadline_after(1_000))),
                Wake::Thread(_) => std::thread::park_timeout(Duration::from_millis(1_000)),
            }
        }
    }
}

impl Continuity {
    /// The node, locked (a snapshot for readers; only the actor changes it).
    pub fn node(&self) -> MutexGuard<'_, Node> {
        lock(&self.node)
    }

    /// Queues `input` for the actor.
    pub fn push(&self, input: Input) {
        let actor = {
            let mut inbox = lock(&self.inbox);
            inbox.queue.push_back(input);
            inbox.actor.clone()
        };
        if let Some(actor) = actor {
            sched::wake_process(&actor);
        }
    }

    /// Queues the input `make(client)` and waits for the reply to `client`.
    pub fn request(&self, make: impl FnOnce(ClientId) -> Input) -> Reply {
        let client = self.next_client.fetch_add(1, Ordering::Relaxed);
        let waiter = Arc::new(Waiter::new());
        lock(&self.waiters).insert(client, Arc::clone(&waiter));
        self.push(make(client));
        waiter.wait()
    }

    /// Handles one input and performs its outputs, in order.
    fn step(&self, input: Input) {
        let peer_up = match &input {
            Input::PeerUp { peer } => Some(peer.clone()),
            _ => None,
        };
        let (outputs, authority) = {
            let mut node = self.node();
            let outputs = node.handle(input);
            (outputs, node.authority())
        };
        if self.cluster {
            transport::publish_authority(authority);
        }
        let mut start_frames_sent = false;
        for output in outputs {
            match output {
                Output::Send { to, message } => {
                    let first_authority = !start_frames_sent
                        && peer_up.as_deref() == Some(to.as_str())
                        && matches!(message, crate::cluster::Message::Authority(_));
                    transport::send(&to, &message);
                    if first_authority {
                        // Session start order (§3.3): AUTHORITY, PEER_LIST, GLOBAL_SYNC, then
                        // the snapshot and SYNC_DONE the core sends next.
                        start_frames_sent = true;
                        transport::send_membership_frames(&to);
                    }
                }
                Output::SetTimer { timer, after_ms } => {
                    let at = sched::deadline_after(i64::try_from(after_ms).unwrap_or(i64::MAX));
                    sched::run_at(at, move || get().push(Input::TimerFired { timer }));
                }
                Output::Transition(entry) => eprintln!("{}", entry.log_line()),
                Output::Reply { client, reply } => {
                    let waiter = lock(&self.waiters).remove(&client);
                    if let Some(w) = waiter {
                        w.fill(reply);
                    }
                }
                Output::Execute {
                    request_key,
                    attempt_id,
                    runtime_name,
                } => execute::spawn(request_key, attempt_id, runtime_name),
            }
        }
    }
}

/// The actor's loop.
fn run() {
    let c = get();
    let Some(me) = sched::current_arc() else {
        return;
    };
    lock(&c.inbox).actor = Some(me);
    loop {
        let next = lock(&c.inbox).queue.pop_front();
        match next {
            Some(input) => c.step(input),
            None => sched::park(None),
        }
    }
}

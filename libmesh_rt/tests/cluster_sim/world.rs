//! The simulated world: two nodes running the unchanged continuity core (`mesh_rt::cluster`),
//! a virtual clock, a network of sessions (per-pair FIFO within a session, arbitrary
//! interleaving across pairs, delays, resets, partitions noticed after the heartbeat timeout,
//! healing by discovery), node kills and restarts, and clients that submit and execute work.
//! Every step is followed by the invariant checks of `check.rs`.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use mesh_rt::cluster::node::{
    Config, Fault, Input, Message, Node, Output, Reply, SubmitOutcome, SubmitRequest,
};
use mesh_rt::cluster::record::Role;
use mesh_rt::cluster::transition::Transition;

use super::check::Checker;

/// splitmix64: small, seedable, good enough for scheduling choices.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `percent`%.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Heartbeat timeout (§3.4): a silent partition is noticed this long after it starts.
const DOWN_AFTER_MS: u64 = 5_000;
pub const NAMES: [&str; 2] = ["a@127.0.0.1:4370", "b@[::1]:4370"];
const HANDLERS: [&str; 3] = ["Work.j0", "Work.j1", "Work.j2"];

#[derive(Clone, Debug)]
enum Wire {
    Up,
    Msg(Box<Message>),
}

#[derive(Clone, Debug)]
enum Event {
    /// An item of session `session` travelling `from → to`.
    Deliver {
        from: usize,
        to: usize,
        session: u64,
        wire: Wire,
    },
    /// `node` learns its session with `peer` is gone.
    Down {
        node: usize,
        peer: usize,
        session: u64,
        reason: &'static str,
    },
    Timer {
        node: usize,
        incarnation: u64,
        timer: u64,
    },
    /// A client's execution of an attempt ends.
    Finish {
        node: usize,
        incarnation: u64,
        key: String,
        attempt: String,
        ok: bool,
    },
    /// Clients submit at one node.
    Load,
    Chaos,
    Discover,
}

struct Scheduled {
    at: u64,
    seq: u64,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    // Reversed: BinaryHeap is a max-heap and we want the earliest event first.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

pub struct SimNode {
    pub core: Option<Node>,
    pub incarnation: u64,
    role: Role,
    /// The session this node believes it has with each peer.
    view: [Option<u64>; 2],
    next_client: u64,
    route_counter: u64,
    /// This incarnation has converged with a peer at least once.
    joined: bool,
}

/// The link between the two nodes.
struct Link {
    session: Option<u64>,
    partitioned: bool,
    /// Virtual time of the last delivery scheduled in each direction (per-pair FIFO).
    last: [u64; 2],
}

pub struct World {
    pub now: u64,
    pub rng: Rng,
    pub nodes: Vec<SimNode>,
    link: Link,
    queue: BinaryHeap<Scheduled>,
    seq: u64,
    next_session: u64,
    fault: Option<Fault>,
    chaos: bool,
    pub checker: Checker,
    pub trace: Option<Vec<String>>,
    pub steps: u64,
}

impl World {
    pub fn new(seed: u64, fault: Option<Fault>, trace: bool) -> World {
        let mut world = World {
            now: 0,
            rng: Rng::new(seed),
            nodes: Vec::new(),
            link: Link {
                session: None,
                partitioned: false,
                last: [0, 0],
            },
            queue: BinaryHeap::new(),
            seq: 0,
            next_session: 1,
            fault,
            chaos: true,
            checker: Checker::default(),
            trace: trace.then(Vec::new),
            steps: 0,
        };
        for (i, role) in [Role::Primary, Role::Standby].into_iter().enumerate() {
            world.nodes.push(SimNode {
                core: None,
                incarnation: 0,
                role,
                view: [None, None],
                next_client: 1,
                route_counter: 0,
                joined: false,
            });
            world.start(i);
        }
        world.schedule(0, Event::Discover);
        world.schedule(100, Event::Chaos);
        world.schedule(50, Event::Load);
        world
    }

    fn log(&mut self, text: impl FnOnce() -> String) {
        if let Some(trace) = &mut self.trace {
            trace.push(format!("t={} {}", self.now, text()));
        }
    }

    fn schedule(&mut self, after: u64, event: Event) {
        self.seq += 1;
        self.queue.push(Scheduled {
            at: self.now + after,
            seq: self.seq,
            event,
        });
    }

    fn start(&mut self, i: usize) {
        let node = &mut self.nodes[i];
        node.incarnation += 1;
        let mut config = Config::new(NAMES[i], node.role, 0);
        config.fault = self.fault;
        let mut core = Node::new(config);
        for handler in HANDLERS {
            core.register_handler(handler);
        }
        node.core = Some(core);
        node.view = [None, None];
        node.joined = false;
        let incarnation = node.incarnation;
        self.log(|| format!("start {} incarnation={incarnation}", NAMES[i]));
    }

    /// Runs the active phase for `active_ms` of virtual time, then heals everything and runs
    /// `settle_ms` more; returns the first invariant violation.
    pub fn run(&mut self, active_ms: u64, settle_ms: u64) -> Result<(), String> {
        self.run_until(active_ms)?;
        self.chaos = false;
        self.log(|| "settle: heal, restart, no more load".into());
        self.link.partitioned = false;
        for i in 0..self.nodes.len() {
            if self.nodes[i].core.is_none() {
                self.start(i);
            }
        }
        self.run_until(active_ms + settle_ms)?;
        let mut checker = std::mem::take(&mut self.checker);
        let result = checker.check_settled(self);
        self.checker = checker;
        result
    }

    fn run_until(&mut self, end: u64) -> Result<(), String> {
        while let Some(next) = self.queue.peek() {
            if next.at > end {
                break;
            }
            let Some(Scheduled { at, event, .. }) = self.queue.pop() else {
                break;
            };
            self.now = at;
            self.steps += 1;
            self.step(event);
            let mut checker = std::mem::take(&mut self.checker);
            let result = checker.check_step(self);
            self.checker = checker;
            result?;
        }
        self.now = end;
        Ok(())
    }

    fn step(&mut self, event: Event) {
        match event {
            Event::Deliver {
                from,
                to,
                session,
                wire,
            } => {
                if self.link.session != Some(session) {
                    return;
                }
                match wire {
                    Wire::Up => {
                        self.nodes[to].view[from] = Some(session);
                        self.log(|| format!("{} up {}", NAMES[to], NAMES[from]));
                        self.input(
                            to,
                            Input::PeerUp {
                                peer: NAMES[from].into(),
                            },
                        );
                    }
                    Wire::Msg(message) => {
                        if self.nodes[to].view[from] != Some(session) {
                            return;
                        }
                        self.log(|| {
                            format!("{} <- {}: {}", NAMES[to], NAMES[from], describe(&message))
                        });
                        self.input(
                            to,
                            Input::Message {
                                from: NAMES[from].into(),
                                message: *message,
                            },
                        );
                    }
                }
            }
            Event::Down {
                node,
                peer,
                session,
                reason,
            } => {
                if self.nodes[node].view[peer] != Some(session) || self.nodes[node].core.is_none() {
                    return;
                }
                self.nodes[node].view[peer] = None;
                self.log(|| format!("{} down {} ({reason})", NAMES[node], NAMES[peer]));
                self.input(
                    node,
                    Input::PeerDown {
                        peer: NAMES[peer].into(),
                        reason: reason.into(),
                    },
                );
            }
            Event::Timer {
                node,
                incarnation,
                timer,
            } => {
                if self.nodes[node].incarnation == incarnation && self.nodes[node].core.is_some() {
                    self.input(node, Input::TimerFired { timer });
                }
            }
            Event::Finish {
                node,
                incarnation,
                key,
                attempt,
                ok,
            } => {
                if self.nodes[node].incarnation != incarnation || self.nodes[node].core.is_none() {
                    return;
                }
                self.log(|| format!("{} finish {key} {attempt} ok={ok}", NAMES[node]));
                let input = if ok {
                    Input::Complete {
                        client: None,
                        request_key: key,
                        attempt_id: attempt,
                        execution_node: NAMES[node].into(),
                    }
                } else {
                    Input::Reject {
                        client: None,
                        request_key: key,
                        attempt_id: attempt,
                        reason: "declared_work_crashed:boom".into(),
                    }
                };
                self.input(node, input);
            }
            Event::Discover => {
                self.discover();
                let after = self.rng.range(200, 1_000);
                self.schedule(after, Event::Discover);
            }
            Event::Load => {
                if self.chaos {
                    let node = self.rng.range(0, 1) as usize;
                    let burst = self.rng.range(1, 3);
                    for _ in 0..burst {
                        self.client_submit(node);
                    }
                    let after = self.rng.range(10, 400);
                    self.schedule(after, Event::Load);
                }
            }
            Event::Chaos => {
                if self.chaos {
                    self.chaos_step();
                    let after = self.rng.range(100, 1_500);
                    self.schedule(after, Event::Chaos);
                }
            }
        }
    }

    /// Reconnects the pair when both ends are up, not partitioned and done with the old
    /// session (discovery, §2.5).
    fn discover(&mut self) {
        let alive = self.nodes.iter().all(|n| n.core.is_some());
        let idle = self.nodes[0].view[1].is_none() && self.nodes[1].view[0].is_none();
        if !alive || !idle || self.link.partitioned || self.link.session.is_some() {
            return;
        }
        let session = self.next_session;
        self.next_session += 1;
        self.link.session = Some(session);
        self.log(|| format!("connect session={session}"));
        for (from, to) in [(0, 1), (1, 0)] {
            self.transmit(from, to, session, Wire::Up);
        }
    }

    fn transmit(&mut self, from: usize, to: usize, session: u64, wire: Wire) {
        let delay = if self.rng.chance(10) {
            self.rng.range(50, 400)
        } else {
            self.rng.range(1, 30)
        };
        let at = (self.now + delay).max(self.link.last[from]);
        self.link.last[from] = at;
        self.seq += 1;
        self.queue.push(Scheduled {
            at,
            seq: self.seq,
            event: Event::Deliver {
                from,
                to,
                session,
                wire,
            },
        });
    }

    /// Ends the live session; each end that knows it learns after `delay(i)`.
    fn cut(&mut self, reason: &'static str, silent: bool) {
        let Some(session) = self.link.session.take() else {
            return;
        };
        self.log(|| format!("cut session={session} ({reason})"));
        for (node, peer) in [(0, 1), (1, 0)] {
            if self.nodes[node].core.is_some() {
                let after = if silent {
                    DOWN_AFTER_MS + self.rng.range(0, 1_000)
                } else {
                    self.rng.range(0, 20)
                };
                self.schedule(
                    after,
                    Event::Down {
                        node,
                        peer,
                        session,
                        reason,
                    },
                );
            }
        }
    }

    fn chaos_step(&mut self) {
        match self.rng.range(55, 99) {
            55..=64 => {
                if self.kill_is_safe() {
                    let node = self.rng.range(0, 1) as usize;
                    self.kill(node);
                }
            }
            65..=74 => {
                let dead: Vec<usize> = (0..2).filter(|&i| self.nodes[i].core.is_none()).collect();
                if let Some(&node) = dead.first() {
                    self.start(node);
                }
            }
            75..=81 => {
                if !self.link.partitioned {
                    self.log(|| "partition".into());
                    self.link.partitioned = true;
                    self.cut("heartbeat_timeout", true);
                }
            }
            82..=91 => {
                if self.link.partitioned {
                    self.log(|| "heal".into());
                    self.link.partitioned = false;
                }
            }
            _ => self.cut("closed", false),
        }
    }

    /// The guarantee of §6.1 covers the loss of one node of a working cluster: the simulator
    /// kills a node only when both are up, have converged with each other (so every
    /// acknowledged record is on the survivor) and one of them is primary. Killing the last
    /// node that saw a primary leaves two standbys that, by Appendix C.4, never promote.
    fn kill_is_safe(&self) -> bool {
        let cores: Vec<&Node> = self.nodes.iter().filter_map(|n| n.core.as_ref()).collect();
        let primary = cores.iter().any(|c| c.authority().role == Role::Primary);
        // Each node knows the other's current authority (the survivor must know it lost
        // the primary to promote, §6.3).
        let known = cores.iter().all(|c| {
            cores
                .iter()
                .filter(|o| o.node_name() != c.node_name())
                .all(|o| c.peer_authority(o.node_name()) == Some(o.authority()))
        });
        self.link_converged() && primary && known
    }

    /// Both nodes are up and each has applied the other's `SYNC_DONE` on the live session.
    pub fn link_converged(&self) -> bool {
        (0..2).all(|i| {
            let peer = NAMES[1 - i];
            self.nodes[i]
                .core
                .as_ref()
                .is_some_and(|core| core.converged_peers().iter().any(|p| p == peer))
        }) && self.link.session.is_some()
    }

    fn kill(&mut self, node: usize) {
        self.log(|| format!("kill {}", NAMES[node]));
        self.nodes[node].core = None;
        self.nodes[node].view = [None, None];
        self.checker.node_killed(node);
        self.cut("closed", false);
    }

    fn client_submit(&mut self, node: usize) {
        let Some(core) = &self.nodes[node].core else {
            return;
        };
        let me = NAMES[node].to_string();
        let peer = core
            .converged_peers()
            .into_iter()
            .next()
            .unwrap_or_default();
        let primary = core.authority().role == Role::Primary;
        let kind = self.rng.range(0, 9);
        let (key, hash, runtime_name, count) = if kind < 3 {
            // Startup-like declared work: only a primary submits it (§4.3 step 3).
            if !primary {
                return;
            }
            let j = self.rng.range(0, 2);
            (
                format!("startup::Work.j{j}"),
                format!("startup-payload::Work.j{j}"),
                format!("Work.j{j}"),
                2,
            )
        } else if kind < 5 && !self.checker.submitted.is_empty() {
            // A client retry (duplicate) or a reused key (conflict), at a node that holds the
            // key: request keys are unique by construction (§7), so a key only reaches another
            // node through replication. Startup keys only at a primary (§4.3 step 3).
            let pick = self.rng.range(0, self.checker.submitted.len() as u64 - 1) as usize;
            let (key, hash, name, count) = self.checker.submitted[pick].clone();
            if core.record(&key).is_none() || (key.starts_with("startup::") && !primary) {
                return;
            }
            let hash = if self.rng.chance(20) {
                format!("{hash}-other")
            } else {
                hash
            };
            (key, hash, name, count)
        } else {
            let n = self.nodes[node].route_counter + 1;
            self.nodes[node].route_counter = n;
            let h = self.rng.range(0, 2);
            let count = [1, 2, 2, 2, 3][self.rng.range(0, 4) as usize];
            let incarnation = self.nodes[node].incarnation;
            (
                format!("http-route::Api.h{h}::{n}-{node}{incarnation:x}"),
                format!("{n:x}"),
                format!("Api.h{h}"),
                count,
            )
        };
        let startup = key.starts_with("startup::");
        let (replica, required) = match (count, peer.is_empty()) {
            (1, _) => (String::new(), 0),
            (2, true) if startup => (String::new(), 0),
            _ => (peer, 1),
        };
        let request = SubmitRequest {
            request_key: key.clone(),
            payload_hash: hash.clone(),
            ingress_node: me.clone(),
            owner_node: me,
            replica_node: replica,
            required_replicas: required,
            replication_count: count,
            declared_handler_runtime_name: runtime_name.clone(),
            routed_remotely: false,
            fell_back_locally: true,
        };
        self.checker
            .remember(key.clone(), hash, runtime_name, count);
        let client = self.nodes[node].next_client;
        self.nodes[node].next_client += 1;
        self.log(|| {
            format!(
                "{} submit {key} count={count} required={required}",
                NAMES[node]
            )
        });
        if !self.nodes[node].joined {
            self.checker.isolated_submit(node, client);
        }
        self.input(node, Input::Submit { client, request });
    }

    fn input(&mut self, node: usize, input: Input) {
        let Some(core) = self.nodes[node].core.as_mut() else {
            return;
        };
        let outputs = core.handle(input);
        if !core.converged_peers().is_empty() {
            self.nodes[node].joined = true;
        }
        for output in outputs {
            self.perform(node, output);
        }
    }

    fn perform(&mut self, node: usize, output: Output) {
        match output {
            Output::Send { to, message } => {
                let Some(peer) = NAMES.iter().position(|n| *n == to) else {
                    return;
                };
                match self.nodes[node].view[peer] {
                    Some(session) if self.link.session == Some(session) => {
                        self.transmit(node, peer, session, Wire::Msg(Box::new(message)));
                    }
                    _ => {}
                }
            }
            Output::SetTimer { timer, after_ms } => {
                let incarnation = self.nodes[node].incarnation;
                self.schedule(
                    after_ms,
                    Event::Timer {
                        node,
                        incarnation,
                        timer,
                    },
                );
            }
            Output::Transition(entry) => {
                self.log(|| format!("{} {}", NAMES[node], entry.log_line()));
                if entry.transition == Transition::Completed {
                    // The epoch an attempt belongs to is the one it was created at: a node
                    // fenced meanwhile may still finish its old attempt.
                    let key = entry.request_key.clone().unwrap_or_default();
                    let core = self.nodes[node].core.as_ref();
                    let epoch = core
                        .and_then(|c| c.record(&key))
                        .map_or(0, |r| r.attempt_epoch);
                    let attempt = entry.attempt_id.clone().unwrap_or_default();
                    self.checker.completed(key, attempt, epoch, node);
                }
            }
            Output::Reply { reply, client } => {
                if let Reply::Submit(Ok(decision)) = reply {
                    let record = decision.record;
                    if decision.outcome == SubmitOutcome::Created
                        && record.owner_node == NAMES[node]
                    {
                        self.checker.created(node, client, &record);
                        if record.required_replicas == 1 {
                            self.checker.acknowledged(record.request_key.clone());
                        }
                        let attempt = record.attempt_id();
                        self.execute(node, record.request_key, attempt);
                    }
                }
            }
            Output::Execute {
                request_key,
                attempt_id,
                ..
            } => self.execute(node, request_key, attempt_id),
        }
    }

    fn execute(&mut self, node: usize, key: String, attempt: String) {
        let incarnation = self.nodes[node].incarnation;
        let after = self.rng.range(1, 4_000);
        let ok = self.rng.chance(90);
        self.schedule(
            after,
            Event::Finish {
                node,
                incarnation,
                key,
                attempt,
                ok,
            },
        );
    }
}

fn describe(message: &Message) -> String {
    match message {
        Message::Authority(a) => format!("AUTHORITY {} {}", a.role.as_str(), a.epoch),
        Message::Prepare { request_id, record } => {
            format!(
                "PREPARE #{request_id} {} {}",
                record.request_key,
                record.attempt_id()
            )
        }
        Message::PrepareAck { request_id, result } => {
            format!("PREPARE_ACK #{request_id} {result:?}")
        }
        Message::Upsert { record, .. } => format!(
            "UPSERT {} {} {} {} e{}",
            record.request_key,
            record.attempt_id(),
            record.phase.as_str(),
            record.replica_status.as_str(),
            record.promotion_epoch
        ),
        Message::Sync { records, .. } => format!("SYNC {} records", records.len()),
        Message::SyncDone => "SYNC_DONE".into(),
    }
}

/// Keys the checker must find on some live node (acknowledged with a replica).
pub type Acked = BTreeSet<String>;
/// Completions seen: (key, epoch) → node.
pub type Completions = BTreeMap<(String, u64), usize>;

//! A process record: its heap, its coroutine, its mailbox and its relations (links, name),
//! plus the state machine the workers and wakers drive under the process's lock. The
//! scheduler runs and wakes it; `actor/` gives the mailbox, links and table their meaning.

use super::stack::ProcStack;
use crate::mem::{Fragment, HeapSlot};
use mesh_rt_abi::TypeDesc;
use std::borrow::Cow;
use std::cell::{Cell, UnsafeCell};
use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard};

/// A process identifier: the node in the top [`NODE_BITS`] bits (0 = this node), the
/// process's serial number on its node below.
pub type Pid = u64;

/// Bits of a pid that name its node (distribution: node-qualified pids).
pub const NODE_BITS: u32 = 16;
/// Where the node field starts.
const NODE_SHIFT: u32 = 64 - NODE_BITS;
/// The serial-number part of a pid.
const SERIAL_MASK: u64 = (1 << NODE_SHIFT) - 1;

/// The pid of process `serial` on node `node` (0 = this node).
pub fn make_pid(node: u16, serial: u64) -> Pid {
    (u64::from(node) << NODE_SHIFT) | (serial & SERIAL_MASK)
}

/// The node a pid belongs to (0 = this node).
pub fn pid_node(pid: Pid) -> u16 {
    (pid >> NODE_SHIFT) as u16
}

/// The serial number of a pid on its node.
pub fn pid_serial(pid: Pid) -> u64 {
    pid & SERIAL_MASK
}

/// What a coroutine hands back to its worker when it stops running.
pub enum Suspend {
    /// Preempted or yielding: runnable again at once.
    Yield,
    /// Waiting until woken (`sched::wake`, for whatever reason) or until the deadline (a
    /// monotonic instant in ns since the scheduler's epoch), whichever comes first.
    Park { deadline: Option<u64> },
}

pub type Co = corosensei::Coroutine<(), Suspend, (), ProcStack>;

/// A message waiting in a mailbox.
pub struct Envelope {
    pub frag: Fragment,
    /// The descriptor of the sender's static type of the value (null when unknown).
    pub desc: *const TypeDesc,
    /// For a service call: the caller waiting for the reply.
    pub reply_to: Pid,
}

// SAFETY: descriptors are immutable constant data of the executable.
unsafe impl Send for Envelope {}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    /// Queued or running (nothing needs to tell the two apart).
    Runnable,
    Waiting,
    Done,
}

/// How a process ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Exit {
    Normal,
    /// A panic, an exit signal from a linked process, or a kill: the message.
    Crash(String),
}

impl Exit {
    /// The reason as programs see it (`Job.await`'s error, supervisors' logs).
    pub fn reason(&self) -> &str {
        match self {
            Exit::Normal => "normal",
            Exit::Crash(m) => m,
        }
    }
}

/// Everything other threads may touch, under the process's lock.
/// `repr(C)`, fields in this order: what a message and a park touch come first, in the
/// lock's cache line and the next.
#[repr(C)]
pub struct Inner {
    pub state: State,
    /// The process is about to wait, or waits, for a message: a delivery wakes it (other
    /// wakers wake it regardless). Set by `receive` under this lock together with its check
    /// of the mailbox, cleared by every wake-up.
    pub on_message: bool,
    /// The current wait has no deadline (the process does not count as busy meanwhile).
    pub idle: bool,
    /// The one wake mechanism's memory: someone woke the process while it was not waiting
    /// (it was about to park), so the next park returns at once and no wake-up is lost.
    /// Every wait re-checks its own condition in a loop, so an extra wake-up is harmless.
    pub notified: bool,
    /// Exit signals from linked processes arrive as `Exit` messages (`Process.trap_exit`).
    pub trap_exit: bool,
    /// The deadline of the current wait (ns, see `timer::now_ns`; 0: none).
    pub deadline: u64,
    /// When this process's timer entry fires (0: none). One entry serves every later
    /// deadline: when it fires it wakes the process if its current deadline has passed, or
    /// re-arms for that deadline (`worker::deadline_reached`), so waits that end early leave
    /// no entry each behind.
    pub armed: u64,
    pub mailbox: VecDeque<Envelope>,
    /// Ends of watched processes not handled yet: (pid, how it ended).
    pub downs: VecDeque<(Pid, Exit)>,
    /// An exit signal to act on at the next resume.
    pub kill: Option<String>,
    /// The service this (calling) process waits on exited before replying.
    pub reply_failed: Option<String>,
    /// A service reply delivered to this (calling) process.
    pub reply: Option<Fragment>,
    /// Results of this process's jobs that finished and were not awaited yet.
    pub jobs: std::collections::HashMap<Pid, Result<Fragment, String>>,
    /// The name registered for this process.
    pub registered: Option<String>,
    pub links: Vec<Pid>,
    /// Processes monitoring this one: (reference, monitor).
    pub monitors: Vec<(u64, Pid)>,
    /// Monitors this process holds: (reference, target).
    pub monitoring: Vec<(u64, Pid)>,
    pub exit: Option<Exit>,
    /// Processes to tell when this one ends (supervisors watching their children).
    pub watchers: Vec<Pid>,
}

/// `repr(C)`, fields in this order: what every message, resume and suspension touches
/// comes first (the ring benchmark's processes stay cache-cold between their turns).
#[repr(C)]
pub struct Process {
    pub pid: Pid,
    /// Set with `Inner::kill`, so a process resuming from a suspension learns without
    /// taking its lock that nobody asked it to end.
    pub kill_pending: std::sync::atomic::AtomicBool,
    /// The stack limit generated code checks (see `stack.rs`).
    pub limit: Cell<usize>,
    pub yielder: Cell<*const corosensei::Yielder<(), Suspend>>,
    /// The message `receive_wait` last found, as (mailbox index, word): `receive_peek` of
    /// that index reads it here without the lock (only the owner removes messages, so the
    /// index stays right until `receive_take`).
    pub peeked: Cell<Option<(usize, u64)>>,
    /// The process this one last sent a message to: a process usually sends to the same
    /// few others again and again, and this spares the process table lookup (cleared when
    /// the process ends, so two processes never keep each other alive).
    pub send_cache: UnsafeCell<Option<std::sync::Arc<Process>>>,
    /// The caller of the service request being handled (0 when none).
    pub caller: Cell<Pid>,
    inner: Mutex<Inner>,
    pub co: UnsafeCell<Option<Co>>,
    /// Touched only by the thread running the process.
    pub heap: UnsafeCell<HeapSlot>,
    /// The actor's name for logs ("main" for the main process); runtime processes (one per
    /// HTTP request) name themselves with a literal, which is not copied.
    pub name: Cow<'static, str>,
    pub is_main: bool,
    /// A `terminate do … end` closure to run when the actor exits (0 when none), rooted in
    /// the heap.
    pub terminate: Cell<u64>,
    /// A supervisor: exit signals from linked children do not kill it (it watches them).
    /// Atomic: a linked process reads it from another thread when it ends.
    pub supervisor: AtomicBool,
    /// For a job: its owner, and its value once computed.
    pub job: Cell<Option<(Pid, Option<Fragment>)>>,
    /// A runtime daemon (node distribution's sessions, listener, discovery): its waits,
    /// with a deadline or on a socket, never keep the program running (language §7 counts
    /// only the program's own actors).
    pub daemon: Cell<bool>,
}

// SAFETY: the cells and the heap are used only by the one thread running the process at a
// time (the scheduler's rule: a process is in at most one queue and resumed by one worker);
// everything shared is under `inner`'s lock.
unsafe impl Sync for Process {}
// SAFETY: as above.
unsafe impl Send for Process {}

impl Process {
    pub fn new(pid: Pid, name: Cow<'static, str>, is_main: bool) -> Process {
        Process {
            pid,
            heap: UnsafeCell::new(HeapSlot::default()),
            name,
            is_main,
            inner: Mutex::new(Inner {
                state: State::Runnable,
                mailbox: VecDeque::new(),
                on_message: false,
                deadline: 0,
                armed: 0,
                idle: false,
                reply: None,
                reply_failed: None,
                jobs: std::collections::HashMap::new(),
                registered: None,
                kill: None,
                links: Vec::new(),
                monitors: Vec::new(),
                monitoring: Vec::new(),
                exit: None,
                watchers: Vec::new(),
                notified: false,
                trap_exit: false,
                downs: VecDeque::new(),
            }),
            co: UnsafeCell::new(None),
            yielder: Cell::new(std::ptr::null()),
            limit: Cell::new(0),
            caller: Cell::new(0),
            terminate: Cell::new(0),
            supervisor: AtomicBool::new(false),
            job: Cell::new(None),
            daemon: Cell::new(false),
            send_cache: UnsafeCell::new(None),
            kill_pending: std::sync::atomic::AtomicBool::new(false),
            peeked: Cell::new(None),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The name and pid for logs: `counter #PID<0.N>`.
    pub fn label(&self) -> String {
        format!("{} {}", self.name, pid_text(self.pid))
    }
}

/// The display form of a pid: `#PID<node.serial>` (`#PID<0.N>` for local processes).
pub fn pid_text(pid: Pid) -> String {
    format!("#PID<{}.{}>", pid_node(pid), pid_serial(pid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pids_carry_a_node_in_their_top_bits_and_local_ones_display_as_node_zero() {
        let local = make_pid(0, 42);
        assert_eq!(local, 42, "a local pid is its serial number");
        assert_eq!(pid_text(local), "#PID<0.42>");
        let remote = make_pid(7, 42);
        assert_eq!((pid_node(remote), pid_serial(remote)), (7, 42));
        assert_eq!(pid_text(remote), "#PID<7.42>");
        let last = make_pid(u16::MAX, u64::MAX);
        assert_eq!(
            (pid_node(last), pid_serial(last)),
            (u16::MAX, (1 << 48) - 1)
        );
    }
}

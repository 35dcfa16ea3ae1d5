//! The scheduler: Mesh processes as stackful coroutines multiplexed over worker threads.
//!
//! ARCHITECTURE.md ("Concurrency") has the design; in short:
//!
//! - **Workers**: `MESH_WORKERS` threads (default: one per core), each with a local run queue
//!   (crossbeam-deque) and stealing from a global injector and from each other. Idle workers
//!   sleep on a condition variable.
//! - **Processes** (`process.rs`): a corosensei coroutine on a stack from `stack.rs`, a heap
//!   of their own, a mailbox. The worker running a process publishes it (and its heap and
//!   stack limit) in thread-locals before every resume; a process only gives up its thread
//!   inside runtime calls (`suspend`), so those thread-locals are valid for all code it runs.
//! - **States**: Runnable (in one queue, or running on one worker) → Waiting / Done. A waiting process is made runnable by whoever satisfies its wait, under its lock:
//!   a message (`deliver`), a service reply, an exit signal, or its deadline (`timer.rs`).
//! - **Messages** are deep copies (`mem::Fragment`); see `mem/copy.rs`.
//! - **Crashes**: a panic in a process prints one `[mesh-rt] … crashed: …` line and unwinds
//!   to the process's root frame (generated code has unwind tables; runtime entry points are
//!   `extern "C-unwind"`), which records the exit reason. Linked processes get an exit signal.
//!   A panic in `main` ends the program with status 101 (stdlib spec §0.3).
//! - **Exit**: after `main` returns, the program runs until no process is runnable, running,
//!   waiting with a deadline, or about to get a delayed message (language spec §7): `busy`
//!   counts exactly those.

mod blocking;
pub mod monitor;
pub mod process;
pub mod stack;
pub mod supervisor;
mod timer;

pub use blocking::blocking;
pub use process::{pid_text, Envelope, Exit, Pid, Process, State, Suspend};
pub use timer::now_ns;

use crate::mem::Fragment;
use corosensei::CoroutineResult;
use crossbeam_deque::{Injector, Stealer, Worker};
use mesh_rt_abi::TypeDesc;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

/// Shards of the process table.
const SHARDS: usize = 64;
/// The main process's stack (reserved, not committed).
const MAIN_STACK: usize = 1 << 30;

struct Sched {
    injector: Injector<Arc<Process>>,
    stealers: OnceLock<Vec<Stealer<Arc<Process>>>>,
    sleepers: AtomicUsize,
    sleep_lock: Mutex<()>,
    sleep_cv: Condvar,
    table: Vec<Mutex<PidMap>>,
    names: Mutex<HashMap<String, Pid>>,
    next_pid: AtomicU64,
    next_ref: AtomicU64,
    busy: AtomicIsize,
    main_done: AtomicBool,
    exit_lock: Mutex<()>,
    exit_cv: Condvar,
}

fn sched() -> &'static Sched {
    static S: OnceLock<Sched> = OnceLock::new();
    S.get_or_init(|| Sched {
        injector: Injector::new(),
        stealers: OnceLock::new(),
        sleepers: AtomicUsize::new(0),
        sleep_lock: Mutex::new(()),
        sleep_cv: Condvar::new(),
        table: (0..SHARDS).map(|_| Mutex::new(PidMap::default())).collect(),
        names: Mutex::new(HashMap::new()),
        next_pid: AtomicU64::new(1),
        next_ref: AtomicU64::new(1),
        busy: AtomicIsize::new(0),
        main_done: AtomicBool::new(false),
        exit_lock: Mutex::new(()),
        exit_cv: Condvar::new(),
    })
}

/// What the ticker sees of one worker: where its stack limit lives and since which tick
/// the running process has had the thread (0: none).
struct WorkerSlot {
    limit_addr: usize,
    since: AtomicU64,
}

/// The preemption clock: advanced every [`TICK`] by the ticker thread.
static EPOCH: AtomicU64 = AtomicU64::new(1);
/// Ticker period; a process is asked to yield after two to three ticks on a thread.
const TICK: Duration = Duration::from_millis(2);
static SLOTS: Mutex<Vec<&'static WorkerSlot>> = Mutex::new(Vec::new());

/// Preemption (language spec §7): every tick, a worker whose process has run for two ticks
/// gets its stack limit raised to the maximum; the next function entry or loop back-edge of
/// generated code then calls `mesh_rt_stack_check`, which yields.
fn ticker() {
    loop {
        std::thread::sleep(TICK);
        let now = EPOCH.fetch_add(1, Ordering::Relaxed) + 1;
        if now.is_multiple_of(128) {
            stack::trim();
        }
        for slot in lock(&SLOTS).iter() {
            let since = slot.since.load(Ordering::Relaxed);
            if since != 0 && now.saturating_sub(since) >= 2 && slot.limit_addr != 0 {
                // SAFETY: the slot is the worker's TLS limit, alive as long as the worker
                // thread (which never exits); an aligned word store.
                unsafe { std::sync::atomic::AtomicUsize::from_ptr(slot.limit_addr as *mut usize) }
                    .store(usize::MAX, Ordering::Relaxed);
            }
        }
    }
}

thread_local! {
    /// This worker's slot (null on other threads).
    static SLOT: Cell<*const WorkerSlot> = const { Cell::new(std::ptr::null()) };
    /// The process running on this thread (null outside processes).
    static CURRENT: Cell<*const Process> = const { Cell::new(std::ptr::null()) };
    /// This worker's run queue (null on other threads).
    static LOCAL: Cell<*const Worker<Arc<Process>>> = const { Cell::new(std::ptr::null()) };
}

/// A Mesh panic unwinding a process (the payload of `resume_unwind`).
struct Crash(String);

/// The process running on this thread. Never inlined: the thread may change at every
/// suspension, so each call must read the thread-local afresh.
#[inline(never)]
pub fn current() -> Option<&'static Process> {
    let p = CURRENT.with(Cell::get);
    // SAFETY: a running process outlives its run (the worker holds an `Arc` to it).
    (!p.is_null()).then(|| unsafe { &*p })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The process table's maps: pids are sequential integers, so a multiplicative hash spreads
/// them well at a fraction of the default hasher's cost (every send looks one up).
type PidMap = HashMap<Pid, Arc<Process>, std::hash::BuildHasherDefault<PidHasher>>;

#[derive(Default)]
struct PidHasher(u64);

impl std::hash::Hasher for PidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

fn shard(pid: Pid) -> &'static Mutex<PidMap> {
    &sched().table[pid as usize % SHARDS]
}

/// The live process with this pid.
pub fn lookup(pid: Pid) -> Option<Arc<Process>> {
    lock(shard(pid)).get(&pid).cloned()
}

fn busy_add(n: isize) {
    sched().busy.fetch_add(n, Ordering::SeqCst);
}

fn busy_sub(n: isize) {
    let s = sched();
    if s.busy.fetch_sub(n, Ordering::SeqCst) == n && s.main_done.load(Ordering::SeqCst) {
        let _g = lock(&s.exit_lock);
        s.exit_cv.notify_all();
    }
}

/// Queues a runnable process: on this worker's queue when called from a worker, else on the
/// injector; wakes a sleeping worker.
///
/// A process made runnable by the process running on this worker (a message, a spawn) waits
/// on this worker's queue, and no sleeping worker is woken for it unless the queue holds
/// more than it: the sender usually waits for a reply next, so the receiver runs here at
/// once, on warm caches, instead of moving to another core at every message (and a
/// futex wake-up per message). Surplus work wakes a sleeper, which steals it.
fn push(p: Arc<Process>) {
    let local = LOCAL.with(Cell::get);
    let s = sched();
    if local.is_null() {
        s.injector.push(p);
        wake_sleeper();
    } else {
        // SAFETY: LOCAL points to this worker thread's queue, alive while it runs.
        let queued = unsafe {
            (*local).push(p);
            (*local).len()
        };
        if queued > 1 {
            wake_sleeper();
        }
    }
}

/// Wakes one sleeping worker, if any.
fn wake_sleeper() {
    let s = sched();
    if s.sleepers.load(Ordering::SeqCst) > 0 {
        let _g = lock(&s.sleep_lock);
        s.sleep_cv.notify_one();
    }
}

/// Makes a waiting process runnable (under its lock).
fn wake(p: &Arc<Process>, g: &mut process::Inner) {
    if g.state != State::Waiting {
        if g.state != State::Done {
            g.notified = true;
        }
        return;
    }
    g.state = State::Runnable;
    g.wait_id += 1;
    if g.idle {
        g.idle = false;
        busy_add(1);
    }
    push(Arc::clone(p));
}

/// A wait's deadline passed.
fn wake_timeout(p: &Arc<Process>, wait_id: u64) {
    let mut g = p.lock();
    if g.state == State::Waiting && g.wait_id == wait_id {
        g.timed_out = true;
        wake(p, &mut g);
    }
}

/// Puts an envelope in `pid`'s mailbox (dropped when there is no such process).
pub fn deliver(pid: Pid, env: Envelope) {
    let Some(me) = current() else {
        if let Some(p) = lookup(pid) {
            deliver_to(&p, env);
        }
        return;
    };
    // SAFETY: only the running process touches its send cache.
    let cache = unsafe { &mut *me.send_cache.get() };
    if let Some(p) = cache.as_ref().filter(|p| p.pid == pid) {
        deliver_to(p, env);
        return;
    }
    let Some(p) = lookup(pid) else { return };
    deliver_to(&p, env);
    *cache = Some(p);
}

fn deliver_to(p: &Arc<Process>, env: Envelope) {
    let mut g = p.lock();
    if g.state == State::Done {
        return;
    }
    g.mailbox.push_back(env);
    if g.on_message {
        wake(p, &mut g);
    }
}

// ---------------------------------------------------------------- processes

/// Starts a process running the closure `closure` (a value of the current heap, copied into
/// the new process). `name` is for logs. Returns its pid.
pub fn spawn(closure: u64, name: &str) -> Pid {
    spawn_with(Fragment::from_current(closure, true), name, |_| {})
}

/// Starts a process running Rust code (runtime services such as connection handlers, and
/// tests). `f` runs on the process's own stack with its own heap, like any actor.
pub fn spawn_native(name: &str, f: impl FnOnce() + 'static) -> Pid {
    let s = sched();
    let pid = s.next_pid.fetch_add(1, Ordering::Relaxed);
    let p = Arc::new(Process::new(pid, name.to_string(), false));
    install(&p, stack::take(), move |_| f());
    lock(shard(pid)).insert(pid, Arc::clone(&p));
    busy_add(1);
    push(p);
    pid
}

fn spawn_with(start: Fragment, name: &str, setup: impl FnOnce(&Process)) -> Pid {
    let s = sched();
    let pid = s.next_pid.fetch_add(1, Ordering::Relaxed);
    let p = Arc::new(Process::new(pid, name.to_string(), false));
    setup(&p);
    let stack = stack::take();
    install(&p, stack, move |_| {
        let closure = crate::mem::with_slot(|slot| slot.pin(start));
        // SAFETY: the start value is a closure taking no arguments (the compiler builds it).
        let _ = unsafe { crate::value::generic::object::call0(closure as *mut u8) };
    });
    lock(shard(pid)).insert(pid, Arc::clone(&p));
    busy_add(1);
    push(p);
    pid
}

/// Creates `p`'s coroutine: `body` runs on `stack` with `p` current; a crash is caught here.
fn install(p: &Arc<Process>, stack: stack::ProcStack, body: impl FnOnce(&Process) + 'static) {
    let raw: *const Process = Arc::as_ptr(p);
    p.limit.set(stack.limit());
    let base = stack.base();
    let co = process::Co::with_stack(stack, move |yielder, ()| {
        // SAFETY: the process owns this coroutine, so it outlives it.
        let p = unsafe { &*raw };
        p.yielder.set(yielder);
        // SAFETY: the process is running on this thread; nothing else touches its slot.
        unsafe { *p.heap.get() = crate::mem::HeapSlot::for_process(base) };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(p)));
        let mut exit = match result {
            Ok(()) => Exit::Normal,
            Err(payload) => Exit::Crash(crash_message(payload)),
        };
        let terminate = p.terminate.replace(0);
        if terminate != 0 {
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                // SAFETY: registered by `on_terminate` as a closure taking no arguments.
                unsafe { crate::value::generic::object::call0(terminate as *mut u8) };
            }));
            if let (Err(payload), Exit::Normal) = (run, &exit) {
                exit = Exit::Crash(crash_message(payload));
            }
        }
        p.lock().exit = Some(exit);
    });
    // SAFETY: the process is not running yet; nobody else touches its coroutine cell.
    unsafe { *p.co.get() = Some(co) };
}

fn crash_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(c) = payload.downcast_ref::<Crash>() {
        c.0.clone()
    } else if let Some(s) = payload.downcast_ref::<&str>() {
        format!("runtime error: {s}")
    } else if let Some(s) = payload.downcast_ref::<String>() {
        format!("runtime error: {s}")
    } else {
        "runtime error".into()
    }
}

/// Ends the running process with a Mesh panic: prints the crash line and unwinds to the
/// process's root. Returns `false` (without doing anything) outside a process or in `main`,
/// whose panics end the program.
pub fn crash(message: &str) -> bool {
    let Some(p) = current() else { return false };
    if p.is_main {
        return false;
    }
    let _ = std::io::stdout().flush();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "[mesh-rt] actor {} crashed: {message}", p.label());
    drop(err);
    std::panic::resume_unwind(Box::new(Crash(message.to_string())))
}

/// Gives up the thread: the worker resumes the process when the condition in `s` holds.
/// Acts on an exit signal received meanwhile.
pub fn suspend(s: Suspend) {
    let Some(p) = current() else { return };
    let y = p.yielder.get();
    // SAFETY: the yielder belongs to the running coroutine (set at its start).
    unsafe { (*y).suspend(s) };
    if !p.kill_pending.load(Ordering::Acquire) {
        return;
    }
    p.kill_pending.store(false, Ordering::Relaxed);
    let kill = p.lock().kill.take();
    if let Some(reason) = kill {
        if p.is_main {
            crate::abi::process::panic_with(&reason);
        }
        std::panic::resume_unwind(Box::new(Crash(reason)));
    }
}

// ---------------------------------------------------------------- workers

/// Runs `entry` (the compiled Mesh `main`) as the main process on the scheduler and returns
/// the exit status once the program is finished (language spec §7).
pub fn run_main(entry: extern "C-unwind" fn()) -> i32 {
    let s = sched();
    let workers = std::env::var("MESH_WORKERS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let queues: Vec<Worker<Arc<Process>>> = (0..workers).map(|_| Worker::new_lifo()).collect();
    let _ = s.stealers.set(queues.iter().map(Worker::stealer).collect());
    for (i, q) in queues.into_iter().enumerate() {
        std::thread::Builder::new()
            .name(format!("mesh-worker-{i}"))
            .spawn(move || worker(q))
            .unwrap_or_else(|_| crate::abi::process::fatal("cannot start worker threads"));
    }
    std::thread::Builder::new()
        .name("mesh-ticker".into())
        .spawn(ticker)
        .unwrap_or_else(|_| crate::abi::process::fatal("cannot start the ticker thread"));
    let pid = s.next_pid.fetch_add(1, Ordering::Relaxed);
    let p = Arc::new(Process::new(pid, "main".into(), true));
    install(&p, stack::dedicated(MAIN_STACK), move |_| entry());
    lock(shard(pid)).insert(pid, Arc::clone(&p));
    busy_add(1);
    push(p);
    let mut g = lock(&s.exit_lock);
    while !(s.main_done.load(Ordering::SeqCst) && s.busy.load(Ordering::SeqCst) == 0) {
        g = s
            .exit_cv
            .wait_timeout(g, Duration::from_millis(100))
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    0
}

fn worker(local: Worker<Arc<Process>>) {
    LOCAL.with(|l| l.set(&local));
    let slot: &'static WorkerSlot = Box::leak(Box::new(WorkerSlot {
        limit_addr: stack::limit_addr(),
        since: AtomicU64::new(0),
    }));
    lock(&SLOTS).push(slot);
    SLOT.with(|s| s.set(slot));
    let s = sched();
    // Set once this worker has slept for lack of work: it then also steals a process that
    // waits alone on another worker's queue (see `find_work`).
    let mut greedy = false;
    loop {
        match find_work(&local, greedy) {
            Some(p) => {
                greedy = false;
                run(p);
            }
            None => {
                // Spin briefly before sleeping: under a stream of spawns and messages the
                // next process usually arrives within microseconds, and a futex sleep and
                // wake-up cost more than that.
                let mut found = None;
                for i in 0..96 {
                    // Pure spinning first (no system call), then yielding the core.
                    if i < 64 {
                        for _ in 0..32 {
                            std::hint::spin_loop();
                        }
                    } else {
                        std::thread::yield_now();
                    }
                    if let Some(p) = find_work(&local, greedy) {
                        found = Some(p);
                        break;
                    }
                }
                if let Some(p) = found {
                    greedy = false;
                    run(p);
                    continue;
                }
                let g = lock(&s.sleep_lock);
                s.sleepers.fetch_add(1, Ordering::SeqCst);
                if s.injector.is_empty() && local.is_empty() {
                    let (_g, timeout) = s
                        .sleep_cv
                        .wait_timeout(g, Duration::from_millis(10))
                        .unwrap_or_else(|e| e.into_inner());
                    greedy = timeout.timed_out();
                }
                s.sleepers.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// The next process for this worker: its own queue first, then the global queue, then
/// another worker's queue. A process waiting alone on another worker's queue is left to that
/// worker (it is usually the receiver of a message its running process just sent, and runs
/// there next) unless `greedy`: after a 10 ms sleep without work, this worker takes it, so
/// a process stuck behind a long run elsewhere is not left waiting (preemption also moves
/// the long-running process to the global queue after 2–4 ms).
fn find_work(local: &Worker<Arc<Process>>, greedy: bool) -> Option<Arc<Process>> {
    let s = sched();
    // Now and then the global queue goes first, so processes woken by timers and other
    // threads are not starved by a busy local queue.
    thread_local!(static TURN: Cell<u32> = const { Cell::new(0) });
    let turn = TURN.with(|t| {
        t.set(t.get().wrapping_add(1));
        t.get()
    });
    if turn.is_multiple_of(61) {
        if let crossbeam_deque::Steal::Success(p) = s.injector.steal() {
            return Some(p);
        }
    }
    if let Some(p) = local.pop() {
        return Some(p);
    }
    loop {
        let mut retry = false;
        match s.injector.steal_batch_and_pop(local) {
            crossbeam_deque::Steal::Success(p) => return Some(p),
            crossbeam_deque::Steal::Retry => retry = true,
            crossbeam_deque::Steal::Empty => {}
        }
        for st in s.stealers.get().map_or(&[][..], Vec::as_slice) {
            if !greedy && st.len() < 2 {
                continue;
            }
            match st.steal() {
                crossbeam_deque::Steal::Success(p) => return Some(p),
                crossbeam_deque::Steal::Retry => retry = true,
                crossbeam_deque::Steal::Empty => {}
            }
        }
        if !retry {
            return None;
        }
    }
}

fn run(p: Arc<Process>) {
    CURRENT.with(|c| c.set(Arc::as_ptr(&p)));
    // SAFETY: the process runs on this thread only, until it suspends.
    unsafe { crate::mem::set_current(p.heap.get()) };
    let slot = SLOT.with(Cell::get);
    // SAFETY: a worker's slot is leaked, so it lives forever.
    let slot = unsafe { slot.as_ref() };
    if let Some(slot) = slot {
        slot.since
            .store(EPOCH.load(Ordering::Relaxed), Ordering::Relaxed);
    }
    stack::set_limit(p.limit.get());
    // SAFETY: only the worker running the process touches its coroutine.
    let co = unsafe { (*p.co.get()).as_mut() };
    let result = co.map(|co| co.resume(()));
    if let Some(slot) = slot {
        slot.since.store(0, Ordering::Relaxed);
    }
    stack::set_limit(0);
    // SAFETY: clearing the thread's current heap.
    unsafe { crate::mem::set_current(std::ptr::null_mut()) };
    CURRENT.with(|c| c.set(std::ptr::null()));
    match result {
        Some(CoroutineResult::Yield(Suspend::Yield)) => {
            // To the back of the global queue: everything already waiting (on any queue)
            // runs before this process again.
            sched().injector.push(p);
            wake_sleeper();
        }
        Some(CoroutineResult::Yield(Suspend::Park {
            deadline,
            on_message,
            seen,
        })) => park(p, deadline, on_message, seen),
        Some(CoroutineResult::Return(())) | None => finish(p),
    }
}

fn park(p: Arc<Process>, deadline: Option<u64>, on_message: bool, seen: usize) {
    let mut g = p.lock();
    let ready = std::mem::take(&mut g.notified)
        || g.kill.is_some()
        || g.blocking_done
        || !g.downs.is_empty()
        || g.reply.is_some()
        || g.reply_failed.is_some()
        || (on_message && g.mailbox.len() > seen);
    let expired = deadline.is_some_and(|d| d <= now_ns());
    if ready || expired {
        g.timed_out = !ready;
        g.state = State::Runnable;
        drop(g);
        push(p);
        return;
    }
    g.state = State::Waiting;
    g.wait_id += 1;
    g.timed_out = false;
    g.on_message = on_message;
    match deadline {
        Some(at) => {
            g.idle = false;
            let id = g.wait_id;
            drop(g);
            timer::add(at, timer::Action::Wake(Arc::downgrade(&p), id));
        }
        None => {
            g.idle = true;
            drop(g);
            busy_sub(1);
        }
    }
}

fn finish(p: Arc<Process>) {
    let s = sched();
    // SAFETY: the process has ended; only this worker touches it now.
    drop(unsafe { (*p.send_cache.get()).take() });
    let (exit, links, mailbox, name, watchers, monitors) = {
        let mut g = p.lock();
        g.state = State::Done;
        (
            g.exit.take().unwrap_or(Exit::Crash("runtime error".into())),
            std::mem::take(&mut g.links),
            std::mem::take(&mut g.mailbox),
            g.registered.take(),
            std::mem::take(&mut g.watchers),
            std::mem::take(&mut g.monitors),
        )
    };
    // A job's result reaches its owner before the job leaves the table, so an owner that
    // finds the job gone always finds its result.
    if let Some((owner, result)) = p.job.take() {
        job_done(owner, p.pid, result, &exit);
    }
    lock(shard(p.pid)).remove(&p.pid);
    if let Some(name) = name {
        let mut names = lock(&s.names);
        if names.get(&name) == Some(&p.pid) {
            names.remove(&name);
        }
    }
    // Callers waiting on this service get an error instead of a reply.
    let failed = format!("service {} exited: {}", pid_text(p.pid), exit.reason());
    let pending = mailbox.iter().map(|e| e.reply_to).chain([p.caller.get()]);
    for caller in pending.filter(|&c| c != 0) {
        if let Some(q) = lookup(caller) {
            let mut g = q.lock();
            g.reply_failed = Some(failed.clone());
            wake(&q, &mut g);
        }
    }
    drop(mailbox);
    for l in links {
        if let Some(q) = lookup(l) {
            let mut g = q.lock();
            g.links.retain(|&x| x != p.pid);
            if g.trap_exit && g.state != State::Done {
                drop(g);
                monitor::send_exit(q.pid, p.pid, exit.reason());
                continue;
            }
            if let Exit::Crash(reason) = &exit {
                if g.kill.is_none() && g.state != State::Done && !q.supervisor.get() {
                    g.kill = Some(format!("linked {} crashed: {reason}", pid_text(p.pid)));
                    q.kill_pending.store(true, Ordering::Release);
                    wake(&q, &mut g);
                }
            }
        }
    }
    for (reference, watcher) in monitors {
        if let Some(q) = lookup(watcher) {
            q.lock().monitoring.retain(|&(r, _)| r != reference);
        }
        monitor::send_down(watcher, reference, p.pid, exit.reason());
    }
    // Watchers (supervisors) hear of the end last: the name is free and links have fired
    // by the time they restart anything.
    for w in watchers {
        if let Some(q) = lookup(w) {
            let mut g = q.lock();
            g.downs.push_back((p.pid, exit.clone()));
            wake(&q, &mut g);
        }
    }
    // SAFETY: the process has finished; its heap is no longer used by anyone.
    unsafe { (*p.heap.get()).finish(&p.label()) };
    // SAFETY: the coroutine has returned; nobody else touches it.
    if let Some(co) = unsafe { (*p.co.get()).take() } {
        if !p.is_main {
            stack::give_back(co.into_stack());
        }
    }
    if p.is_main {
        s.main_done.store(true, Ordering::SeqCst);
    }
    busy_sub(1);
}

// ---------------------------------------------------------------- operations for `abi`

/// Copies `msg` (of static type `desc`) into `pid`'s mailbox.
pub fn send(pid: Pid, msg: u64, desc: *const TypeDesc) {
    if pid == 0 {
        return;
    }
    let env = envelope(msg, desc, 0);
    deliver(pid, env);
}

fn envelope(msg: u64, desc: *const TypeDesc, reply_to: Pid) -> Envelope {
    Envelope {
        frag: Fragment::from_current(msg, heap_desc(desc)),
        desc,
        reply_to,
    }
}

/// Whether values of the type `desc` are heap pointers (descriptors come from generated code
/// as live constants; null means "not a pointer").
fn heap_desc(desc: *const TypeDesc) -> bool {
    // SAFETY: non-null descriptors passed by generated code are live constants.
    !desc.is_null() && mesh_rt_abi::layout::is_heap_kind(unsafe { (*desc).kind })
}

/// The running process's pid (0 outside processes).
pub fn self_pid() -> Pid {
    current().map_or(0, |p| p.pid)
}

/// Deadline for `receive … after ms`: `ms <= 0` polls.
pub fn deadline_after(ms: i64) -> u64 {
    now_ns() + (ms.max(0) as u64).saturating_mul(1_000_000)
}

/// Waits until the mailbox holds a message at `index` whose type is `desc` (messages of
/// another type, sent through an untyped pid, are dropped with a log line), or until
/// `deadline` (ns since the epoch; `None`: forever). Returns whether there is one.
pub fn receive_wait(index: usize, deadline: Option<u64>, desc: *const TypeDesc) -> bool {
    let Some(p) = current() else {
        return false;
    };
    loop {
        let mut g = p.lock();
        drop_mistyped(p, &mut g, index, desc);
        if let Some(env) = g.mailbox.get(index) {
            p.peeked.set(Some((index, env.frag.word())));
            return true;
        }
        if g.timed_out || deadline.is_some_and(|d| d <= now_ns()) {
            g.timed_out = false;
            return false;
        }
        let seen = g.mailbox.len();
        drop(g);
        suspend(Suspend::Park {
            deadline,
            on_message: true,
            seen,
        });
    }
}

/// As `receive_wait`, for a receive with `Down { … }` / `Exit { … }` arms besides (or
/// instead of) arms of the process's message type `desc` (stdlib §16.2). `accept` says which
/// messages its arms take: bit 0 `Down`, bit 1 `Exit`, bit 2 messages of type `desc`; others
/// are dropped with a log line. Returns the class of the message at `index` (0 of type
/// `desc`, 1 `Down`, 2 `Exit`), or -1 at the deadline.
pub fn receive_wait_system(
    index: usize,
    deadline: Option<u64>,
    desc: *const TypeDesc,
    accept: u32,
) -> i64 {
    let Some(p) = current() else {
        return -1;
    };
    loop {
        let mut g = p.lock();
        while let Some(env) = g.mailbox.get(index) {
            let class = monitor::system_class(env.desc);
            let wanted = match class {
                0 => accept & 4 != 0 && desc_compatible(env.desc, desc),
                c => accept & (1 << (c - 1)) != 0,
            };
            if wanted {
                p.peeked.set(Some((index, env.frag.word())));
                return i64::from(class);
            }
            let _ = g.mailbox.remove(index);
            eprintln!(
                "[mesh-rt] actor {} dropped a message of another type than its receive expects",
                p.label()
            );
        }
        if g.timed_out || deadline.is_some_and(|d| d <= now_ns()) {
            g.timed_out = false;
            return -1;
        }
        let seen = g.mailbox.len();
        drop(g);
        suspend(Suspend::Park {
            deadline,
            on_message: true,
            seen,
        });
    }
}

/// Drops the messages from `index` on that are not of type `desc` (sent through an untyped
/// pid), with a log line each.
fn drop_mistyped(p: &Process, g: &mut process::Inner, index: usize, desc: *const TypeDesc) {
    while index < g.mailbox.len() && !desc_compatible(g.mailbox[index].desc, desc) {
        let _ = g.mailbox.remove(index);
        eprintln!(
            "[mesh-rt] actor {} dropped a message of another type than its receive expects",
            p.label()
        );
    }
}

/// Waits for the first message of type `desc` (dropping others, as `receive_wait` does),
/// removes it and returns it copied into the process's heap.
pub fn receive_next(desc: *const TypeDesc) -> u64 {
    let Some(p) = current() else { return 0 };
    loop {
        let mut g = p.lock();
        drop_mistyped(p, &mut g, 0, desc);
        if let Some(env) = g.mailbox.pop_front() {
            drop(g);
            p.peeked.set(None);
            p.caller.set(env.reply_to);
            return env.frag.adopt();
        }
        drop(g);
        suspend(Suspend::Park {
            deadline: None,
            on_message: true,
            seen: 0,
        });
    }
}

/// The message at `index` as it sits in its envelope (valid until it is taken).
pub fn receive_peek(index: usize) -> u64 {
    current().map_or(0, |p| match p.peeked.get() {
        Some((i, word)) if i == index => word,
        _ => p.lock().mailbox.get(index).map_or(0, |e| e.frag.word()),
    })
}

/// Removes the message at `index` and returns it copied into the process's heap.
pub fn receive_take(index: usize) -> u64 {
    let Some(p) = current() else { return 0 };
    p.peeked.set(None);
    let env = {
        let mut g = p.lock();
        if index == 0 {
            g.mailbox.pop_front()
        } else {
            g.mailbox.remove(index)
        }
    };
    match env {
        Some(env) => {
            p.caller.set(env.reply_to);
            env.frag.adopt()
        }
        None => 0,
    }
}

/// Pauses the running process for `ms` milliseconds.
pub fn sleep(ms: i64) {
    if ms <= 0 {
        return;
    }
    let deadline = deadline_after(ms);
    while now_ns() < deadline {
        suspend(Suspend::Park {
            deadline: Some(deadline),
            on_message: false,
            seen: 0,
        });
    }
    if let Some(p) = current() {
        p.lock().timed_out = false;
    }
}

/// A service call: sends `msg` to `pid` and waits for the reply, copied into this heap.
/// Panics when the service is not running or exits before replying.
pub fn call(pid: Pid, msg: u64, desc: *const TypeDesc) -> u64 {
    let Some(p) = current() else { return 0 };
    let Some(target) = lookup(pid) else {
        crate::abi::process::panic_with(&format!(
            "service call to {}: no such process",
            pid_text(pid)
        ));
    };
    let env = envelope(msg, desc, p.pid);
    {
        let mut g = target.lock();
        if g.state == State::Done {
            drop(g);
            crate::abi::process::panic_with(&format!(
                "service call to {}: the process has exited",
                pid_text(pid)
            ));
        }
        g.mailbox.push_back(env);
        if g.on_message {
            wake(&target, &mut g);
        }
    }
    drop(target);
    loop {
        let (reply, failed) = {
            let mut g = p.lock();
            (g.reply.take(), g.reply_failed.take())
        };
        if let Some(frag) = reply {
            return frag.adopt();
        }
        if let Some(reason) = failed {
            crate::abi::process::panic_with(&reason);
        }
        suspend(Suspend::Park {
            deadline: None,
            on_message: false,
            seen: 0,
        });
    }
}

/// Sends `value` as the reply to the service request being handled.
pub fn reply(value: u64, desc: *const TypeDesc) {
    let Some(p) = current() else { return };
    let caller = p.caller.replace(0);
    let Some(q) = lookup(caller) else { return };
    let env = envelope(value, desc, 0);
    let mut g = q.lock();
    g.reply = Some(env.frag);
    wake(&q, &mut g);
}

/// Registers `name` for `pid`: 0 on success, 1 when taken, empty or not a live process.
pub fn register(name: &str, pid: Pid) -> i64 {
    let Some(p) = lookup(pid).filter(|_| !name.is_empty()) else {
        return 1;
    };
    let mut names = lock(&sched().names);
    if names.contains_key(name) {
        return 1;
    }
    let mut g = p.lock();
    if g.state == State::Done || g.registered.is_some() {
        return 1;
    }
    g.registered = Some(name.to_string());
    names.insert(name.to_string(), pid);
    0
}

/// The pid registered under `name`, or 0.
pub fn whereis(name: &str) -> Pid {
    lock(&sched().names).get(name).copied().unwrap_or(0)
}

/// Links the running process and `pid` (an exit signal if `pid` is not alive).
pub fn link(pid: Pid) {
    let Some(me) = current() else { return };
    if pid == me.pid {
        return;
    }
    match lookup(pid) {
        Some(q) => {
            let mut g = q.lock();
            if g.state != State::Done && !g.links.contains(&me.pid) {
                g.links.push(me.pid);
                drop(g);
                me.lock().links.push(pid);
            }
        }
        None if me.lock().trap_exit => monitor::send_exit(me.pid, pid, "noproc"),
        None => {
            crate::abi::process::panic_with(&format!("link to {}: noproc", pid_text(pid)));
        }
    }
}

/// Registers the running actor's `terminate` closure.
pub fn on_terminate(closure: u64) {
    if let Some(p) = current() {
        // The closure lives in the heap; keep it alive until the actor ends.
        crate::mem::with_current(|heap| {
            let _ = heap.add_root(closure);
        });
        p.terminate.set(closure);
    }
}

/// Delivers `msg` to `pid` after `ms` milliseconds.
pub fn send_after(pid: Pid, ms: i64, msg: u64, desc: *const TypeDesc) {
    let env = envelope(msg, desc, 0);
    busy_add(1);
    timer::add(deadline_after(ms), timer::Action::Deliver(pid, env));
}

/// Starts `closure` (no arguments, returning a value of type `desc`) as a job of the running
/// process; `Job.await` collects its result.
pub fn job_async(closure: u64, desc: *const TypeDesc) -> Pid {
    let owner = self_pid();
    let start = Fragment::from_current(closure, true);
    let heap_value = heap_desc(desc);
    let pid = spawn_job(start, owner, heap_value);
    // One-way: the job dies with its owner; its own crash reaches the owner as `Err` from
    // `Job.await`, not as an exit signal.
    if let Some(me) = current() {
        me.lock().links.push(pid);
    }
    pid
}

fn spawn_job(start: Fragment, owner: Pid, heap_value: bool) -> Pid {
    let s = sched();
    let pid = s.next_pid.fetch_add(1, Ordering::Relaxed);
    let p = Arc::new(Process::new(pid, "job".into(), false));
    install(&p, stack::take(), move |p| {
        let closure = crate::mem::with_slot(|slot| slot.pin(start));
        // SAFETY: the compiler passes a closure taking no arguments.
        let value = unsafe { crate::value::generic::object::call0(closure as *mut u8) };
        p.job.set(Some((
            owner,
            Some(Fragment::from_current(value, heap_value)),
        )));
    });
    p.job.set(Some((owner, None)));
    lock(shard(pid)).insert(pid, Arc::clone(&p));
    busy_add(1);
    push(p);
    pid
}

fn job_done(owner: Pid, job: Pid, result: Option<Fragment>, exit: &Exit) {
    let Some(q) = lookup(owner) else { return };
    let outcome = match (result, exit) {
        (Some(frag), Exit::Normal) => Ok(frag),
        (_, exit) => Err(exit.reason().to_string()),
    };
    let mut g = q.lock();
    g.jobs.insert(job, outcome);
    wake(&q, &mut g);
}

/// Waits for job `job` of the running process: its value copied into this heap, or its
/// crash reason. `deadline` bounds the wait (`Err("timeout")`).
pub fn job_await(job: Pid, deadline: Option<u64>) -> Result<u64, String> {
    let Some(p) = current() else {
        return Err("noproc".into());
    };
    loop {
        let outcome = p.lock().jobs.remove(&job);
        match outcome {
            Some(Ok(frag)) => return Ok(frag.adopt()),
            Some(Err(reason)) => return Err(reason),
            None => {}
        }
        if lookup(job).is_none() && !p.lock().jobs.contains_key(&job) {
            return Err("noproc".into());
        }
        if deadline.is_some_and(|d| d <= now_ns()) {
            return Err("timeout".into());
        }
        suspend(Suspend::Park {
            deadline,
            on_message: false,
            seen: 0,
        });
    }
}

/// Whether a message of type `sent` may be matched by a receive expecting `expected` (equal
/// descriptors, or structurally equal ones).
fn desc_compatible(sent: *const TypeDesc, expected: *const TypeDesc) -> bool {
    if sent.is_null() || expected.is_null() || sent == expected {
        return true;
    }
    // SAFETY: both are live constant descriptors.
    unsafe { desc_eq(sent, expected, &mut Vec::new()) }
}

/// How deep `desc_eq` compares before it gives up and calls the descriptors different.
const DESC_EQ_DEPTH: usize = 64;

/// Structural equality of two descriptors. `open` holds the pairs being compared further up:
/// meeting one again is a recursive type, equal so far. Past `DESC_EQ_DEPTH` it fails closed
/// (a deep mistyped message is dropped, never misread).
///
/// # Safety
/// `a` and `b` must be live descriptors.
unsafe fn desc_eq(
    a: *const TypeDesc,
    b: *const TypeDesc,
    open: &mut Vec<(*const TypeDesc, *const TypeDesc)>,
) -> bool {
    if a == b || open.contains(&(a, b)) {
        return true;
    }
    if open.len() >= DESC_EQ_DEPTH {
        return false;
    }
    let pair = (a, b);
    // SAFETY: contract.
    let (a, b) = unsafe { (&*a, &*b) };
    if a.kind != b.kind || a.count != b.count {
        return false;
    }
    // SAFETY: names are (ptr, len) views of constant bytes.
    let name = |d: &TypeDesc| unsafe {
        if d.name.ptr.is_null() {
            &[][..]
        } else {
            std::slice::from_raw_parts(d.name.ptr, d.name.len as usize)
        }
    };
    if name(a) != name(b) {
        return false;
    }
    if a.items.is_null() || b.items.is_null() {
        return a.items.is_null() == b.items.is_null();
    }
    open.push(pair);
    let equal = (0..a.count as usize).all(|i| {
        // SAFETY: both have `count` items.
        unsafe { desc_eq(*a.items.add(i), *b.items.add(i), open) }
    });
    open.pop();
    equal
}

/// Asks `pid` to end with `reason` (acted on at its next suspension or preemption check).
pub fn kill(pid: Pid, reason: &str) {
    if let Some(q) = lookup(pid) {
        let mut g = q.lock();
        if g.state != State::Done && g.kill.is_none() {
            g.kill = Some(reason.to_string());
            q.kill_pending.store(true, Ordering::Release);
            wake(&q, &mut g);
        }
    }
}

/// Makes the running process watch `pid`: when it ends, its pid and exit are queued in the
/// watcher's `downs` (at once, as "noproc", when it is already gone).
pub fn watch(pid: Pid) {
    let Some(me) = current() else { return };
    if let Some(q) = lookup(pid) {
        let mut g = q.lock();
        if g.state != State::Done {
            g.watchers.push(me.pid);
            return;
        }
    }
    me.lock()
        .downs
        .push_back((pid, Exit::Crash("noproc".into())));
}

/// The next end of a watched process, waiting until `deadline` (None: forever).
pub fn next_down(deadline: Option<u64>) -> Option<(Pid, Exit)> {
    let p = current()?;
    loop {
        if let Some(d) = p.lock().downs.pop_front() {
            return Some(d);
        }
        if deadline.is_some_and(|d| d <= now_ns()) {
            return None;
        }
        suspend(Suspend::Park {
            deadline,
            on_message: false,
            seen: 0,
        });
    }
}

/// A fresh reference number (monitors).
pub fn next_ref() -> u64 {
    sched().next_ref.fetch_add(1, Ordering::Relaxed)
}

/// `mesh_rt_stack_check`: generated code found the stack pointer below the limit.
pub fn stack_check() {
    let Some(p) = current() else { return };
    let sp = stack::current_sp();
    if sp < p.limit.get() {
        // Lower the limit so the panic's own calls are not checked again.
        stack::set_limit(0);
        crate::abi::process::panic_with("stack overflow");
    }
    // Not an overflow: the ticker asked for a yield (or a stale request from an earlier
    // process on this thread). Restore the limit, and yield if the time slice is used up.
    stack::set_limit(p.limit.get());
    let slot = SLOT.with(Cell::get);
    // SAFETY: a worker's slot is leaked, so it lives forever.
    if let Some(slot) = unsafe { slot.as_ref() } {
        let since = slot.since.load(Ordering::Relaxed);
        if since != 0 && EPOCH.load(Ordering::Relaxed).saturating_sub(since) >= 2 {
            suspend(Suspend::Yield);
        }
    }
}

//! Worker threads and run queues, the one wake mechanism, and program exit detection.
//!
//! - **Queues.** Each worker has a local LIFO queue (crossbeam-deque) and steals from a
//!   global injector and from the others (see [`find_work`]).
//! - **Idle workers** spin briefly while another worker runs a process (no spinning when
//!   all are idle), then one of them sleeps in the poller (`epoll_wait`,
//!   `net::poller`) while the others sleep on a condition variable; [`wake_sleeper`] wakes a
//!   condition-variable sleeper, or else the poller's sleeper through its `mio::Waker`.
//! - **Waking.** Every reason a process waits (a message, a reply, a timer, an exit, a
//!   blocking job, socket readiness, a slot of a blocking class) ends the same way: the
//!   waker calls [`wake`] under the process's lock (or wakes its `std::task::Waker`, see
//!   [`current_waker`]). A waiting process becomes runnable; a process that is not waiting
//!   yet (it is about to park) is `notified`, and its next [`park`] returns at once. Waits
//!   re-check their own condition in a loop, so no reason needs a field or a test here.
//! - **Exit.** `busy` counts runnable and running processes, waits with a deadline and
//!   pending timers and jobs; the program ends when `main` is done and it reaches zero.

use super::process::{self, Process, State, Suspend};
use super::{preempt, stack, timer};
use crate::net::poller::poller;
use corosensei::CoroutineResult;
use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use std::cell::Cell;
use std::sync::atomic::{fence, AtomicBool, AtomicIsize, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::task::Wake;
use std::time::Duration;

struct Sched {
    injector: Injector<Arc<Process>>,
    stealers: OnceLock<Vec<Stealer<Arc<Process>>>>,
    /// Workers sleeping on `sleep_cv` (changed under `sleep_lock`).
    sleepers: AtomicUsize,
    /// How many of the `sleepers` have been notified and are not running yet.
    sleep_lock: Mutex<usize>,
    sleep_cv: Condvar,
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
        sleep_lock: Mutex::new(0),
        sleep_cv: Condvar::new(),
        busy: AtomicIsize::new(0),
        main_done: AtomicBool::new(false),
        exit_lock: Mutex::new(()),
        exit_cv: Condvar::new(),
    })
}

thread_local! {
    /// The process running on this thread (null outside processes).
    static CURRENT: Cell<*const Process> = const { Cell::new(std::ptr::null()) };
    /// This worker's run queue (null on other threads).
    static LOCAL: Cell<*const Worker<Arc<Process>>> = const { Cell::new(std::ptr::null()) };
    /// This worker is handing out the events of one poll: the processes they make runnable
    /// are queued without waking a sleeper each; [`poll_events`] wakes one at the end.
    static POLLING: Cell<bool> = const { Cell::new(false) };
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The process running on this thread. Never inlined: the thread may change at every
/// suspension, so each call must read the thread-local afresh.
#[inline(never)]
pub fn current() -> Option<&'static Process> {
    let p = CURRENT.with(Cell::get);
    // SAFETY: a running process outlives its run (the worker holds an `Arc` to it).
    (!p.is_null()).then(|| unsafe { &*p })
}

/// The process running on this thread, as a shared handle.
#[inline(never)] // reads a thread-local: see `sched::current`
pub fn current_arc() -> Option<Arc<Process>> {
    let p = CURRENT.with(Cell::get);
    if p.is_null() {
        return None;
    }
    // SAFETY: `p` comes from `Arc::as_ptr` of the `Arc` the worker holds while the process
    // runs; taking one more strong count and wrapping it makes an independent handle.
    unsafe {
        Arc::increment_strong_count(p);
        Some(Arc::from_raw(p))
    }
}

/// A `std::task::Waker` that wakes the running process (for wakers that know nothing of
/// processes: the poller, the blocking pool).
pub fn current_waker() -> Option<std::task::Waker> {
    current_arc().map(std::task::Waker::from)
}

impl Wake for Process {
    fn wake(self: Arc<Self>) {
        wake_process(&self);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        wake_process(self);
    }
}

pub fn busy_add(n: isize) {
    sched().busy.fetch_add(n, Ordering::SeqCst);
}

pub fn busy_sub(n: isize) {
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
#[inline(never)] // reads a thread-local: see `sched::current`
fn push(p: Arc<Process>) {
    let local = LOCAL.with(Cell::get);
    if local.is_null() {
        sched().injector.push(p);
        wake_sleeper();
    } else {
        // SAFETY: LOCAL points to this worker thread's queue, alive while it runs.
        let queued = unsafe {
            (*local).push(p);
            (*local).len()
        };
        if queued > 1 && !POLLING.with(Cell::get) {
            wake_sleeper();
        }
    }
}

/// Polls for socket readiness on this worker (see `Poller::poll`), queueing the processes
/// that became runnable here, then wakes one sleeping worker if more than one is queued:
/// once per poll, not once per event (each wake-up of a worker sleeping on the condition
/// variable is a system call, and a poll often readies tens of connections).
fn poll_events(
    local: &Worker<Arc<Process>>,
    block: bool,
    work_queued: impl FnOnce() -> bool,
) -> Option<usize> {
    POLLING.with(|p| p.set(true));
    let polled = poller().poll(block, work_queued);
    POLLING.with(|p| p.set(false));
    if local.len() > 1 {
        wake_sleeper();
    }
    polled
}

/// Queues a new process (it counts as busy until it first waits without a deadline).
pub fn start_process(p: Arc<Process>) {
    busy_add(1);
    push(p);
}

/// Wakes one sleeping worker, if any: one on the condition variable, else the one in the
/// poller. Pairs with the sleepers' announce-then-check (SeqCst fences on both sides).
///
/// A condition-variable sleeper is notified once: until it runs again (which may take a
/// while on a busy machine) it still counts as sleeping, and every further `notify_one`
/// would be a futex system call waking nobody (they were 95% of the server's futex calls).
fn wake_sleeper() {
    let s = sched();
    fence(Ordering::SeqCst);
    if s.sleepers.load(Ordering::SeqCst) > 0 {
        let mut notified = lock(&s.sleep_lock);
        if *notified < s.sleepers.load(Ordering::SeqCst) {
            *notified += 1;
            s.sleep_cv.notify_one();
        }
        return;
    }
    poller().notify();
}

/// Makes a waiting process runnable (under its lock); a process that is not waiting yet is
/// notified instead (its next park returns at once).
pub fn wake(p: &Arc<Process>, g: &mut process::Inner) {
    g.on_message = false;
    if g.state != State::Waiting {
        if g.state != State::Done {
            g.notified = true;
        }
        return;
    }
    g.state = State::Runnable;
    if g.idle {
        g.idle = false;
        busy_add(1);
    }
    push(Arc::clone(p));
}

/// [`wake`], taking the process's lock.
pub fn wake_process(p: &Arc<Process>) {
    let mut g = p.lock();
    wake(p, &mut g);
}

/// Adds `p`'s timer entry for `at` (its `armed` is `at`).
fn arm_timer(p: &Arc<Process>, at: u64) {
    let p = Arc::downgrade(p);
    timer::add(
        at,
        Box::new(move || {
            if let Some(p) = p.upgrade() {
                deadline_reached(&p, at);
            }
        }),
    );
}

/// `p`'s timer entry for `at` fired (the timer thread): wakes `p` if its current wait's
/// deadline has passed, or re-arms for that later deadline. An entry superseded by an
/// earlier one (`armed` differs) does nothing.
fn deadline_reached(p: &Arc<Process>, at: u64) {
    let mut g = p.lock();
    if g.armed != at {
        return;
    }
    g.armed = 0;
    if g.state != State::Waiting || g.deadline == 0 {
        return;
    }
    if g.deadline <= timer::now_ns() {
        wake(p, &mut g);
        return;
    }
    let next = g.deadline;
    g.armed = next;
    drop(g);
    arm_timer(p, next);
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
            crate::fail::panic_with(&reason);
        }
        std::panic::resume_unwind(Box::new(crate::fail::Crash(reason)));
    }
}

/// `mesh_rt_stack_check`: generated code found the stack pointer below the limit.
pub fn stack_check() {
    let Some(p) = current() else { return };
    let sp = stack::current_sp();
    if sp < p.limit.get() {
        // Lower the limit so the panic's own calls are not checked again.
        stack::set_limit(0);
        crate::fail::panic_with("stack overflow");
    }
    // Not an overflow: the ticker asked for a yield (or a stale request from an earlier
    // process on this thread). Restore the limit, and yield if the time slice is used up.
    stack::set_limit(p.limit.get());
    if preempt::slice_used() {
        suspend(Suspend::Yield);
    }
}

/// Lets the processes queued behind the running one run first (it goes to the back of the
/// global queue). For runtime loops in a process that may go on without reaching a
/// preemption check of generated code or a real wait: a node session's reader yields after
/// a batch of frames (64 frames or 256 KiB), so the processes it delivered to run (and free what they got).
pub fn yield_now() {
    if current().is_some() {
        suspend(Suspend::Yield);
    }
}

/// Parks the running process until it is woken or `deadline` (ns, see `now_ns`) passes.
/// Callers re-check what they wait for afterwards.
pub fn park(deadline: Option<u64>) {
    suspend(Suspend::Park { deadline });
}

/// Creates `p`'s coroutine: `body` runs on `stack` with `p` current and its heap in place.
pub fn install(p: &Arc<Process>, stack: stack::ProcStack, body: impl FnOnce(&Process) + 'static) {
    let raw: *const Process = Arc::as_ptr(p);
    p.limit.set(stack.limit());
    let base = stack.base();
    let co = process::Co::with_stack(stack, move |yielder, ()| {
        // SAFETY: the process owns this coroutine, so it outlives it.
        let p = unsafe { &*raw };
        p.yielder.set(yielder);
        // SAFETY: the process is running on this thread; nothing else touches its slot.
        unsafe { *p.heap.get() = crate::mem::HeapSlot::for_process(base) };
        body(p);
    });
    // SAFETY: the process is not running yet; nobody else touches its coroutine cell.
    unsafe { *p.co.get() = Some(co) };
}

/// Starts the worker threads (`MESH_WORKERS`, default one per core) and the ticker.
pub fn start() {
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
            .unwrap_or_else(|_| crate::fail::fatal("cannot start worker threads"));
    }
    preempt::start_ticker();
}

/// Waits until the main process is done and nothing keeps the program busy.
pub fn wait_exit() {
    let s = sched();
    let mut g = lock(&s.exit_lock);
    while !(s.main_done.load(Ordering::SeqCst) && s.busy.load(Ordering::SeqCst) == 0) {
        g = s
            .exit_cv
            .wait_timeout(g, Duration::from_millis(100))
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

/// How long an idle worker spins (while another runs) before sleeping: about what a futex
/// sleep and wake-up cost. Spinning longer only takes the core from other threads (64 rounds
/// of 32 `pause`, the earlier bound, were ~50 µs on the project machine's CPU, where `pause`
/// takes 25 ns: 6% of the HTTP server's time went there, and its clients got less CPU).
const SPIN_TIME: Duration = Duration::from_micros(4);

fn worker(local: Worker<Arc<Process>>) {
    LOCAL.with(|l| l.set(&local));
    preempt::register_worker();
    let s = sched();
    // Set once this worker has slept for lack of work: it then also steals a process that
    // waits alone on another worker's queue (see `find_work`).
    let mut greedy = false;
    let mut polled_at = 0;
    loop {
        // Busy or not, look at the poller once per tick (if no idle worker sleeps in it),
        // so sockets become ready even when every worker has work.
        let tick = preempt::epoch();
        if tick != polled_at {
            polled_at = tick;
            let _ = poll_events(&local, false, || true);
        }
        if let Some(p) = find_work(&local, greedy) {
            greedy = false;
            run(p);
            continue;
        }
        // Spin briefly before sleeping, but only while another worker runs a process: that
        // is where work for this one comes from within microseconds (a process it queues
        // beyond its own next one), and a futex sleep and wake-up cost more than that. With
        // every other worker idle, new work comes from sockets, timers or other threads,
        // which wake a sleeper anyway, so spinning would only take the core from other
        // programs (on a small or loaded machine: a server's own clients). Pure spinning: no
        // `sched_yield`, which on a busy machine costs a system call per round. Bounded by
        // time, not by a count of `pause`s, whose cost differs 10x between CPUs.
        let mut found = None;
        let spin_start = std::time::Instant::now();
        while preempt::others_running() && spin_start.elapsed() < SPIN_TIME {
            for _ in 0..32 {
                std::hint::spin_loop();
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
        // One idle worker sleeps in the poller (until readiness or `wake_sleeper`) ...
        let nothing = || s.injector.is_empty() && local.is_empty();
        if poll_events(&local, true, || !nothing()).is_some() {
            continue;
        }
        // ... the others on the condition variable. The 10 ms bound is not needed for
        // wake-ups (none is lost): it makes a worker that found nothing for that long
        // `greedy`, so a process queued behind a long run elsewhere moves here.
        let mut g = lock(&s.sleep_lock);
        s.sleepers.fetch_add(1, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        if nothing() {
            let (woken, timeout) = s
                .sleep_cv
                .wait_timeout(g, Duration::from_millis(10))
                .unwrap_or_else(|e| e.into_inner());
            g = woken;
            greedy = timeout.timed_out();
        }
        // Awake: one notification is used up (or, after a timeout, one that may have come
        // too late for this sleeper: the count never exceeds the sleepers, so no wake-up is
        // held back for a sleeper that needs one).
        *g = g.saturating_sub(1);
        s.sleepers.fetch_sub(1, Ordering::SeqCst);
        drop(g);
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
        if let Steal::Success(p) = s.injector.steal() {
            return Some(p);
        }
    }
    if let Some(p) = local.pop() {
        return Some(p);
    }
    loop {
        let mut retry = false;
        match s.injector.steal_batch_and_pop(local) {
            Steal::Success(p) => return Some(p),
            Steal::Retry => retry = true,
            Steal::Empty => {}
        }
        for st in s.stealers.get().map_or(&[][..], Vec::as_slice) {
            if !greedy && st.len() < 2 {
                continue;
            }
            match st.steal() {
                Steal::Success(p) => return Some(p),
                Steal::Retry => retry = true,
                Steal::Empty => {}
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
    preempt::run_started(true);
    stack::set_limit(p.limit.get());
    // SAFETY: only the worker running the process touches its coroutine.
    let co = unsafe { (*p.co.get()).as_mut() };
    let result = co.map(|co| co.resume(()));
    preempt::run_started(false);
    stack::set_limit(0);
    // SAFETY: clearing the thread's current heap.
    unsafe { crate::mem::set_current(std::ptr::null_mut()) };
    CURRENT.with(|c| c.set(std::ptr::null()));
    after_run(p, result);
}

/// Starts the new process `p` (not queued anywhere yet) by running it at once on this
/// thread, from inside the running process, until it ends, waits or is preempted; then it
/// is scheduled as any other (waiting, or queued) and the caller goes on. For a process the
/// caller would wait for at once anyway (an HTTP request's process, which the connection's
/// process waits for): that spares the caller's suspension and wake-up, its queue round
/// trip and a switch per request. Outside a process (or off a worker) it queues `p` as
/// [`start_process`] does.
///
/// Safe while nested: the caller stays on this thread until `p` gives it back (only the
/// caller's own suspension could move it), and the thread-locals it changes (the current
/// process, heap and stack limit) are the caller's again before it returns. The time slice
/// is the caller's: `p` is preempted (queued behind the others) if the two run too long.
#[inline(never)] // reads thread-locals: see `sched::current`
pub fn start_process_here(p: Arc<Process>) {
    let outer = CURRENT.with(Cell::get);
    if outer.is_null() || LOCAL.with(Cell::get).is_null() {
        start_process(p);
        return;
    }
    CURRENT.with(|c| c.set(Arc::as_ptr(&p)));
    // SAFETY: `p` is new, queued nowhere and resumed by no one else: its heap slot and
    // coroutine are this thread's until it gives the thread back.
    let outer_heap = unsafe { crate::mem::set_current(p.heap.get()) };
    stack::set_limit(p.limit.get());
    // SAFETY: as above.
    let co = unsafe { (*p.co.get()).as_mut() };
    let result = co.map(|co| co.resume(()));
    // SAFETY: `outer` is the running process (its worker holds an `Arc` to it) and its heap
    // slot was current before; both are this thread's again.
    unsafe {
        stack::set_limit((*outer).limit.get());
        crate::mem::set_current(outer_heap);
    }
    CURRENT.with(|c| c.set(outer));
    // `p` counts as busy from here on, as a new process does until it first waits without
    // a deadline; not while it ran nested, when the running caller kept the program busy.
    // So a process that ended there touches the shared count neither way.
    match result {
        Some(CoroutineResult::Return(())) | None => finish_counted(p, false),
        result => {
            busy_add(1);
            after_run(p, result);
        }
    }
}

/// What a worker does when a process gives its thread back (`result` of its resume).
fn after_run(p: Arc<Process>, result: Option<CoroutineResult<Suspend, ()>>) {
    match result {
        Some(CoroutineResult::Yield(Suspend::Yield)) => {
            // To the back of the global queue: everything already waiting (on any queue)
            // runs before this process again.
            sched().injector.push(p);
            wake_sleeper();
        }
        Some(CoroutineResult::Yield(Suspend::Park { deadline })) => park_now(p, deadline),
        Some(CoroutineResult::Return(())) | None => finish(p),
    }
}

/// The worker's half of a park: the process waits, unless it was woken meanwhile.
fn park_now(p: Arc<Process>, deadline: Option<u64>) {
    let mut g = p.lock();
    let woken = std::mem::take(&mut g.notified);
    // A deadline beyond the coarse clock's reach has not passed: no precise clock read for
    // the usual far one (a connection's 30 s idle deadline, once per request).
    let passed = |d: u64| {
        d <= timer::coarse_now_ns().saturating_add(timer::COARSE_LAG_NS) && d <= timer::now_ns()
    };
    if woken || deadline.is_some_and(passed) {
        g.on_message = false;
        g.state = State::Runnable;
        drop(g);
        push(p);
        return;
    }
    g.state = State::Waiting;
    match deadline {
        Some(at) => {
            // A daemon's timed wait (a heartbeat) does not keep the program busy.
            g.idle = p.daemon.get();
            if g.idle {
                busy_sub(1);
            }
            g.deadline = at;
            // At most one timer entry per process: an entry armed for this deadline or an
            // earlier one re-arms itself for this one when it fires (`deadline_reached`).
            // A connection whose idle deadline moves forward at every request so adds one
            // entry per idle period, not one per read.
            let arm = g.armed == 0 || at < g.armed;
            if arm {
                g.armed = at;
            }
            drop(g);
            if arm {
                arm_timer(&p, at);
            }
        }
        None => {
            g.deadline = 0;
            g.idle = true;
            drop(g);
            busy_sub(1);
        }
    }
}

/// The process's coroutine returned (its body has told links, monitors and the table):
/// frees its heap and stack.
fn finish(p: Arc<Process>) {
    finish_counted(p, true);
}

/// [`finish`]; `counted`: the process counts in `busy` (one that ended while running nested
/// never did, see [`start_process_here`]).
fn finish_counted(p: Arc<Process>, counted: bool) {
    // SAFETY: the process has ended; only this worker touches it now.
    drop(unsafe { (*p.send_cache.get()).take() });
    p.lock().state = State::Done;
    // SAFETY: the process has finished; its heap is no longer used by anyone.
    unsafe { (*p.heap.get()).finish(|| p.label()) };
    // SAFETY: the coroutine has returned; nobody else touches it.
    if let Some(co) = unsafe { (*p.co.get()).take() } {
        if !p.is_main {
            stack::give_back(co.into_stack());
        }
    }
    if p.is_main {
        sched().main_done.store(true, Ordering::SeqCst);
    }
    if counted {
        busy_sub(1);
    }
}

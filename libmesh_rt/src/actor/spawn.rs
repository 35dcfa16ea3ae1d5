//! Starting and ending processes: `spawn` (of a Mesh closure or of Rust code), the main
//! process and the program's start, and crashes.
//!
//! A process's coroutine runs its body, catches a crash (a Mesh panic unwinds to here), runs
//! its `terminate` closure, and then tells whoever must know (`exit.rs`) before returning to
//! its worker, which frees its heap and stack.

use super::{exit, table};
use crate::fail::Crash;
use crate::mem::Fragment;
use crate::sched::{self, stack, Exit, Pid, Process};
use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;

/// The main process's stack (reserved, not committed).
const MAIN_STACK: usize = 1 << 30;

/// Runs `entry` (the compiled Mesh `main`) as the main process on the scheduler and returns
/// the exit status once the program is finished (language spec §7).
pub fn run_main(entry: extern "C-unwind" fn()) -> i32 {
    run_main_then(entry, || {})
}

/// [`run_main`], running `after` on the main process when `entry` returns (not when it
/// panics): the program's startup-work trigger (runtime-cluster §4.2).
pub fn run_main_then(entry: extern "C-unwind" fn(), after: fn()) -> i32 {
    crate::fail::set_hooks(end_process, crate::mem::report_exit);
    sched::start();
    let p = Arc::new(Process::new(table::new_pid(), "main".into(), true));
    install(&p, stack::dedicated(MAIN_STACK), move |_| {
        entry();
        after();
    });
    table::insert(&p);
    sched::start_process(p);
    sched::wait_exit();
    0
}

/// Starts a process running the closure `closure` (a value of the current heap, copied into
/// the new process). `name` is for logs. Returns its pid.
pub fn spawn(closure: u64, name: &str) -> Pid {
    let start = Fragment::from_current(closure, true);
    spawn_process(
        name.to_owned(),
        |_| {},
        move |_| {
            let closure = crate::mem::with_slot(|slot| slot.pin(start));
            // SAFETY: the start value is a closure taking no arguments (the compiler builds it).
            let _ = unsafe { crate::value::generic::object::call0(closure as *mut u8) };
        },
    )
}

/// Starts a process running Rust code (runtime services such as connection handlers, and
/// tests). `f` runs on the process's own stack with its own heap, like any actor.
pub fn spawn_native(name: &'static str, f: impl FnOnce() + 'static) -> Pid {
    spawn_process(name, |_| {}, move |_| f())
}

/// [`spawn_native`], running the new process at once on the calling process's thread until
/// it ends or first waits (`sched::start_process_here`); the caller goes on after that. For
/// a process the caller waits for right away (an HTTP request's).
pub fn spawn_native_here(name: &'static str, f: impl FnOnce() + 'static) -> Pid {
    let pid = table::new_pid();
    let p = Arc::new(Process::new(pid, name.into(), false));
    install(&p, stack::take(), move |_| f());
    table::insert(&p);
    sched::start_process_here(p);
    pid
}

/// Starts a runtime daemon running Rust code (node distribution's sessions): like
/// `spawn_native`, but its waits never keep the program running.
pub fn spawn_daemon(name: &'static str, f: impl FnOnce() + 'static) -> Pid {
    spawn_process(name, |p| p.daemon.set(true), move |_| f())
}

/// Starts a process: `setup` runs on its record before it is queued, `body` is its code.
pub(crate) fn spawn_process(
    name: impl Into<Cow<'static, str>>,
    setup: impl FnOnce(&Process),
    body: impl FnOnce(&Process) + 'static,
) -> Pid {
    let pid = table::new_pid();
    let p = Arc::new(Process::new(pid, name.into(), false));
    setup(&p);
    install(&p, stack::take(), body);
    table::insert(&p);
    sched::start_process(p);
    pid
}

/// Creates `p`'s coroutine around `body`: a crash is caught here, the `terminate` closure
/// runs, and the process's end is announced.
fn install(p: &Arc<Process>, stack: stack::ProcStack, body: impl FnOnce(&Process) + 'static) {
    sched::install(p, stack, move |p| {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(p)));
        let mut end = match result {
            Ok(()) => Exit::Normal,
            Err(payload) => Exit::Crash(crash_message(payload)),
        };
        let terminate = p.terminate.replace(0);
        if terminate != 0 {
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                // SAFETY: registered by `on_terminate` as a closure taking no arguments.
                unsafe { crate::value::generic::object::call0(terminate as *mut u8) };
            }));
            if let (Err(payload), Exit::Normal) = (run, &end) {
                end = Exit::Crash(crash_message(payload));
            }
        }
        exit::finish(p, end);
    });
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

/// The panic hook (`fail::panic_with`): ends the running process with a Mesh panic, printing
/// the crash line and unwinding to the process's root. Returns (without doing anything)
/// outside a process or in `main`, whose panics end the program.
fn end_process(message: &str) {
    let Some(p) = sched::current() else { return };
    if p.is_main {
        return;
    }
    let _ = std::io::stdout().flush();
    // The processes `meshc test` generates (`__mesh_test_0`, …) report their own failures.
    if !p.name.starts_with("__mesh_") {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "[mesh-rt] actor {} crashed: {message}", p.label());
    }
    std::panic::resume_unwind(Box::new(Crash(message.to_string())))
}

/// Registers the running actor's `terminate` closure.
pub fn on_terminate(closure: u64) {
    if let Some(p) = sched::current() {
        // The closure lives in the heap; keep it alive until the actor ends.
        crate::mem::with_current(|heap| {
            let _ = heap.add_root(closure);
        });
        p.terminate.set(closure);
    }
}

/// The running process's pid (0 outside processes).
pub fn self_pid() -> Pid {
    sched::current().map_or(0, |p| p.pid)
}

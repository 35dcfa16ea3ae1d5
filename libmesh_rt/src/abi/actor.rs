//! Processes, messages, services, timers and jobs (language spec §3.7–3.9, §4.11; stdlib spec
//! §16): thin wrappers over `sched`. Pids are `Int` words (0 is the no-process pid). Message
//! and reply values cross as words with the descriptor of their static type, which tells the
//! copy whether the word is a pointer. Functions marked "suspends" may give up the thread.

use crate::stdlib::option;
use crate::value::string::{alloc_str, as_str};
use crate::{actor, otp, sched};
use mesh_rt_abi::TypeDesc;

/// Starts an actor running `closure` (no arguments; copied into the new process). `name` is a
/// Mesh string naming it in logs (or null). Returns its pid.
///
/// # Safety
/// `closure` must be a live closure object taking no arguments; `name` null or a Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_spawn(closure: *mut u8, name: *mut u8) -> i64 {
    let name = if name.is_null() {
        "actor"
    } else {
        // SAFETY: contract.
        unsafe { as_str(name) }
    };
    actor::spawn(closure as u64, name) as i64
}

/// Sends a copy of `msg` (of static type `desc`) to `pid`; dropped when `pid` is not alive.
///
/// # Safety
/// `desc` must describe `msg`'s type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_send(desc: *mut u8, pid: i64, msg: i64) {
    actor::send(pid as u64, msg as u64, desc as *const TypeDesc);
}

/// The running process's pid.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_self() -> i64 {
    actor::self_pid() as i64
}

/// The deadline of `receive … after ms` (`ms <= 0` polls).
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_receive_deadline(ms: i64) -> i64 {
    sched::deadline_after(ms) as i64
}

/// Suspends until the mailbox has a message at `index` (true) or `deadline` passes (false;
/// a negative deadline, `mesh_rt_abi::receive::NO_DEADLINE`, waits forever). Messages of another type than `desc` are dropped.
///
/// # Safety
/// `desc` must be null or a live descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_receive_wait(
    index: i64,
    deadline: i64,
    desc: *mut u8,
) -> u8 {
    let deadline = (deadline >= 0).then_some(deadline as u64);
    actor::receive_wait(index as usize, deadline, desc as *const TypeDesc) as u8
}

/// As `mesh_rt_receive_wait`, for a receive with `Down { … }` / `Exit { … }` arms: returns
/// the class of the message at `index` (0 of type `desc`, 1 `Down`, 2 `Exit`) or -1 at the
/// deadline; `accept` has bit 0 for Down, 1 for Exit, 2 for messages of type `desc`.
///
/// # Safety
/// `desc` must be null or a live descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_receive_wait_system(
    index: i64,
    deadline: i64,
    desc: *mut u8,
    accept: i64,
) -> i64 {
    let deadline = (deadline >= 0).then_some(deadline as u64);
    actor::receive_wait_system(
        index as usize,
        deadline,
        desc as *const TypeDesc,
        accept as u32,
    )
}

/// The message at `index` as it sits in the mailbox, for matching (valid until taken).
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_receive_peek(index: i64) -> i64 {
    actor::receive_peek(index as usize) as i64
}

/// Removes the message at `index`; returns it copied into the current heap.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_receive_take(index: i64) -> i64 {
    actor::receive_take(index as usize) as i64
}

/// `receive` whose first arm takes any message, without `after`: waits for the first message
/// of type `desc`, removes it and returns it copied into the current heap (one runtime call
/// and one lock round trip instead of wait, peek and take).
///
/// # Safety
/// `desc` must be null or a live descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_receive_next(desc: *mut u8) -> i64 {
    actor::receive_next(desc as *const TypeDesc) as i64
}

/// A service call: sends `msg` and suspends until the reply arrives (copied into this heap).
/// Panics when the service is not running or exits first.
///
/// # Safety
/// `desc` must describe `msg`'s type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_service_call(desc: *mut u8, pid: i64, msg: i64) -> i64 {
    otp::service::call(pid as u64, msg as u64, desc as *const TypeDesc) as i64
}

/// Replies `value` (of type `desc`) to the caller of the request being handled.
///
/// # Safety
/// `desc` must describe `value`'s type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_service_reply(desc: *mut u8, value: i64) {
    otp::service::reply(value as u64, desc as *const TypeDesc);
}

/// `Process.register(name, pid)`: 0 on success, 1 otherwise.
///
/// # Safety
/// `name` must be a Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_process_register(name: *mut u8, pid: i64) -> i64 {
    // SAFETY: contract.
    actor::register(unsafe { as_str(name) }, pid as u64)
}

/// `Process.whereis(name)`: the pid or 0.
///
/// # Safety
/// `name` must be a Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_process_whereis(name: *mut u8) -> i64 {
    // SAFETY: contract.
    actor::whereis(unsafe { as_str(name) }) as i64
}

/// `Process.monitor(pid)`: a reference; a `Down` message follows when `pid` ends.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_process_monitor(pid: i64) -> i64 {
    actor::monitor::monitor(pid as u64) as i64
}

/// `Process.demonitor(ref)`: 0 on success, 1 for an unknown reference.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_process_demonitor(reference: i64) -> i64 {
    actor::monitor::demonitor(reference as u64)
}

/// `Process.trap_exit(on)`: linked processes' ends arrive as `Exit { pid, reason }`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_process_trap_exit(on: u8) {
    actor::monitor::trap_exit(on != 0);
}

/// `Process.exit(status)`: ends the whole program at once with `status` (runtime-cluster §11),
/// after flushing stdout and stderr. Other processes are not run further; no `terminate`
/// clause runs. A status outside 0..=255 is truncated by the OS as usual.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_process_exit(status: i64) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    std::process::exit(status as i32)
}

/// `Process.kill(pid, reason)`: asks `pid` to end abnormally with exit `reason` (links,
/// monitors and supervisors see that reason), acted on at its next suspension or preemption
/// check. An exited or unknown pid is ignored.
///
/// # Safety
/// `reason` must be a Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_process_kill(pid: i64, reason: *mut u8) {
    // SAFETY: contract.
    let reason = unsafe { as_str(reason) }.to_string();
    actor::kill(pid as u64, &reason);
}

/// `link(pid)`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_link(pid: i64) {
    actor::link(pid as u64);
}

/// Registers the running actor's `terminate` clause.
///
/// # Safety
/// `closure` must be a live closure taking no arguments.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_on_terminate(closure: *mut u8) {
    actor::on_terminate(closure as u64);
}

/// `Timer.sleep(ms)`: suspends the calling actor only.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_timer_sleep(ms: i64) {
    actor::sleep(ms);
}

/// `Timer.send_after(pid, ms, msg)`.
///
/// # Safety
/// `desc` must describe `msg`'s type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_timer_send_after(
    desc: *mut u8,
    pid: i64,
    ms: i64,
    msg: i64,
) {
    actor::send_after(pid as u64, ms, msg as u64, desc as *const TypeDesc);
}

/// `Job.async(f)`: runs `f` in a new actor; `desc` is the `Pid<T>` descriptor (item 0: the
/// type of `f`'s result).
///
/// # Safety
/// `closure` must be a live closure taking no arguments; `desc` its result type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_job_async(desc: *mut u8, closure: *mut u8) -> i64 {
    let desc = desc as *const TypeDesc;
    // SAFETY: contract: a live PID descriptor whose item 0 (when present) is T.
    let value_desc = unsafe {
        if desc.is_null() || (*desc).items.is_null() || (*desc).count == 0 {
            std::ptr::null()
        } else {
            *(*desc).items
        }
    };
    otp::job::job_async(closure as u64, value_desc) as i64
}

/// `Job.await(job)`: `Ok(value)` or `Err(reason)` of the result type `desc`. Suspends.
///
/// # Safety
/// `desc` must be the `Result<T, String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_job_await(desc: *mut u8, job: i64) -> *mut u8 {
    // SAFETY: contract.
    unsafe { job_result(desc, otp::job::job_await(job as u64, None)) }
}

/// `Job.await_timeout(job, ms)`: as `mesh_rt_job_await`, `Err("timeout")` after `ms`.
///
/// # Safety
/// `desc` must be the `Result<T, String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_job_await_timeout(
    desc: *mut u8,
    job: i64,
    ms: i64,
) -> *mut u8 {
    let deadline = sched::deadline_after(ms);
    // SAFETY: contract.
    unsafe { job_result(desc, otp::job::job_await(job as u64, Some(deadline))) }
}

/// # Safety
/// `desc` must be a `Result<T, String>` descriptor.
unsafe fn job_result(desc: *mut u8, r: Result<u64, String>) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    // SAFETY: contract.
    unsafe {
        match r {
            Ok(word) => {
                let root = crate::mem::Root::new(word);
                let v = option::ok(desc, root.get());
                drop(root);
                v
            }
            Err(text) => option::err(desc, alloc_str(&text) as u64),
        }
    }
}

/// Called by generated code when the stack pointer is below the thread's limit: a stack
/// overflow crashes the process.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_stack_check() {
    sched::stack_check();
}

/// The display form of a pid, `#PID<0.N>`.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_pid_to_string(pid: i64) -> *mut u8 {
    alloc_str(&sched::pid_text(pid as u64))
}

/// A child of the supervisor being started: `restart` one of `mesh_rt_abi::supervisor`'s
/// `RESTART_*`; `shutdown` in ms, or negative for `brutal_kill`.
///
/// # Safety
/// `name` must be a Mesh string; `start` a closure taking no arguments returning a pid.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_supervisor_child(
    name: *mut u8,
    start: *mut u8,
    restart: i64,
    shutdown: i64,
) {
    use crate::otp::supervisor::{add_child, Restart};
    use mesh_rt_abi::supervisor::{RESTART_TEMPORARY, RESTART_TRANSIENT};
    let restart = match restart {
        RESTART_TRANSIENT => Restart::Transient,
        RESTART_TEMPORARY => Restart::Temporary,
        _ => Restart::Permanent,
    };
    // SAFETY: contract.
    let name = unsafe { as_str(name) };
    add_child(
        name,
        start as u64,
        restart,
        (shutdown >= 0).then_some(shutdown),
    );
}

/// Runs the calling process as the supervisor `name`: `strategy` one of
/// `mesh_rt_abi::supervisor`'s `STRATEGY_*`. Returns only by crashing.
///
/// # Safety
/// `name` must be a Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_supervisor_run(
    name: *mut u8,
    strategy: i64,
    max_restarts: i64,
    max_seconds: i64,
) {
    use crate::otp::supervisor::{run, Strategy};
    use mesh_rt_abi::supervisor::{STRATEGY_ONE_FOR_ALL, STRATEGY_REST_FOR_ONE};
    let strategy = match strategy {
        STRATEGY_ONE_FOR_ALL => Strategy::OneForAll,
        STRATEGY_REST_FOR_ONE => Strategy::RestForOne,
        _ => Strategy::OneForOne,
    };
    // SAFETY: contract.
    run(unsafe { as_str(name) }, strategy, max_restarts, max_seconds);
}

//! How the runtime fails: a Mesh panic ([`panic_with`]) and a broken runtime invariant
//! ([`fatal`]).
//!
//! A leaf module: it imports nothing of the crate, so memory, the scheduler and every layer
//! above can fail without importing the layers above them (the ABI layer re-exports these
//! functions for its own files). The layers that know more install hooks once, when the
//! program starts (`actor::run_main`): one ends just the panicking process instead of the
//! program, one prints the heap statistics on the panic exit.

use std::io::Write;
use std::sync::OnceLock;

/// A Mesh panic unwinding a process: the payload of `resume_unwind`, caught at the process's
/// root frame, which records the message as the exit reason.
pub struct Crash(pub String);

/// Ends the current process instead of the program; returns when there is no process to end
/// (outside the scheduler, or in `main`).
static END_PROCESS: OnceLock<fn(&str)> = OnceLock::new();
/// Runs just before the panic exit (heap statistics).
static AT_EXIT: OnceLock<fn()> = OnceLock::new();

/// Installs the hooks (the first installation wins; later calls do nothing).
pub fn set_hooks(end_process: fn(&str), at_exit: fn()) {
    let _ = END_PROCESS.set(end_process);
    let _ = AT_EXIT.set(at_exit);
}

/// A panic of the running Mesh code: in an actor, ends that actor (see `actor::crash`); in
/// `main` (or outside the scheduler), reports it and exits with status 101 (stdlib spec §0.3).
pub fn panic_with(message: &str) -> ! {
    if let Some(end) = END_PROCESS.get() {
        end(message);
    }
    let _ = std::io::stdout().flush();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "panic: {message}");
    let _ = err.flush();
    drop(err);
    if let Some(at_exit) = AT_EXIT.get() {
        at_exit();
    }
    std::process::exit(101)
}

/// A runtime invariant failed outside Mesh code: report and exit with status 70.
pub fn fatal(message: &str) -> ! {
    let _ = std::io::stdout().flush();
    eprintln!("mesh runtime error: {message}");
    std::process::exit(70)
}

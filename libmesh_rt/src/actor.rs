//! Actors: what Mesh processes do on top of the scheduler (`sched/`), which runs and wakes
//! them.
//!
//! - `table.rs`: the process table (pid → process) and fresh pids and references.
//! - `spawn.rs`: spawning, the main process and program start, crashes, `terminate`.
//! - `mailbox.rs`: send (deep copies), selective receive, delayed messages, sleep.
//! - `links.rs`: links, exit signals (`kill`), watching (supervisors).
//! - `monitor.rs`: monitors (`Down`) and trapping exits (`Exit`).
//! - `registry.rs`: registered names.
//! - `exit.rs`: a process's end, told to everyone concerned.

mod exit;
mod links;
mod mailbox;
pub mod monitor;
mod registry;
pub mod remote;
mod spawn;
mod table;

pub use links::{add_remote_link, kill, link, next_down, remote_exit, unlink, watch};
pub use mailbox::{
    deliver, receive_next, receive_peek, receive_take, receive_wait, receive_wait_system, send,
    send_after, sleep,
};
pub(crate) use mailbox::{deliver_to, envelope, heap_desc};
pub use registry::{register, whereis};
pub(crate) use spawn::spawn_process;
pub use spawn::{
    on_terminate, run_main, run_main_then, self_pid, spawn, spawn_daemon, spawn_native,
    spawn_native_here,
};
pub use table::{lookup, next_ref};

//! Services (language spec §3.8): `call` sends a request and waits for the reply in a slot of
//! the caller (not its mailbox); `reply` fills that slot. A service that exits before
//! replying fails its waiting callers (`actor/exit.rs`).

use crate::actor::{deliver_to, envelope, lookup};
use crate::sched::{current, park, pid_text, wake, Pid};
use mesh_rt_abi::TypeDesc;

/// A service call: sends `msg` to `pid` and waits for the reply, copied into this heap.
/// Panics when the service is not running or exits before replying.
pub fn call(pid: Pid, msg: u64, desc: *const TypeDesc) -> u64 {
    let Some(p) = current() else { return 0 };
    let Some(target) = lookup(pid) else {
        crate::fail::panic_with(&format!(
            "service call to {}: no such process",
            pid_text(pid)
        ));
    };
    let env = envelope(msg, desc, p.pid);
    if !deliver_to(&target, env) {
        drop(target);
        crate::fail::panic_with(&format!(
            "service call to {}: the process has exited",
            pid_text(pid)
        ));
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
            crate::fail::panic_with(&reason);
        }
        park(None);
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

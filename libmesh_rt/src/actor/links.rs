//! Links, exit signals and watching: `link` (crashes propagate both ways), `kill` (an exit
//! signal, acted on at the target's next suspension or preemption point), and `watch` /
//! `next_down`, how supervisors hear of their children's ends.

use super::monitor;
use super::table::lookup;
use crate::sched::{current, now_ns, park, pid_text, wake, Exit, Pid, State};
use std::sync::atomic::Ordering;

/// Links the running process and `pid` (an exit signal if `pid` is not alive).
pub fn link(pid: Pid) {
    let Some(me) = current() else { return };
    if pid == me.pid {
        return;
    }
    if super::remote::is_remote(pid) {
        if me.lock().links.contains(&pid) {
            return;
        }
        let linked = super::remote::hook().map_or(Err("noconnection"), |h| h.link(me.pid, pid));
        match linked {
            Ok(()) => me.lock().links.push(pid),
            Err(reason) if me.lock().trap_exit => monitor::send_exit(me.pid, pid, reason),
            Err(reason) => {
                crate::fail::panic_with(&format!("link to {}: {reason}", pid_text(pid)));
            }
        }
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
            crate::fail::panic_with(&format!("link to {}: noproc", pid_text(pid)));
        }
    }
}

/// Removes the link between the running process and `pid` (both sides).
pub fn unlink(pid: Pid) {
    let Some(me) = current() else { return };
    me.lock().links.retain(|&x| x != pid);
    if let Some(q) = lookup(pid) {
        q.lock().links.retain(|&x| x != me.pid);
    }
}

/// A process of another node links itself to local `local`: false when `local` is gone.
pub fn add_remote_link(local: Pid, remote: Pid) -> bool {
    let Some(q) = lookup(local) else { return false };
    let mut g = q.lock();
    if g.state == State::Done {
        return false;
    }
    if !g.links.contains(&remote) {
        g.links.push(remote);
    }
    true
}

/// `remote`, linked to local `local`, ended with `reason` (or its node was lost:
/// `noconnection`): an `Exit` message when `local` traps exits, else an exit signal for any
/// reason but "normal". `link_only` removes the link without a signal (an unlink).
pub fn remote_exit(local: Pid, remote: Pid, reason: &str, link_only: bool) {
    let Some(q) = lookup(local) else { return };
    let mut g = q.lock();
    let before = g.links.len();
    g.links.retain(|&x| x != remote);
    if link_only || g.links.len() == before || g.state == State::Done {
        return;
    }
    if g.trap_exit {
        drop(g);
        monitor::send_exit(local, remote, reason);
        return;
    }
    if reason != "normal" && g.kill.is_none() && !q.supervisor.load(Ordering::Acquire) {
        g.kill = Some(format!("linked {} crashed: {reason}", pid_text(remote)));
        q.kill_pending.store(true, Ordering::Release);
        wake(&q, &mut g);
    }
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
        park(deadline);
    }
}

//! A process's end, announced by the process itself as the last thing its coroutine does:
//! it leaves the table and its name, its job's owner gets the result, callers waiting on it
//! (as a service) fail, linked processes get an exit signal (or an `Exit` message when they
//! trap exits), monitors get `Down`, and watching supervisors hear of it last.

use super::{monitor, registry, table};
use crate::mem::Fragment;
use crate::sched::{pid_text, wake, Exit, Pid, Process, State};
use std::sync::atomic::Ordering;

/// Announces the end of `p` (running on its own coroutine, about to return) with `exit`.
pub(crate) fn finish(p: &Process, exit: Exit) {
    // SAFETY: only the running process touches its send cache.
    drop(unsafe { (*p.send_cache.get()).take() });
    let (links, mailbox, name, watchers, monitors) = {
        let mut g = p.lock();
        g.state = State::Done;
        (
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
    table::remove(p.pid);
    if let Some(name) = name {
        registry::unregister(&name, p.pid);
    }
    // Callers waiting on this service get an error instead of a reply.
    let failed = || format!("service {} exited: {}", pid_text(p.pid), exit.reason());
    let pending = mailbox.iter().map(|e| e.reply_to).chain([p.caller.get()]);
    for caller in pending.filter(|&c| c != 0) {
        if let Some(q) = table::lookup(caller) {
            let mut g = q.lock();
            g.reply_failed = Some(failed());
            wake(&q, &mut g);
        }
    }
    drop(mailbox);
    for l in links {
        if super::remote::is_remote(l) {
            if let Some(hook) = super::remote::hook() {
                hook.exit(p.pid, l, exit.reason());
            }
            continue;
        }
        if let Some(q) = table::lookup(l) {
            let mut g = q.lock();
            g.links.retain(|&x| x != p.pid);
            if g.trap_exit && g.state != State::Done {
                drop(g);
                monitor::send_exit(q.pid, p.pid, exit.reason());
                continue;
            }
            if let Exit::Crash(reason) = &exit {
                if g.kill.is_none()
                    && g.state != State::Done
                    && !q.supervisor.load(std::sync::atomic::Ordering::Acquire)
                {
                    g.kill = Some(format!("linked {} crashed: {reason}", pid_text(p.pid)));
                    q.kill_pending.store(true, Ordering::Release);
                    wake(&q, &mut g);
                }
            }
        }
    }
    for (reference, watcher) in monitors {
        if super::remote::is_remote(watcher) {
            if let Some(hook) = super::remote::hook() {
                hook.down(watcher, reference, p.pid, exit.reason());
            }
            continue;
        }
        if let Some(q) = table::lookup(watcher) {
            q.lock().monitoring.retain(|&(r, _)| r != reference);
        }
        monitor::send_down(watcher, reference, p.pid, exit.reason());
    }
    // Watchers (supervisors) hear of the end last: the name is free and links have fired
    // by the time they restart anything.
    for w in watchers {
        if let Some(q) = table::lookup(w) {
            let mut g = q.lock();
            g.downs.push_back((p.pid, exit.clone()));
            wake(&q, &mut g);
        }
    }
    // Sends above may have cached a process; drop it so no two processes keep each other.
    // SAFETY: only the running process touches its send cache.
    drop(unsafe { (*p.send_cache.get()).take() });
}

/// Tells a job's owner how the job ended (its value, or the crash reason).
fn job_done(owner: Pid, job: Pid, result: Option<Fragment>, exit: &Exit) {
    let Some(q) = table::lookup(owner) else {
        return;
    };
    let outcome = match (result, exit) {
        (Some(frag), Exit::Normal) => Ok(frag),
        (_, exit) => Err(exit.reason().to_string()),
    };
    let mut g = q.lock();
    g.jobs.insert(job, outcome);
    wake(&q, &mut g);
}

//! Jobs (`Job.async` / `Job.await`): a process computing one value for its owner. The job
//! dies with its owner (a one-way link); its own crash reaches the owner as `Err` from
//! `Job.await`, not as an exit signal. The job's end is told to the owner by
//! `actor/exit.rs`.

use crate::actor::{heap_desc, lookup, self_pid, spawn_process};
use crate::mem::Fragment;
use crate::sched::{current, now_ns, park, Pid};
use mesh_rt_abi::TypeDesc;

/// Starts `closure` (no arguments, returning a value of type `desc`) as a job of the running
/// process; `Job.await` collects its result.
pub fn job_async(closure: u64, desc: *const TypeDesc) -> Pid {
    let owner = self_pid();
    let start = Fragment::from_current(closure, true);
    let heap_value = heap_desc(desc);
    let pid = spawn_process(
        "job",
        |p| p.job.set(Some((owner, None))),
        move |p| {
            let closure = crate::mem::with_slot(|slot| slot.pin(start));
            // SAFETY: the compiler passes a closure taking no arguments.
            let value = unsafe { crate::value::generic::object::call0(closure as *mut u8) };
            p.job.set(Some((
                owner,
                Some(Fragment::from_current(value, heap_value)),
            )));
        },
    );
    if let Some(me) = current() {
        me.lock().links.push(pid);
    }
    pid
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
        park(deadline);
    }
}

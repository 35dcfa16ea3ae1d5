//! Running declared work (runtime-cluster §4.3 step 7, §6.3 recovery): the handler runs in a
//! fresh actor; its return completes the attempt with `execution_node` = this node, its panic
//! rejects it with `declared_work_crashed:<reason>`. The completion of a startup record logs
//! `startup_completed`.

use crate::cluster::record::Phase;
use crate::cluster::startup;

use super::{declared, Kind};

/// Runs the declared handler `runtime_name` for (`request_key`, `attempt_id`) in a fresh actor.
pub fn spawn(request_key: String, attempt_id: String, runtime_name: String) {
    crate::actor::spawn_native("declared work", move || {
        run(&request_key, &attempt_id, &runtime_name)
    });
}

fn run(request_key: &str, attempt_id: &str, runtime_name: &str) {
    let outcome = match declared(runtime_name) {
        Some(d) if d.kind == Kind::Startup && d.entry != 0 => {
            // SAFETY: the compiler registers startup work with a thunk
            // `extern "C-unwind" fn()` (seam A, kind 0).
            let thunk: extern "C-unwind" fn() =
                unsafe { std::mem::transmute::<usize, extern "C-unwind" fn()>(d.entry) };
            std::panic::catch_unwind(|| thunk()).map_err(crash_reason)
        }
        Some(_) => Err("declared work takes arguments".to_string()),
        None => Err("missing_handler_metadata".to_string()),
    };
    let result = match outcome {
        Ok(()) => super::complete(request_key, attempt_id, &super::local_node()),
        Err(reason) => super::reject(
            request_key,
            attempt_id,
            &format!("declared_work_crashed:{reason}"),
        ),
    };
    if let Ok(record) = result {
        if record.is_startup()
            && record.phase == Phase::Completed
            && record.attempt_id() == attempt_id
        {
            super::note(startup::completed(&record));
        }
    }
}

/// The text of a crash: a Mesh panic's message, else the Rust panic's.
fn crash_reason(payload: Box<dyn std::any::Any + Send>) -> String {
    let text = if let Some(c) = payload.downcast_ref::<crate::fail::Crash>() {
        c.0.clone()
    } else if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    };
    // Log values never contain spaces (§9).
    text.replace(char::is_whitespace, "_")
}

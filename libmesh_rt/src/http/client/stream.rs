//! `Http.stream` / `Http.stream_bytes` / `Http.cancel` (stdlib §19): the request runs in a
//! background *process* (the spec says a background thread; a Mesh process is our unit of
//! concurrency and parks on its socket like any other), which hands each body piece (≤ 8 KiB)
//! to the caller's closure until it returns `"stop"`, the body ends, or the handle is
//! cancelled. A request that fails before the body starts runs no callback. Handles are ids in
//! a process-wide table of cancel flags; an id that is not (or no longer) there is inert.

use super::engine::{Exchange, Flow};
use super::request::HttpRequest;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static STREAMS: Mutex<Option<HashMap<u64, Arc<AtomicBool>>>> = Mutex::new(None);

fn with_streams<R>(f: impl FnOnce(&mut HashMap<u64, Arc<AtomicBool>>) -> R) -> R {
    let mut guard = STREAMS.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(HashMap::new))
}

/// A new handle: its id and its cancel flag.
pub fn register() -> (u64, Arc<AtomicBool>) {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let flag = Arc::new(AtomicBool::new(false));
    with_streams(|streams| streams.insert(id, flag.clone()));
    (id, flag)
}

/// `Http.cancel(h)`: the stream stops before its next chunk; nothing for an inert or
/// finished handle.
pub fn cancel(id: u64) {
    if let Some(flag) = with_streams(|streams| streams.remove(&id)) {
        flag.store(true, Ordering::SeqCst);
    }
}

/// Runs the stream of `req` in the calling process: `deliver` gets each body piece until it
/// says `Stop` or `cancelled` is set. The handle is forgotten at the end.
pub fn run(
    id: u64,
    cancelled: &AtomicBool,
    req: &HttpRequest,
    deliver: &mut dyn FnMut(Vec<u8>) -> Flow,
) {
    if let Ok(exchange) = Exchange::new(req, false) {
        if let Ok(mut conn) = exchange.connect() {
            let _ = exchange.run(&mut conn, &mut |_| {}, &mut |piece| {
                if cancelled.load(Ordering::SeqCst) {
                    return Flow::Stop;
                }
                deliver(piece)
            });
        }
    }
    with_streams(|streams| streams.remove(&id));
}

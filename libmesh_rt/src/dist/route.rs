//! `ROUTE_CALL` / `ROUTE_REPLY` over the existing authenticated session (runtime-cluster §3.5,
//! §7 step 4). The ingress's request process calls [`call`]: the frame is queued on the
//! owner's session under a fresh request id and the process parks until the reply, the
//! 5 000 ms deadline or the loss of that session. On the owner, [`received`] runs each call in
//! a fresh process (the session's reader never waits on a handler) through the hook the HTTP
//! layer installs ([`set_server`]), and queues the reply on the session of the calling peer.
//! Payloads: `cluster::route::wire`.

use super::frame::{kind, FrameError};
use super::node::node;
use super::session::Session;
use crate::cluster::route::wire::{Outcome, RouteCall, RouteReply};
use crate::cluster::route::{self, CALL_TIMEOUT_MS};
use crate::sched;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::Waker;
use std::time::{Duration, Instant};

/// Runs one call on this node (the owner) and answers it.
pub type Server = fn(RouteCall) -> RouteReply;

static SERVER: OnceLock<Server> = OnceLock::new();

/// Installs what runs incoming calls (the first installation wins).
pub fn set_server(server: Server) {
    let _ = SERVER.set(server);
}

struct Waiting {
    reply: Option<RouteReply>,
    waker: Waker,
}

fn pending() -> &'static Mutex<HashMap<u64, Waiting>> {
    static PENDING: OnceLock<Mutex<HashMap<u64, Waiting>>> = OnceLock::new();
    PENDING.get_or_init(Mutex::default)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// How often a waiting call checks that the owner's session is still the live one.
const LIVENESS_CHECK_MS: u64 = 200;

fn live_session(peer: &str) -> Option<Arc<Session>> {
    node()?.state().sessions.get(peer).cloned()
}

/// Sends `call` to `owner` and waits for its reply: `Err(reason)` with
/// `clustered_route_owner_unavailable:<owner>` when there is no session or it is lost while
/// waiting, `clustered_route_timeout` after 5 000 ms. Must run in a process.
pub fn call(owner: &str, mut call: RouteCall) -> Result<RouteReply, String> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let unavailable = || route::owner_unavailable(owner);
    let session = live_session(owner).ok_or_else(unavailable)?;
    let waker = sched::current_waker().ok_or_else(unavailable)?;
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    call.request_id = id;
    lock(pending()).insert(id, Waiting { reply: None, waker });
    session.send(kind::ROUTE_CALL, call.encode());
    let deadline = Instant::now() + Duration::from_millis(CALL_TIMEOUT_MS);
    let result = loop {
        if let Some(reply) = lock(pending()).get_mut(&id).and_then(|w| w.reply.take()) {
            break Ok(reply);
        }
        let still = live_session(owner).is_some_and(|s| Arc::ptr_eq(&s, &session));
        if !still {
            break Err(unavailable());
        }
        let now = Instant::now();
        if now >= deadline {
            break Err(route::TIMEOUT.to_string());
        }
        let wait = (deadline - now)
            .as_millis()
            .min(u128::from(LIVENESS_CHECK_MS)) as i64;
        sched::park(Some(sched::deadline_after(wait.max(1))));
    };
    lock(pending()).remove(&id);
    result
}

/// A `ROUTE_CALL` or `ROUTE_REPLY` read from `session`.
pub fn received(session: &Arc<Session>, k: u8, payload: &[u8]) -> Result<(), FrameError> {
    if k == kind::ROUTE_REPLY {
        let reply = RouteReply::decode(payload)?;
        if let Some(w) = lock(pending()).get_mut(&reply.request_id) {
            w.reply = Some(reply);
            w.waker.wake_by_ref();
        }
        return Ok(());
    }
    let call = RouteCall::decode(payload)?;
    let peer = session.peer.clone();
    crate::actor::spawn_native("clustered route call", move || {
        let request_id = call.request_id;
        let reply = match SERVER.get() {
            Some(server) => server(call),
            None => RouteReply {
                request_id,
                attempt_id: String::new(),
                outcome: Outcome::Rejected(route::not_registered(&call.runtime_name)),
            },
        };
        let reply = RouteReply {
            request_id,
            ..reply
        };
        if let Some(session) = live_session(&peer) {
            session.send(kind::ROUTE_REPLY, reply.encode());
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_to_a_node_without_a_session_fails_at_once() {
        let call = RouteCall {
            request_id: 0,
            runtime_name: "M.f".into(),
            request_key: "http-route::M.f::1-1".into(),
            count: 1,
            ingress: "a@127.0.0.1:4370".into(),
            replica: String::new(),
            payload_hash: String::new(),
            request: Vec::new(),
        };
        assert_eq!(
            super::call("b@[::1]:4370", call),
            Err("clustered_route_owner_unavailable:b@[::1]:4370".to_string())
        );
        assert!(lock(pending()).is_empty(), "nothing left waiting");
    }
}

//! Simultaneous dials without a spurious node loss (runtime-cluster §3.2, §3.4).
//!
//! When two nodes dial each other at once, each side keeps the connection the lower-named node
//! initiated and closes the other. A side can register the losing connection first (its own
//! handshake finished before the winner's) and then read its close: that is no node loss, but
//! it used to be logged as `disconnected` and `connected` again, with `:nodedown`/`:nodeup`
//! and the node-loss effects in between. So a session closed by its peer while another
//! handshake with the same peer is under way is *deferred*: it leaves the table, and its loss
//! is announced only if that handshake ends without a new session; a session of the same
//! incarnation registered meanwhile takes its place silently (`session::start_session`).
//!
//! Lock order: the node's state, then `DEFERRED`; `HANDSHAKES` is never held with another.

use super::node::node;
use super::session::{lost_effects, Session};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

fn handshakes() -> MutexGuard<'static, HashMap<String, usize>> {
    static H: OnceLock<Mutex<HashMap<String, usize>>> = OnceLock::new();
    H.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn deferred() -> MutexGuard<'static, HashMap<String, Arc<Session>>> {
    static D: OnceLock<Mutex<HashMap<String, Arc<Session>>>> = OnceLock::new();
    D.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// A handshake with `peer` under way (from the moment its name is known to the end of the
/// handshake, registration included).
pub struct Handshaking(String);

impl Handshaking {
    pub fn new(peer: &str) -> Handshaking {
        *handshakes().entry(peer.to_string()).or_insert(0) += 1;
        Handshaking(peer.to_string())
    }
}

impl Drop for Handshaking {
    fn drop(&mut self) {
        {
            let mut h = handshakes();
            match h.get_mut(&self.0) {
                Some(n) if *n > 1 => *n -= 1,
                _ => {
                    h.remove(&self.0);
                }
            }
        }
        let Some(me) = node() else { return };
        let old = {
            let st = me.state();
            if st.sessions.contains_key(&self.0) || handshakes().contains_key(&self.0) {
                return;
            }
            deferred().remove(&self.0)
        };
        if let Some(old) = old {
            lost_effects(me, &old, "closed");
        }
    }
}

/// Called with the node's state locked, for a live session that its peer closed (already out
/// of the table): true when its loss waits for a handshake with the same peer.
pub fn defer_loss(session: &Arc<Session>) -> bool {
    if !handshakes().contains_key(&session.peer) {
        return false;
    }
    deferred().insert(session.peer.clone(), Arc::clone(session));
    true
}

/// Called with the node's state locked when a session with `peer` registers: the deferred
/// session it replaces, if any.
pub fn take_deferred(peer: &str) -> Option<Arc<Session>> {
    deferred().remove(peer)
}

//! The continuity layer on the node transport (`dist/session.rs` calls these): a `node`
//! session registered → `PeerUp` (the core answers with the session-start frames), each
//! continuity frame read → `Message`, a session lost → `PeerDown`; and the frames the core
//! sends. Frames to a peer with no session are dropped (the core treats that peer as lost or
//! about to be).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::cluster::node::{Input, Message};
use crate::cluster::record::{Authority, Role};
use crate::dist::frame::{kind, FrameError};
use crate::dist::session::Session;

use super::{actor, wire};

/// A fresh `node` session with `session.peer` is registered (before its reader runs, so the
/// peer is known before its first frame). The session-start frames (§3.3) follow from the
/// core's answer.
pub fn session_started(session: &Arc<Session>) {
    actor::get().push(Input::PeerUp {
        peer: session.peer.clone(),
    });
}

/// The session with `peer` was lost (§3.4), after its other effects.
pub fn session_lost(peer: &str, reason: &str) {
    actor::get().push(Input::PeerDown {
        peer: peer.to_string(),
        reason: reason.to_string(),
    });
}

/// A continuity frame (`AUTHORITY`, `CONTINUITY_*`, `SYNC_DONE`) read from `session`.
pub fn received(session: &Arc<Session>, k: u8, payload: &[u8]) -> Result<(), FrameError> {
    let Some(message) = wire::decode(k, payload)? else {
        return Ok(());
    };
    match &message {
        Message::Authority(a) => {
            let role = match a.role {
                Role::Primary => 0,
                Role::Standby => 1,
            };
            *session
                .peer_authority
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some((role, a.epoch));
        }
        Message::SyncDone => session.converged.store(true, Ordering::SeqCst),
        _ => {}
    }
    actor::get().push(Input::Message {
        from: session.peer.clone(),
        message,
    });
    Ok(())
}

/// Sends `message` to `to`'s live session, if any.
pub fn send(to: &str, message: &Message) {
    let Some(session) = session_of(to) else {
        return;
    };
    let (k, payload) = wire::encode(message);
    session.send(k, payload);
}

/// `PEER_LIST` and `GLOBAL_SYNC`, between `AUTHORITY` and `CONTINUITY_SYNC` at session start.
pub fn send_membership_frames(to: &str) {
    let (Some(me), Some(session)) = (crate::dist::node::node(), session_of(to)) else {
        return;
    };
    session.send(kind::PEER_LIST, crate::dist::session::peer_list(me, to));
    session.send(kind::GLOBAL_SYNC, crate::dist::global::sync_payload());
}

/// Keeps the transport's copy of this node's authority (its listening line, `Node.*`) equal
/// to the core's.
pub fn publish_authority(authority: Authority) {
    let Some(me) = crate::dist::node::node() else {
        return;
    };
    let role = match authority.role {
        Role::Primary => crate::dist::env::Role::Primary,
        Role::Standby => crate::dist::env::Role::Standby,
    };
    *me.authority.lock().unwrap_or_else(|e| e.into_inner()) = (role, authority.epoch);
}

fn session_of(peer: &str) -> Option<Arc<Session>> {
    crate::dist::node::node()?
        .state()
        .sessions
        .get(peer)
        .cloned()
}

//! Remote messages in mailboxes. The transport cannot know the type a receive expects, so a
//! message from another node waits in its receiver's mailbox as its bytes (one `KIND_BYTES`
//! object: the sending peer's name, then the wire form), under the descriptor `REMOTE`; the
//! receive that reaches it (`actor/mailbox.rs`) decodes it by its own message type, on the
//! receiver's heap and outside the process's lock, and the envelope becomes an ordinary one,
//! or drops it with `mesh node: dropped message from <peer>: <reason>`.

use super::decode::decode_fragment;
use crate::mem::Fragment;
use crate::sched::Envelope;
use crate::value::string;
use mesh_rt_abi::{StrRef, TypeDesc, UserFns};

/// A descriptor in a `static` (raw pointers are not `Sync` by default).
struct StaticDesc(TypeDesc);

// SAFETY: the wrapped descriptor is immutable and points only to static data.
unsafe impl Sync for StaticDesc {}

const REMOTE_NAME: &str = "<remote message>";

/// The descriptor of an envelope holding undecoded remote bytes.
static REMOTE: StaticDesc = StaticDesc(TypeDesc {
    kind: mesh_rt_abi::layout::TY_OPAQUE,
    count: 0,
    name: StrRef {
        ptr: REMOTE_NAME.as_ptr(),
        len: REMOTE_NAME.len() as u64,
    },
    items: std::ptr::null(),
    names: std::ptr::null(),
    user: UserFns::NONE,
});

/// A mailbox envelope holding the message `bytes` (a whole wire message, `encode`'s output)
/// that arrived from the node named `peer`; deliver it with `actor::mailbox::deliver(pid,
/// envelope)`. `reply_to` is the caller for a service call (0 for a plain send).
pub fn remote_envelope(peer: &str, bytes: &[u8], reply_to: crate::sched::Pid) -> Envelope {
    let peer = &peer.as_bytes()[..peer.len().min(u16::MAX as usize)];
    let len = (peer.len() as u16).to_be_bytes();
    Envelope {
        frag: Fragment::from_bytes(&[&len, peer, bytes]),
        desc: &REMOTE.0,
        reply_to,
    }
}

/// Whether an envelope of descriptor `desc` holds undecoded remote bytes.
pub fn is_remote(desc: *const TypeDesc) -> bool {
    std::ptr::eq(desc, &REMOTE.0)
}

/// The sending peer's name and the wire message of the remote envelope word `word`.
///
/// # Safety
/// `word` is the word of an envelope for which `is_remote` holds, alive while the result is.
unsafe fn parts<'a>(word: u64) -> (&'a [u8], &'a [u8]) {
    // SAFETY: the word of a remote envelope is its KIND_BYTES object (contract).
    let blob = unsafe { string::bytes(word as *const u8) };
    match blob {
        [a, b, rest @ ..] => {
            let n = usize::from(u16::from_be_bytes([*a, *b])).min(rest.len());
            rest.split_at(n)
        }
        _ => (&[][..], blob),
    }
}

fn dropped(peer: &[u8], e: impl std::fmt::Display) -> String {
    format!(
        "mesh node: dropped message from {}: {e}",
        String::from_utf8_lossy(peer)
    )
}

/// Decodes the remote message `word` (the word of an envelope for which `is_remote` holds,
/// alive while this runs) by the receive's message type `desc`, into a new fragment; or the
/// log line saying why it was dropped. Runs Mesh code for user `Hash`/`Eq` of map keys: call
/// it holding no lock.
///
/// # Safety
/// `word` as above; `desc` null or a live descriptor.
pub unsafe fn decode_remote(word: u64, desc: *const TypeDesc) -> Result<Fragment, String> {
    // SAFETY: forwarded contract.
    let (peer, bytes) = unsafe { parts(word) };
    // SAFETY: forwarded contract.
    unsafe { decode_fragment(bytes, desc) }.map_err(|e| dropped(peer, e))
}

/// As [`decode_remote`], the value built straight in the current process's heap (for the
/// receive that takes the message at once: no fragment in between). Keep the returned word
/// in a local before the next allocation.
///
/// # Safety
/// As for [`decode_remote`].
pub unsafe fn decode_remote_here(word: u64, desc: *const TypeDesc) -> Result<u64, String> {
    // SAFETY: forwarded contract.
    let (peer, bytes) = unsafe { parts(word) };
    // SAFETY: forwarded contract.
    unsafe { super::decode::decode(bytes, desc) }.map_err(|e| dropped(peer, e))
}

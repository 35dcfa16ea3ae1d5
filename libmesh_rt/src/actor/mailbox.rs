//! Messages: `send` (a deep copy into the receiver's mailbox), selective `receive` (arms are
//! tested on messages where they sit; the matching one is taken and copied in), delayed
//! messages and `Timer.sleep`.
//!
//! A receive that finds nothing says so under the process's lock (`on_message`) in the same
//! critical section as its look at the mailbox, then parks: a delivery after the look wakes
//! it (`sched::wake`), so no message is missed.

use super::table::lookup;
use crate::dist::codec::is_remote;
use crate::mem::Fragment;
use crate::sched::process::Inner;
use crate::sched::{self, current, deadline_after, now_ns, park, wake, Envelope, Pid, Process};
use mesh_rt_abi::TypeDesc;
use std::sync::{Arc, MutexGuard};

/// Puts an envelope in `pid`'s mailbox (dropped when there is no such process).
pub fn deliver(pid: Pid, env: Envelope) {
    let Some(me) = current() else {
        if let Some(p) = lookup(pid) {
            deliver_to(&p, env);
        }
        return;
    };
    // SAFETY: only the running process touches its send cache.
    let cache = unsafe { &mut *me.send_cache.get() };
    if let Some(p) = cache.as_ref().filter(|p| p.pid == pid) {
        deliver_to(p, env);
        return;
    }
    let Some(p) = lookup(pid) else { return };
    deliver_to(&p, env);
    *cache = Some(p);
}

/// Puts an envelope in `p`'s mailbox and wakes it if it waits for a message. Returns false
/// (dropping the envelope) when `p` has ended.
pub(crate) fn deliver_to(p: &Arc<Process>, env: Envelope) -> bool {
    let mut g = p.lock();
    if g.state == sched::State::Done {
        return false;
    }
    g.mailbox.push_back(env);
    if g.on_message {
        wake(p, &mut g);
    }
    true
}

/// Copies `msg` (of static type `desc`) into `pid`'s mailbox.
pub fn send(pid: Pid, msg: u64, desc: *const TypeDesc) {
    if pid == 0 {
        return;
    }
    if super::remote::is_remote(pid) {
        if let Some(hook) = super::remote::hook() {
            hook.send(pid, msg, desc);
        }
        return;
    }
    let env = envelope(msg, desc, 0);
    deliver(pid, env);
}

/// An envelope holding a copy of `msg` (a value of the current heap of static type `desc`).
pub(crate) fn envelope(msg: u64, desc: *const TypeDesc, reply_to: Pid) -> Envelope {
    Envelope {
        frag: Fragment::from_current(msg, heap_desc(desc)),
        desc,
        reply_to,
    }
}

/// Whether values of the type `desc` are heap pointers (descriptors come from generated code
/// as live constants; null means "not a pointer").
pub(crate) fn heap_desc(desc: *const TypeDesc) -> bool {
    // SAFETY: non-null descriptors passed by generated code are live constants.
    !desc.is_null() && mesh_rt_abi::layout::is_heap_kind(unsafe { (*desc).kind })
}

/// Waits until the mailbox holds a message at `index` whose type is `desc` (messages of
/// another type, sent through an untyped pid, are dropped with a log line), or until
/// `deadline` (ns since the epoch; `None`: forever). Returns whether there is one.
pub fn receive_wait(index: usize, deadline: Option<u64>, desc: *const TypeDesc) -> bool {
    let Some(p) = current() else {
        return false;
    };
    loop {
        let mut g = drop_mistyped(p, index, desc);
        if let Some(env) = g.mailbox.get(index) {
            p.peeked.set(Some((index, env.frag.word())));
            return true;
        }
        if deadline.is_some_and(|d| d <= now_ns()) {
            return false;
        }
        g.on_message = true;
        drop(g);
        park(deadline);
    }
}

/// As `receive_wait`, for a receive with `Down { … }` / `Exit { … }` arms besides (or
/// instead of) arms of the process's message type `desc` (stdlib §16.2). `accept` says which
/// messages its arms take: bit 0 `Down`, bit 1 `Exit`, bit 2 messages of type `desc`; others
/// are dropped with a log line. Returns the class of the message at `index` (0 of type
/// `desc`, 1 `Down`, 2 `Exit`), or -1 at the deadline.
pub fn receive_wait_system(
    index: usize,
    deadline: Option<u64>,
    desc: *const TypeDesc,
    accept: u32,
) -> i64 {
    let Some(p) = current() else {
        return -1;
    };
    loop {
        let mut g = p.lock();
        while let Some(env) = g.mailbox.get(index) {
            if is_remote(env.desc) {
                g = decode_remote_at(p, g, index, desc);
                continue;
            }
            let class = super::monitor::system_class(env.desc);
            let wanted = match class {
                0 => accept & 4 != 0 && desc_compatible(env.desc, desc),
                c => accept & (1 << (c - 1)) != 0,
            };
            if wanted {
                p.peeked.set(Some((index, env.frag.word())));
                return i64::from(class);
            }
            let _ = g.mailbox.remove(index);
            eprintln!(
                "[mesh-rt] actor {} dropped a message of another type than its receive expects",
                p.label()
            );
        }
        if deadline.is_some_and(|d| d <= now_ns()) {
            return -1;
        }
        g.on_message = true;
        drop(g);
        park(deadline);
    }
}

/// Drops the messages from `index` on that are not of type `desc` (sent through an untyped
/// pid), with a log line each, decoding remote ones by `desc` first; returns the process's
/// lock.
fn drop_mistyped(p: &Process, index: usize, desc: *const TypeDesc) -> MutexGuard<'_, Inner> {
    let mut g = p.lock();
    while let Some(env) = g.mailbox.get(index) {
        if is_remote(env.desc) {
            g = decode_remote_at(p, g, index, desc);
        } else if desc_compatible(env.desc, desc) {
            break;
        } else {
            let _ = g.mailbox.remove(index);
            eprintln!(
                "[mesh-rt] actor {} dropped a message of another type than its receive expects",
                p.label()
            );
        }
    }
    g
}

/// Decodes the remote message at `index` (`dist::codec`: it waits as its bytes) by the
/// receive's type `desc`, outside the lock (decoding may run Mesh code), then puts the value
/// in its place or drops it with its log line. Only this process removes messages, so the
/// envelope stays at `index` meanwhile.
fn decode_remote_at<'a>(
    p: &'a Process,
    g: MutexGuard<'a, Inner>,
    index: usize,
    desc: *const TypeDesc,
) -> MutexGuard<'a, Inner> {
    let Some(word) = g.mailbox.get(index).map(|env| env.frag.word()) else {
        return g;
    };
    drop(g);
    // SAFETY: the envelope stays in the mailbox meanwhile; `desc` comes from generated code.
    let decoded = unsafe { crate::dist::codec::decode_remote(word, desc) };
    let mut g = p.lock();
    match decoded {
        Ok(frag) => {
            if let Some(env) = g.mailbox.get_mut(index) {
                env.frag = frag;
                env.desc = desc;
            }
        }
        Err(line) => {
            let _ = g.mailbox.remove(index);
            eprintln!("{line}");
        }
    }
    g
}

/// Takes a remote message at the front of `p`'s mailbox and decodes it straight into the
/// heap by `desc`: the value the receive returns (no fragment in between), or `None` when
/// the front is no remote message. One that does not decode is dropped with its log line
/// (as `drop_mistyped` would) and the next is tried.
fn take_remote_front(p: &Process, desc: *const TypeDesc) -> Option<u64> {
    loop {
        let env = {
            let mut g = p.lock();
            match g.mailbox.front() {
                Some(env) if is_remote(env.desc) => g.mailbox.pop_front()?,
                _ => return None,
            }
        };
        // SAFETY: the envelope (and its bytes) is owned here; `desc` comes from generated
        // code.
        match unsafe { crate::dist::codec::decode_remote_here(env.frag.word(), desc) } {
            Ok(word) => {
                p.peeked.set(None);
                p.caller.set(env.reply_to);
                return Some(word);
            }
            Err(line) => eprintln!("{line}"),
        }
    }
}

/// Waits for the first message of type `desc` (dropping others, as `receive_wait` does),
/// removes it and returns it copied into the process's heap.
pub fn receive_next(desc: *const TypeDesc) -> u64 {
    let Some(p) = current() else { return 0 };
    loop {
        if let Some(word) = take_remote_front(p, desc) {
            return word;
        }
        let mut g = drop_mistyped(p, 0, desc);
        if let Some(env) = g.mailbox.pop_front() {
            drop(g);
            p.peeked.set(None);
            p.caller.set(env.reply_to);
            return env.frag.adopt();
        }
        g.on_message = true;
        drop(g);
        park(None);
    }
}

/// The message at `index` as it sits in its envelope (valid until it is taken).
pub fn receive_peek(index: usize) -> u64 {
    current().map_or(0, |p| match p.peeked.get() {
        Some((i, word)) if i == index => word,
        _ => p.lock().mailbox.get(index).map_or(0, |e| e.frag.word()),
    })
}

/// Removes the message at `index` and returns it copied into the process's heap.
pub fn receive_take(index: usize) -> u64 {
    let Some(p) = current() else { return 0 };
    p.peeked.set(None);
    let env = {
        let mut g = p.lock();
        if index == 0 {
            g.mailbox.pop_front()
        } else {
            g.mailbox.remove(index)
        }
    };
    match env {
        Some(env) => {
            p.caller.set(env.reply_to);
            env.frag.adopt()
        }
        None => 0,
    }
}

/// Pauses the running process for `ms` milliseconds.
pub fn sleep(ms: i64) {
    if ms <= 0 {
        return;
    }
    let deadline = deadline_after(ms);
    while now_ns() < deadline {
        park(Some(deadline));
    }
}

/// Delivers `msg` to `pid` after `ms` milliseconds.
pub fn send_after(pid: Pid, ms: i64, msg: u64, desc: *const TypeDesc) {
    let env = envelope(msg, desc, 0);
    sched::run_at(deadline_after(ms), move || deliver(pid, env));
}

/// Whether a message of type `sent` may be matched by a receive expecting `expected` (equal
/// descriptors, or structurally equal ones).
pub(crate) fn desc_compatible(sent: *const TypeDesc, expected: *const TypeDesc) -> bool {
    if sent.is_null() || expected.is_null() || sent == expected {
        return true;
    }
    // SAFETY: both are live constant descriptors.
    unsafe { desc_eq(sent, expected, &mut Vec::new()) }
}

/// How deep `desc_eq` compares before it gives up and calls the descriptors different.
const DESC_EQ_DEPTH: usize = 64;

/// Structural equality of two descriptors. `open` holds the pairs being compared further up:
/// meeting one again is a recursive type, equal so far. Past `DESC_EQ_DEPTH` it fails closed
/// (a deep mistyped message is dropped, never misread).
///
/// # Safety
/// `a` and `b` must be live descriptors.
unsafe fn desc_eq(
    a: *const TypeDesc,
    b: *const TypeDesc,
    open: &mut Vec<(*const TypeDesc, *const TypeDesc)>,
) -> bool {
    if a == b || open.contains(&(a, b)) {
        return true;
    }
    if open.len() >= DESC_EQ_DEPTH {
        return false;
    }
    let pair = (a, b);
    // SAFETY: contract.
    let (a, b) = unsafe { (&*a, &*b) };
    if a.kind != b.kind || a.count != b.count {
        return false;
    }
    // SAFETY: names are (ptr, len) views of constant bytes.
    let name = |d: &TypeDesc| unsafe {
        if d.name.ptr.is_null() {
            &[][..]
        } else {
            std::slice::from_raw_parts(d.name.ptr, d.name.len as usize)
        }
    };
    if name(a) != name(b) {
        return false;
    }
    if a.items.is_null() || b.items.is_null() {
        return a.items.is_null() == b.items.is_null();
    }
    open.push(pair);
    let equal = (0..a.count as usize).all(|i| {
        // SAFETY: both have `count` items.
        unsafe { desc_eq(*a.items.add(i), *b.items.add(i), open) }
    });
    open.pop();
    equal
}

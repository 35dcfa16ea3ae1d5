//! `Node.spawn` / `Node.spawn_link` (stdlib §17.1) over `SPAWN` / `SPAWN_REPLY`
//! (runtime-cluster §3.5).
//!
//! **The function table.** A function crosses by name: codegen emits one entry per function a
//! program spawns on other nodes (`SpawnEntry`: the target's name, the code of the closure
//! that calls it, the descriptor of its arguments as a tuple, their count) and the C `main`
//! hands the table to `mesh_rt_spawn_table` before the program starts. Both nodes run the same
//! build, so the receiver finds the name in its own table and rebuilds the arguments by its own
//! descriptor (the codec's fingerprint check refuses arguments of other types).
//!
//! **Caller.** `request` encodes the argument tuple (a closure or resource handle among them
//! panics the caller with the §3.6 text, nothing is sent), registers a pending request, sends
//! `SPAWN` (request id, name, link flag, requester pid, arguments) and parks until the reply,
//! the loss of that session (`node_lost`) or nothing: a pending request keeps the program
//! running (`busy`). Every failure panics the caller with `Node.spawn on <node> failed:
//! <reason>` (`Node.spawn_link …` for the linked form).
//!
//! **Receiver.** On `SPAWN` the session's reader looks the name up and checks the arguments'
//! header; then it starts a process whose setup (before it can run) records the link and
//! queues `SPAWN_REPLY` with its pid, so the reply precedes any `EXIT` of that process on
//! the session. The process decodes its arguments on its own heap (a user `Hash`/`Eq` may
//! run), builds the closure and calls it; arguments that fail to decode end it with a panic.
//!
//! **Reply.** The caller's reader handles `SPAWN_REPLY`: for `spawn_link` it records the
//! link on the caller's side at once (later `EXIT` frames of the same session find it), or,
//! if the caller has ended meanwhile, answers with an `EXIT` (`noproc`) so the new process
//! does not stay linked to nothing.

use super::codec;
use super::frame::{kind, FrameError, Rd, Wr};
use super::node::node;
use super::remote::{get_pid, note_link, put_pid};
use super::session::Session;
use crate::actor;
use crate::sched::{self, Pid, Process};
use crate::value::generic::object;
use mesh_rt_abi::{layout, StrRef, TypeDesc};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// One row of the function table codegen emits (`meshc/codegen/src/emit/spawn_table.rs`
/// writes exactly this layout).
#[repr(C)]
pub struct SpawnEntry {
    /// The spawned function's name (`Main.worker`; generic instances add their types).
    pub name: StrRef,
    /// Closure code: takes a closure whose captures are the arguments, calls the function.
    pub code: *const (),
    /// The arguments as one tuple type.
    pub args: *const TypeDesc,
    /// How many arguments.
    pub count: u64,
}

const _: () = assert!(std::mem::size_of::<SpawnEntry>() == 40);

struct Table(HashMap<&'static str, &'static SpawnEntry>);
// SAFETY: the entries are immutable compiler constants (code and descriptor pointers).
unsafe impl Sync for Table {}
// SAFETY: as above.
unsafe impl Send for Table {}

static TABLE: OnceLock<Table> = OnceLock::new();

/// Installs the program's function table (once, before the program starts).
///
/// # Safety
/// `entries` must point to `count` entries that live as long as the program (constant data).
pub unsafe fn install_table(entries: *const SpawnEntry, count: usize) {
    let mut map = HashMap::new();
    if !entries.is_null() {
        // SAFETY: contract.
        let rows = unsafe { std::slice::from_raw_parts(entries, count) };
        for row in rows {
            map.insert(entry_name(row), row);
        }
    }
    let _ = TABLE.set(Table(map));
}

fn entry(name: &str) -> Option<&'static SpawnEntry> {
    TABLE.get().and_then(|t| t.0.get(name).copied())
}

/// Status of a `SPAWN_REPLY`.
mod status {
    pub const OK: u8 = 0;
    pub const UNKNOWN_FUNCTION: u8 = 1;
    pub const BAD_ARGUMENTS: u8 = 2;
}

/// A request waiting for its reply: the caller parks on `result`.
struct Slot {
    caller: Arc<Process>,
    result: Mutex<Option<Result<Pid, String>>>,
}

struct Pending {
    slot: Arc<Slot>,
    /// The node slot of the session the request went out on (its loss fails the request).
    node: u16,
    link: bool,
}

fn pending() -> MutexGuard<'static, HashMap<u64, Pending>> {
    static P: OnceLock<Mutex<HashMap<u64, Pending>>> = OnceLock::new();
    P.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Ends a pending request with `result` and wakes its caller.
fn resolve(p: Pending, result: Result<Pid, String>) {
    *p.slot.result.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    sched::wake_process(&p.slot.caller);
    sched::busy_sub(1);
}

/// `Node.spawn(node, f, args…)` / `Node.spawn_link`: `args` is the argument tuple (a value
/// of the current heap whose header names its descriptor), `name` the table key. Returns
/// the new process's pid or panics the caller with the reason.
///
/// # Safety
/// `args` must be a live tuple object of the current heap; `name` the key of a table entry
/// whose argument descriptor is `args`'s.
pub unsafe fn request(node_name: &str, args: u64, name: &str, link: bool) -> Pid {
    let what = if link {
        "Node.spawn_link"
    } else {
        "Node.spawn"
    };
    let fail = |reason: &str| -> ! {
        crate::fail::panic_with(&format!("{what} on {node_name} failed: {reason}"))
    };
    let Some(me) = node() else {
        fail("this node is not started (Node.start or Node.start_from_env first)")
    };
    let Some(caller) = sched::current_arc() else {
        fail("not called from a process")
    };
    let Some(entry) = entry(name) else {
        fail(&format!("{name} is not in this program's function table"))
    };
    if node_name == me.name {
        return spawn_here(entry, args, &caller, link);
    }
    // SAFETY: contract: the entry's descriptor describes `args`.
    let bytes = match unsafe { codec::encode_message(args, entry.args) } {
        Ok(b) => b,
        Err(e) => crate::fail::panic_with(&e.panic_text()),
    };
    let Some(session) = me.state().sessions.get(node_name).cloned() else {
        fail("not connected to that node")
    };
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let slot = Arc::new(Slot {
        caller: Arc::clone(&caller),
        result: Mutex::new(None),
    });
    sched::busy_add(1);
    pending().insert(
        id,
        Pending {
            slot: Arc::clone(&slot),
            node: session.slot,
            link,
        },
    );
    // Lost meanwhile: `node_lost` ran before the request was registered.
    let live = me
        .state()
        .sessions
        .get(node_name)
        .is_some_and(|s| Arc::ptr_eq(s, &session));
    if !live {
        if let Some(p) = pending().remove(&id) {
            resolve(p, Err("the connection was lost before the reply".into()));
        }
    } else {
        let mut w = Wr::new().u64(id).str(name).u8(u8::from(link));
        w = put_pid(w, caller.pid);
        let mut payload = w.0;
        payload.extend_from_slice(&bytes);
        session.send(kind::SPAWN, payload);
    }
    loop {
        let result = slot.result.lock().unwrap_or_else(|e| e.into_inner()).take();
        match result {
            Some(Ok(pid)) => return pid,
            Some(Err(reason)) => fail(&reason),
            None => sched::park(None),
        }
    }
}

/// `Node.spawn` naming this node: the closure is built here and the process started (and
/// linked) before it can run.
fn spawn_here(entry: &'static SpawnEntry, args: u64, caller: &Arc<Process>, link: bool) -> Pid {
    let closure = std::hint::black_box(closure_of(entry, args));
    let start = crate::mem::Fragment::from_current(closure, true);
    actor::spawn_process(
        entry_name(entry),
        |p| {
            if link {
                p.lock().links.push(caller.pid);
                caller.lock().links.push(p.pid);
            }
        },
        move |_| {
            let closure = crate::mem::with_slot(|slot| slot.pin(start));
            // SAFETY: built by `closure_of`: code taking no argument words.
            let _ = unsafe { object::call0(closure as *mut u8) };
        },
    )
}

fn entry_name(entry: &SpawnEntry) -> &'static str {
    if entry.name.ptr.is_null() || entry.name.len == 0 {
        return "";
    }
    // SAFETY: a static UTF-8 name emitted by codegen (non-null, `len` bytes).
    let bytes = unsafe { std::slice::from_raw_parts(entry.name.ptr, entry.name.len as usize) };
    std::str::from_utf8(bytes).unwrap_or("")
}

/// A closure of `entry`'s code capturing the fields of the argument tuple `args` (a value of
/// the current heap), built on the current heap.
fn closure_of(entry: &SpawnEntry, args: u64) -> u64 {
    let n = entry.count as usize;
    let args = std::hint::black_box(args);
    let obj = crate::mem::alloc(layout::HEADER_SIZE + 8 * (1 + n));
    // SAFETY: fresh allocation with room for the header, the code word and `n` captures;
    // `args` is a tuple of `n` fields (the entry's descriptor) and stays alive on the stack.
    unsafe {
        let w = obj as *mut u64;
        w.write(layout::meta(layout::KIND_CLOSURE, n as u32, 0));
        w.add(1).write(entry.args as u64);
        w.add(2).write(entry.code as u64);
        for i in 0..n {
            w.add(3 + i).write(object::word(args as *mut u8, i));
        }
    }
    std::hint::black_box(args);
    obj as u64
}

/// Handles `SPAWN` / `SPAWN_REPLY` from `session`'s peer.
pub fn received(session: &Arc<Session>, k: u8, payload: &[u8]) -> Result<(), FrameError> {
    let mut rd = Rd(payload);
    match k {
        kind::SPAWN => {
            let id = rd.u64()?;
            let name = rd.str()?.to_string();
            let link = rd.u8()? != 0;
            let requester = get_pid(&mut rd)?;
            spawn_requested(session, id, &name, link, requester, rd.rest());
        }
        kind::SPAWN_REPLY => {
            let id = rd.u64()?;
            let code = rd.u8()?;
            let result = if code == status::OK {
                Ok(get_pid(&mut rd)?)
            } else {
                Err(rd.str()?.to_string())
            };
            rd.end()?;
            let Some(p) = pending().remove(&id) else {
                return Ok(());
            };
            if let (Ok(pid), true) = (&result, p.link) {
                if actor::add_remote_link(p.slot.caller.pid, *pid) {
                    note_link(p.slot.caller.pid, *pid);
                } else {
                    session.send(
                        kind::EXIT,
                        put_pid(put_pid(Wr::new(), p.slot.caller.pid), *pid)
                            .str("noproc")
                            .done(),
                    );
                }
            }
            resolve(p, result);
        }
        _ => {}
    }
    Ok(())
}

fn reply_error(session: &Session, id: u64, code: u8, reason: &str) {
    session.send(
        kind::SPAWN_REPLY,
        Wr::new().u64(id).u8(code).str(reason).done(),
    );
}

/// A peer asks this node to start `name` with the encoded arguments `bytes`.
fn spawn_requested(
    session: &Arc<Session>,
    id: u64,
    name: &str,
    link: bool,
    requester: Pid,
    bytes: &[u8],
) {
    let Some(entry) = entry(name) else {
        return reply_error(
            session,
            id,
            status::UNKNOWN_FUNCTION,
            &format!("{name} is not in its function table (not the same program build)"),
        );
    };
    // SAFETY: the entry's descriptor is a compiler constant.
    if let Err(e) = unsafe { codec::check_header(bytes, entry.args) } {
        return reply_error(
            session,
            id,
            status::BAD_ARGUMENTS,
            &format!("its {name} takes other arguments (not the same program build): {e}"),
        );
    }
    let bytes = bytes.to_vec();
    let peer = session.peer.clone();
    let reply_to = Arc::clone(session);
    actor::spawn_process(
        entry_name(entry),
        move |p| {
            // The requester is a process of the peer (a local pid would be its mistake).
            if link && actor::remote::is_remote(requester) {
                p.lock().links.push(requester);
                note_link(p.pid, requester);
            }
            // Queued before the process can run, so it precedes any `EXIT` of it.
            reply_to.send(
                kind::SPAWN_REPLY,
                put_pid(Wr::new().u64(id).u8(status::OK), p.pid).done(),
            );
        },
        move |_| {
            // SAFETY: the entry's descriptor is a compiler constant; the bytes are untrusted
            // and checked by the decoder.
            let args = match unsafe { codec::decode(&bytes, entry.args) } {
                Ok(word) => std::hint::black_box(word),
                Err(e) => crate::fail::panic_with(&format!(
                    "spawned by {peer}: its arguments could not be decoded: {e}"
                )),
            };
            let closure = std::hint::black_box(closure_of(entry, args));
            // SAFETY: built by `closure_of`: code taking no argument words.
            let _ = unsafe { object::call0(closure as *mut u8) };
        },
    );
}

/// A session to node slot `slot` ended: its pending requests fail.
pub fn node_lost(slot: u16) {
    let lost: Vec<Pending> = {
        let mut p = pending();
        let ids: Vec<u64> = p
            .iter()
            .filter(|(_, v)| v.node == slot)
            .map(|(&id, _)| id)
            .collect();
        ids.into_iter().filter_map(|id| p.remove(&id)).collect()
    };
    for p in lost {
        resolve(p, Err("the connection was lost before the reply".into()));
    }
}

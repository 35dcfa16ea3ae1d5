//! Remote messages through real mailboxes: envelopes made by `dist::codec::remote_envelope`
//! wait as bytes, and the receive decodes them by its own message type (another descriptor
//! than the sender's, structurally equal), dropping undecodable and mistyped ones first, both
//! through `receive_next` and through `receive_wait_system` + `receive_take`.
//! (Each integration test file is its own program: the node identity is process-wide, so the
//! "not distributed" case is checked here before the identity is set.)

use mesh_rt::actor;
use mesh_rt::dist::{self, codec};
use mesh_rt::value::generic::object;
use mesh_rt::value::list::{List, Shape};
use mesh_rt::value::string::{alloc_str, as_str};
use mesh_rt::value::typedesc::Desc;
use mesh_rt_abi::layout::*;
use mesh_rt_abi::{StrRef, TypeDesc, UserFns};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

fn leak_str(s: &str) -> StrRef {
    let s: &'static str = Box::leak(s.to_string().into_boxed_str());
    StrRef {
        ptr: s.as_ptr(),
        len: s.len() as u64,
    }
}

fn ty(kind: u32, name: &str, items: &[*const TypeDesc], names: &[&str]) -> *const TypeDesc {
    let items_ptr = if items.is_empty() {
        std::ptr::null()
    } else {
        Box::leak(items.to_vec().into_boxed_slice()).as_ptr()
    };
    let names_ptr = if names.is_empty() {
        std::ptr::null()
    } else {
        let refs: Vec<StrRef> = names.iter().map(|n| leak_str(n)).collect();
        Box::leak(refs.into_boxed_slice()).as_ptr()
    };
    Box::leak(Box::new(TypeDesc {
        kind,
        count: items.len() as u32,
        name: leak_str(name),
        items: items_ptr,
        names: names_ptr,
        user: UserFns::NONE,
    }))
}

/// `Point { x :: Int, name :: String }`, built afresh (another node's descriptor).
fn point() -> *const TypeDesc {
    let int = ty(TY_INT, "", &[], &[]);
    let string = ty(TY_STRING, "", &[], &[]);
    ty(TY_STRUCT, "Point", &[int, string], &["x", "name"])
}

struct Descs {
    sent: usize,
    received: usize,
}

static DESCS: Mutex<Option<Descs>> = Mutex::new(None);
static RESULTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static DONE: AtomicBool = AtomicBool::new(false);
static FAILED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn fail(what: String) {
    FAILED.lock().unwrap_or_else(|e| e.into_inner()).push(what);
}

/// "x/name" of a received Point, checking it carries the receiver's descriptor.
fn read_point(word: u64, expected: *const TypeDesc) -> String {
    let obj = word as *mut u8;
    // SAFETY: the receive returned a Point of `expected` (what is being tested).
    unsafe {
        let desc = (obj as *const u64).add(1).read() as *const TypeDesc;
        if desc != expected {
            fail("received value does not carry the receiver's descriptor".into());
        }
        let x = object::word(obj, 0) as i64;
        let name = as_str(object::word(obj, 1) as *const u8);
        format!("{x}/{name}")
    }
}

fn receiver() {
    let received = DESCS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map_or(0, |d| d.received) as *const TypeDesc;
    // The truncated and the mistyped messages before it are dropped.
    let first = actor::receive_next(received);
    let first = read_point(first, received);
    // The same through the system-arm path (class 0 = a message of the process's type).
    let class = actor::receive_wait_system(0, None, received, 4);
    if class != 0 {
        fail(format!("receive_wait_system class {class}"));
    }
    let second = read_point(actor::receive_take(0), received);
    RESULTS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend([first, second]);
    DONE.store(true, Ordering::SeqCst);
}

extern "C-unwind" fn entry() {
    let sent = point();
    let received = point();
    *DESCS.lock().unwrap_or_else(|e| e.into_inner()) = Some(Descs {
        sent: sent as usize,
        received: received as usize,
    });
    let pid_desc = ty(TY_PID, "Pid", &[], &[]);
    // Not distributed yet: a local pid has no node to name.
    let me = actor::self_pid();
    // SAFETY: a pid is an immediate value of the leaked Pid descriptor.
    let encode_pid = |pid| unsafe { codec::encode_message(pid, pid_desc) };
    if encode_pid(me) != Err(codec::CodecError::NotDistributed) {
        fail("a local pid encoded before the node had an identity".into());
    }
    dist::set_local_node("a@127.0.0.1:4370", 11);
    if encode_pid(me).is_err() {
        fail("a local pid does not encode once distributed".into());
    }

    let pid = actor::spawn_native("receiver", receiver);
    // SAFETY: the descriptors are leaked, so live for the program.
    let sent_desc = unsafe { Desc::from_ptr(sent) };
    let make = |x: i64, name: &str| {
        let s = alloc_str(name) as u64;
        object::alloc_tuple(sent_desc, &[x as u64, s]) as u64
    };
    let peer = "b@127.0.0.1:4371";
    // SAFETY: called with live values of leaked descriptors.
    let message =
        |word: u64, desc: *const TypeDesc| match unsafe { codec::encode_message(word, desc) } {
            Ok(bytes) => bytes,
            Err(e) => {
                fail(format!("encode: {e}"));
                Vec::new()
            }
        };
    let good = message(make(3, "three"), sent);
    actor::deliver(
        pid,
        codec::remote_envelope(peer, &good[..good.len() - 1], 0),
    );
    let ints = ty(TY_LIST, "List", &[ty(TY_INT, "", &[], &[])], &[]);
    // SAFETY: as above.
    let list = List::from_words(Shape::list(unsafe { Desc::from_ptr(ints) }), &[1, 2]);
    actor::deliver(
        pid,
        codec::remote_envelope(peer, &message(list.as_word(), ints), 0),
    );
    actor::deliver(pid, codec::remote_envelope(peer, &good, 0));
    actor::deliver(
        pid,
        codec::remote_envelope(peer, &message(make(4, "four"), sent), 0),
    );
    for _ in 0..500 {
        if DONE.load(Ordering::SeqCst) {
            break;
        }
        actor::sleep(10);
    }
}

#[test]
fn remote_messages_are_decoded_by_the_receive() {
    actor::run_main(entry);
    let failed = FAILED.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(failed.is_empty(), "{failed:?}");
    assert!(DONE.load(Ordering::SeqCst), "the receiver did not finish");
    let results = RESULTS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(results, ["3/three", "4/four"]);
    let d = DESCS.lock().unwrap_or_else(|e| e.into_inner());
    let d = d.as_ref().map(|d| (d.sent, d.received));
    assert!(d.is_some_and(|(s, r)| s != r));
}

//! Node distribution (stdlib §17.1–§17.2): `Node.*` and `Global.*` over `dist/`. Calls that
//! start, dial or resolve names park the calling process (DNS on the blocking pool, sockets
//! on the poller).

use crate::dist::{global, node};
use crate::stdlib::option;
use crate::value::generic::object::alloc_tuple;
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// Allocates the `BootstrapStatus` struct of `desc` (fields found by name).
///
/// # Safety
/// `desc` must be the `BootstrapStatus` struct desc.
unsafe fn status_struct(desc: Desc, status: &node::BootstrapStatus) -> *mut u8 {
    const FIELDS: usize = 4;
    // On the stack: the collector scans it, so the strings stay alive until the struct
    // holds them.
    let mut words = [0u64; FIELDS];
    let fields = desc.count().min(FIELDS);
    for (i, word) in words.iter_mut().enumerate().take(fields) {
        *word = match desc.field_name(i) {
            Some("mode") => alloc_str(status.mode) as u64,
            Some("node_name") => alloc_str(&status.node_name) as u64,
            Some("cluster_port") => u64::from(status.cluster_port),
            Some("discovery_seed") => alloc_str(&status.discovery_seed) as u64,
            _ => 0,
        };
    }
    let words = std::hint::black_box(words);
    alloc_tuple(desc, &words[..fields])
}

/// `Node.start_from_env()`: `Ok(BootstrapStatus)` or `Err(text)` (runtime-cluster §2.1).
///
/// # Safety
/// `desc` must be the `Result<BootstrapStatus, String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_node_start_from_env(desc: *mut u8) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    match node::start_from_env() {
        // SAFETY: forwarded contract.
        Err(text) => unsafe { option::err(desc, alloc_str(&text) as u64) },
        Ok(status) => {
            // SAFETY: forwarded contract: a live SUM desc whose `Ok` case holds the struct.
            let result = unsafe { Desc::from_ptr(desc) };
            let ok_case = (0..result.count())
                .map(|i| result.item(i))
                .find(|case| case.name() == "Ok")
                .unwrap_or_else(|| result.item(0));
            // SAFETY: the Ok case's payload is the BootstrapStatus struct desc.
            let obj = unsafe { status_struct(ok_case.item(0), &status) };
            // SAFETY: forwarded contract.
            unsafe { option::ok(desc, obj as u64) }
        }
    }
}

/// `Node.start(name, cookie)`: 0, -1 already started, -2 bind failed, -3 invalid.
///
/// # Safety
/// `name` and `cookie` must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_node_start(name: *mut u8, cookie: *mut u8) -> i64 {
    // SAFETY: contract.
    let (name, cookie) = unsafe { (as_str(name).to_string(), as_str(cookie).to_string()) };
    node::start(&name, &cookie)
}

/// `Node.connect(name)`: 0 ok, -1 not started, -2 TCP failure, -3 handshake failure.
///
/// # Safety
/// `name` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_node_connect(name: *mut u8) -> i64 {
    // SAFETY: contract.
    let name = unsafe { as_str(name) }.to_string();
    node::connect(&name)
}

/// `Node.self()`: this node's name, `""` when not started.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_node_self() -> *mut u8 {
    alloc_str(&node::self_name())
}

/// `Node.list()`: the connected peers' names (a `List<String>` of type `desc`).
///
/// # Safety
/// `desc` must be the `List<String>` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_node_list(desc: *mut u8) -> *mut u8 {
    let names = node::list();
    // SAFETY: forwarded contract.
    unsafe { super::stdlib_string::string_list(desc, names.iter().map(String::as_str)) }
}

/// `Node.monitor(name)`: 0 subscribed, 1 not started or empty name.
///
/// # Safety
/// `name` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_node_monitor(name: *mut u8) -> i64 {
    // SAFETY: contract.
    node::monitor(unsafe { as_str(name) })
}

/// `Global.register(name, pid)`: 0 ok, 1 taken or empty.
///
/// # Safety
/// `name` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_global_register(name: *mut u8, pid: i64) -> i64 {
    // SAFETY: contract.
    let name = unsafe { as_str(name) }.to_string();
    global::register(&name, pid as u64)
}

/// `Global.whereis(name)`: the pid, or 0.
///
/// # Safety
/// `name` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_global_whereis(name: *mut u8) -> i64 {
    // SAFETY: contract.
    global::whereis(unsafe { as_str(name) }) as i64
}

/// `Global.unregister(name)`: 0 removed, 1 not registered.
///
/// # Safety
/// `name` must be a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_global_unregister(name: *mut u8) -> i64 {
    // SAFETY: contract.
    global::unregister(unsafe { as_str(name) })
}

/// `Node.spawn(node, f, args…)` / `Node.spawn_link` (stdlib §17.1): starts the function
/// `name` of the function table on `node` with the argument tuple `args` (its descriptor
/// in its header) and returns the new process's pid, linked to the caller when `link` is 1.
/// Suspends until the node replies; panics the caller with the reason when it cannot
/// (`dist/spawn.rs`).
///
/// # Safety
/// `node` and `name` must be live Mesh strings, `args` a live tuple of the arguments of the
/// table entry `name` (generated code's contract).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_node_spawn(
    node: *mut u8,
    args: *mut u8,
    name: *mut u8,
    link: u8,
) -> i64 {
    // SAFETY: contract.
    let (node, name) = unsafe { (as_str(node).to_string(), as_str(name).to_string()) };
    // SAFETY: contract.
    unsafe { crate::dist::spawn::request(&node, args as u64, &name, link != 0) as i64 }
}

/// Installs the program's function table for `Node.spawn` (called by the generated C `main`
/// before `mesh_rt_start`).
///
/// # Safety
/// `entries` must point to `count` `dist::spawn::SpawnEntry` rows of constant data (or be
/// null with `count == 0`).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_spawn_table(entries: *mut u8, count: i64) {
    // SAFETY: contract.
    unsafe {
        crate::dist::spawn::install_table(
            entries as *const crate::dist::spawn::SpawnEntry,
            count.max(0) as usize,
        )
    };
}

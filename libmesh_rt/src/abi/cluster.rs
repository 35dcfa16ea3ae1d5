//! Registration of clustered declarations (runtime-cluster §4.1, §7) over
//! `cluster::declared`. The compiler emits these at the start of the generated `main`, before
//! any user code: `mesh_rt_cluster_test_build()` first in `meshc test` executables, then one
//! `mesh_rt_cluster_declare` per `@cluster` function and per `HTTP.clustered` route handler.
//! Neither suspends or runs Mesh code.

use crate::cluster::declared;
use crate::fail::panic_with;
use crate::value::string::as_str;

/// Registers `name` (a Mesh string, `<Module>.<fn>`) with its generated entry thunk, its
/// replication count and its kind (0 startup work, 1 route handler, 2 other declared work;
/// the entry conventions are `cluster::declared::Kind`'s). A refused registration (a name
/// registered twice, an unknown kind, a null entry) is a compiler bug: it panics.
///
/// # Safety
/// `name` must be a live Mesh string and `entry` a function of the kind's convention.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_cluster_declare(
    name: *mut u8,
    entry: *mut u8,
    count: i64,
    kind: i64,
) {
    // SAFETY: forwarded contract.
    let name = unsafe { as_str(name) };
    if let Err(e) = crate::cluster::runtime::declare(name, entry as usize, count, kind) {
        panic_with(&format!("internal error: {e}"));
    }
}

/// Marks the executable as a `meshc test` build: startup work is never triggered.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_cluster_test_build() {
    declared::set_test_build();
}

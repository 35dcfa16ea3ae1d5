//! Every `#[no_mangle]` symbol of the runtime, one file per area. Functions here check their
//! arguments, turn raw pointers into safe views and call inward. A compile-time check below
//! asserts that each row of `mesh_rt_abi::runtime_functions!` exists here with that exact
//! signature.

pub mod actor;
pub mod changeset;
pub mod cluster;
pub mod continuity;
pub mod http;
pub mod http_client;
pub mod http_clustered;
pub mod io;
pub mod iter;
pub mod json;
pub mod list;
pub mod map;
pub mod mem;
pub mod migration;
pub mod node;
pub mod orm;
pub mod pg;
pub mod process;
pub mod query;
pub mod repo;
pub mod set;
pub mod sqlite;
pub mod stdlib_codec;
pub mod stdlib_data;
pub mod stdlib_math;
pub mod stdlib_regex;
pub mod stdlib_string;
pub mod stdlib_system;
pub mod stdlib_time;
pub mod string;
pub mod value;

/// Referenced by generated code (as `mesh_rt_abi::ABI_VERSION_SYMBOL`, `mesh_rt_abi_v<N>`) so
/// that an executable built for another ABI version fails to link instead of misbehaving.
#[export_name = mesh_rt_abi::abi_version!(symbol)]
#[used]
pub static ABI_VERSION: u8 = mesh_rt_abi::abi_version!(number);

macro_rules! abi_ty {
    (I32) => { i32 };
    (I64) => { i64 };
    (F64) => { f64 };
    (Bool) => { u8 };
    (Ptr) => { *mut u8 };
    (Void) => { () };
    (Never) => { ! };
}

macro_rules! check_signatures {
    // The attributes are the compiler's business: the signature is what must match.
    ($(fn $name:ident($($arg:ident: $ty:ident),*) -> $ret:ident $([$($attrs:tt)*])?;)*) => {
        $(
            #[allow(dead_code)]
            const _: unsafe extern "C-unwind" fn($(abi_ty!($ty)),*) -> abi_ty!($ret) = exports::$name;
        )*
    };
}

/// Flat view of every exported function for the signature check.
mod exports {
    pub use super::actor::*;
    pub use super::changeset::*;
    pub use super::cluster::*;
    pub use super::continuity::*;
    pub use super::http::*;
    pub use super::http_client::*;
    pub use super::http_clustered::*;
    pub use super::io::*;
    pub use super::iter::*;
    pub use super::json::*;
    pub use super::list::*;
    pub use super::map::*;
    pub use super::mem::*;
    pub use super::migration::*;
    pub use super::node::*;
    pub use super::orm::*;
    pub use super::pg::*;
    pub use super::process::*;
    pub use super::query::*;
    pub use super::repo::*;
    pub use super::set::*;
    pub use super::sqlite::*;
    pub use super::stdlib_codec::*;
    pub use super::stdlib_data::*;
    pub use super::stdlib_math::*;
    pub use super::stdlib_regex::*;
    pub use super::stdlib_string::*;
    pub use super::stdlib_system::*;
    pub use super::stdlib_time::*;
    pub use super::string::*;
    pub use super::value::*;
}

mesh_rt_abi::runtime_functions!(check_signatures);

//! mesh_rt: the Mesh runtime, built as a static library and linked into every executable that
//! `meshc` produces. `abi/` holds every exported symbol; the areas below it hold the logic.
//! See ARCHITECTURE.md ("Runtime") for the value layout and memory strategy.

pub mod abi;
pub mod actor;
pub mod cluster;
pub mod db;
pub mod dist;
pub mod fail;
pub mod http;
pub mod mem;
pub mod net;
pub mod otp;
pub mod sched;
pub mod stdlib;
pub mod value;

//! Shared helpers of the end-to-end suite (`tests/e2e.rs`): fixture discovery, header options,
//! child processes with timeouts, line diffs and the per-case runner. The harness binary only
//! turns the cases found here into libtest-mimic trials; everything testable lives in this crate.

pub mod database;
pub mod diff;
pub mod discover;
pub mod header;
pub mod locate;
pub mod process;
pub mod runner;
pub mod server;

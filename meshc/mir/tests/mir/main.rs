//! The one integration test binary of mesh_mir (STYLE §3): snapshots of the printed MIR of
//! small programs (`check_mir!`), showing the shape lowering gives each construct.
//!
//! Snapshots live in `tests/mir/snapshots/`; review changes with `cargo insta review` or
//! accept them with `INSTA_UPDATE=always`. Under `CI=true` a missing or different snapshot fails.

#[macro_use]
mod support;

mod cluster;
mod decision;
mod literals;

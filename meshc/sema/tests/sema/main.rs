//! The one integration test binary of mesh_sema (STYLE §3): the front end (parse, lower,
//! check, exhaustiveness) on in-memory sources, without LLVM or a linker. `check_types!`
//! asserts inferred types with caret comments; `check_diag!` snapshots an input with its
//! rendered plain diagnostics.
//!
//! Snapshots live in `tests/sema/snapshots/`; review changes with `cargo insta review` or
//! accept them with `INSTA_UPDATE=always`. Under `CI=true` a missing or different snapshot fails.

#[macro_use]
mod support;

mod codes;
mod diag_actors;
mod diag_cluster;
mod diag_exprs;
mod diag_items;
mod infer;

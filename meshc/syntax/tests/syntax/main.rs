//! The one integration test binary of mesh_syntax (STYLE §3): AST snapshots of every construct
//! of spec language §6 (`check_parse!`), snapshots of every parse and lexical diagnostic
//! (`check_diag!`), and property tests showing that the lexer and parser never panic, never
//! loop and never overflow the stack (see `FUZZING.md` for the long-running mode).
//!
//! Snapshots live in `tests/syntax/snapshots/`; review changes with `cargo insta review` or
//! accept them with `INSTA_UPDATE=always`. Under `CI=true` a missing or different snapshot fails.

#[macro_use]
mod support;

mod comments;
mod diagnostics;
mod exprs;
mod fuzz;
mod items;
mod patterns;
mod recovery;
mod spec_examples;
mod types;

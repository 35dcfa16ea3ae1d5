//! Tooling §9.7's name for the two-node clustered-route proof: the same test as
//! `e2e_m047_s07.rs` (issue 19's verbatim command), so both
//! `cargo test -p meshc --test clustered_http_two_node` and
//! `cargo test -p meshc --test e2e_m047_s07 -- --nocapture` run it.

#[path = "e2e_m047_s07.rs"]
mod proof;

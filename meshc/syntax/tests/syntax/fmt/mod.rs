//! The formatter (spec tooling §5.2): exact output for every rule (`rules.rs`), safety and
//! idempotence over the repository's programs (`corpus.rs`) and over generated programs
//! (`props.rs`).

mod corpus;
mod props;
mod rules;

use mesh_syntax::fmt::{format_source, FmtOptions};

/// Formats `input` (which must parse and pass the safety net) with the default options and
/// checks the result against `expected`, then checks that `expected` is a fixed point.
pub fn check(input: &str, expected: &str) {
    check_with(&FmtOptions::default(), input, expected);
}

pub fn check_with(opts: &FmtOptions, input: &str, expected: &str) {
    let got = format_source(input, opts)
        .unwrap_or_else(|e| panic!("formatting failed: {e:?}\ninput:\n{input}"));
    assert_eq!(got, expected, "input:\n{input}");
    let again = format_source(&got, opts)
        .unwrap_or_else(|e| panic!("reformatting failed: {e:?}\ntext:\n{got}"));
    assert_eq!(again, got, "formatting is not idempotent");
}
